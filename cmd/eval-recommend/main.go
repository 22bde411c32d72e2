// Command eval-recommend prints how well the insights recommendations
// predict what profiles watch next, offline: leave-one-out over the seeded
// viewing history (each profile's most recent title hidden), hit rate and
// NDCG at k and catalog coverage, for popularity (the ranking before
// collaborative filtering) against item-to-item collaborative filtering
// with cosine and Jaccard similarity. Beside the seed it prints the same
// figures on a synthetic history drawn from genre tastes
// (recommendeval.DefaultTaste), which says whether the ranking can learn
// taste, not how well it serves real viewers. It prints figures; it never
// fails on them (recommendeval's tests pin the method).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice/recommendeval"
	"github.com/cinegraph/cinegraph/subgraphs/insights/sentiment"
)

func main() {
	k := flag.Int("k", 10, "how many recommendations count")
	synthetic := flag.Bool("synthetic", true, "also evaluate on the synthetic genre-taste history")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *k, *synthetic); err != nil {
		fmt.Fprintln(os.Stderr, "eval-recommend:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, k int, synthetic bool) error {
	if k < 1 || k > insightsservice.MaxRecommendations {
		return fmt.Errorf("-k %d is outside 1..%d", k, insightsservice.MaxRecommendations)
	}
	f := seed.Generate()
	sets := []recommendeval.Dataset{{
		Name:    "seeded viewing history",
		History: recommendeval.FromFixture(f),
		Scores:  insightsservice.BuildSeed(f, sentiment.NewVader()).Scores,
		Catalog: len(f.Titles),
	}}
	if synthetic {
		for _, profiles := range []int{400, recommendeval.DefaultTaste.Profiles} {
			m := recommendeval.DefaultTaste
			m.Profiles = profiles
			sets = append(sets, recommendeval.Dataset{
				Name: fmt.Sprintf("synthetic genre-taste history (%d favourite genres, %.0f%% of views from them)",
					m.Favourites, 100*m.Loyalty),
				History: m.History(f),
				Catalog: len(f.Titles),
			})
		}
	}
	sims := []insightsservice.Similarity{insightsservice.Popularity, insightsservice.Cosine, insightsservice.Jaccard}
	for i, d := range sets {
		dir, err := os.MkdirTemp("", "eval-recommend-")
		if err != nil {
			return err
		}
		results, err := recommendeval.Run(ctx, dir, d, sims, k)
		_ = os.RemoveAll(dir)
		if err != nil {
			return err
		}
		if i > 0 {
			fmt.Fprintln(w)
		}
		views := 0
		for _, titles := range d.History {
			views += len(titles)
		}
		fmt.Fprintf(w, "%s: %d profiles, %d distinct (profile, title) views, %d profiles evaluated (leave-last-out)\n",
			d.Name, len(d.History), views, results[0].Profiles)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "ranking\thits\thit@%d\tNDCG@%d\tcoverage@%d\t\n", k, k, k)
		for _, r := range results {
			fmt.Fprintf(tw, "%s\t%d/%d\t%.3f\t%.3f\t%d titles (%.1f%%)\t\n", r.Name, r.Hits, r.Profiles, r.HitRate, r.NDCG, r.Distinct, 100*r.Coverage)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}
