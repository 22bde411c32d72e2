// Package recommendeval evaluates the insights recommendations offline, by
// leave-one-out: each profile's most recent title is hidden, the service
// ranks titles from the rest of everyone's history (on an embedded store,
// exactly as it serves them), and the hidden title should come out near the
// top. It reports hit rate and NDCG at k and catalog coverage for each
// similarity (item-to-item collaborative filtering) against popularity.
package recommendeval

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/cinegraph/cinegraph/internal/depguard"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights/store/insightssqlite"
)

// History is each profile's titles, oldest first, each title once.
type History map[string][]string

// Dataset is what an evaluation runs over.
type Dataset struct {
	Name    string
	History History
	// Scores are the message sentiments popularity is lifted by.
	Scores []insightsservice.MessageScore
	// Catalog is how many titles could be recommended, for coverage.
	Catalog int
}

// Result is one ranking's figures.
type Result struct {
	Name string
	// Profiles is how many profiles had a title to hide (two or more).
	Profiles int
	// Hits is how many hidden titles were among the first k.
	Hits int
	// HitRate is Hits / Profiles; NDCG the mean of 1/log2(1+rank) over
	// the profiles, 0 for a miss (one relevant title: the ideal DCG is 1).
	HitRate, NDCG float64
	// Distinct is how many titles the first k of all lists hold together,
	// Coverage that share of the catalog.
	Distinct int
	Coverage float64
}

// FromFixture is the seeded viewing history: each viewing's video mapped
// to its title, ordered by the viewing's LastWatchedAt (the fixture's
// timestamp; the store keeps none), fixture order breaking ties. A title
// watched through several videos (a series' episodes) counts once, at its
// latest viewing.
func FromFixture(f *seed.Fixture) History {
	videoTitle := make(map[string]string, len(f.Videos))
	for _, v := range f.Videos {
		videoTitle[v.ID] = v.TitleID
	}
	type watch struct {
		title string
		at    time.Time
		order int
	}
	latest := map[string]map[string]watch{}
	for i, v := range f.Viewing {
		title, ok := videoTitle[v.VideoID]
		if !ok {
			continue
		}
		if latest[v.ProfileID] == nil {
			latest[v.ProfileID] = map[string]watch{}
		}
		if w, ok := latest[v.ProfileID][title]; !ok || !v.LastWatchedAt.Before(w.at) {
			latest[v.ProfileID][title] = watch{title, v.LastWatchedAt, i}
		}
	}
	h := History{}
	for profile, byTitle := range latest {
		ws := make([]watch, 0, len(byTitle))
		for _, w := range byTitle {
			ws = append(ws, w)
		}
		sort.Slice(ws, func(i, j int) bool {
			if !ws[i].at.Equal(ws[j].at) {
				return ws[i].at.Before(ws[j].at)
			}
			return ws[i].order < ws[j].order
		})
		for _, w := range ws {
			h[profile] = append(h[profile], w.title)
		}
	}
	return h
}

// LeaveLastOut hides the most recent title of every profile with at least
// two: train keeps the rest of every history (a profile with one title
// keeps it, and is not evaluated), held maps each evaluated profile to its
// hidden title.
func LeaveLastOut(h History) (train History, held map[string]string) {
	train, held = History{}, map[string]string{}
	for profile, titles := range h {
		if len(titles) < 2 {
			train[profile] = slices.Clone(titles)
			continue
		}
		train[profile] = slices.Clone(titles[:len(titles)-1])
		held[profile] = titles[len(titles)-1]
	}
	return train, held
}

// Score computes the figures of lists, the ranked titles of each profile,
// against held, the title each should hold, looking at the first k.
func Score(name string, lists map[string][]string, held map[string]string, k, catalog int) Result {
	r := Result{Name: name, Profiles: len(held)}
	distinct := map[string]bool{}
	for profile, want := range held {
		list := lists[profile]
		list = list[:min(k, len(list))]
		for i, id := range list {
			distinct[id] = true
			if id == want {
				r.Hits++
				r.NDCG += 1 / math.Log2(float64(i+2))
			}
		}
	}
	if r.Profiles > 0 {
		r.HitRate = float64(r.Hits) / float64(r.Profiles)
		r.NDCG /= float64(r.Profiles)
	}
	r.Distinct = len(distinct)
	if catalog > 0 {
		r.Coverage = float64(r.Distinct) / float64(catalog)
	}
	return r
}

// batchSize is how many profiles one Recommendations call ranks, about a
// page of entities.
const batchSize = 100

// Run evaluates each similarity on d by leave-one-out at k. The training
// views and d's scores are loaded into an embedded store in dir (which
// must be empty) and every ranking is the service's own, so what is
// measured is what profiles are served.
func Run(ctx context.Context, dir string, d Dataset, sims []insightsservice.Similarity, k int) ([]Result, error) {
	train, held := LeaveLastOut(d.History)
	store, err := insightssqlite.Open(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("evaluate %s: %w", d.Name, err)
	}
	defer func() { _ = store.Close() }()
	data := insightsservice.SeedData{Scores: d.Scores}
	profiles := make([]string, 0, len(train))
	for profile := range train {
		profiles = append(profiles, profile)
	}
	sort.Strings(profiles)
	for _, profile := range profiles {
		for _, title := range train[profile] {
			data.Views = append(data.Views, insightsservice.View{ProfileID: profile, TitleID: title, VideoID: "v-" + title, Seeded: true})
		}
	}
	if err := store.ReplaceSeed(ctx, data); err != nil {
		return nil, fmt.Errorf("evaluate %s: load the training history: %w", d.Name, err)
	}
	evaluated := make([]string, 0, len(held))
	for profile := range held {
		evaluated = append(evaluated, profile)
	}
	sort.Strings(evaluated)
	out := make([]Result, 0, len(sims))
	for _, sim := range sims {
		// A guard this patient never cuts a ranking short; should it fall
		// back all the same, the figures would measure the fallback, so
		// that is an error.
		guard := depguard.New(insightsservice.RecommendationsDependency, depguard.Policy{Timeout: time.Minute}, nil)
		svc := insightsservice.New(store, insightsservice.WithSimilarity(sim), insightsservice.WithRecommendationsGuard(guard))
		lists := make(map[string][]string, len(evaluated))
		for start := 0; start < len(evaluated); start += batchSize {
			batch := evaluated[start:min(start+batchSize, len(evaluated))]
			ctx := depguard.Collect(ctx)
			recs, err := svc.Recommendations(ctx, batch)
			if err != nil {
				return nil, fmt.Errorf("evaluate %s with %s: %w", d.Name, sim.Name, err)
			}
			if marks := depguard.Marks(ctx); len(marks) > 0 {
				return nil, fmt.Errorf("evaluate %s with %s: the ranking fell back (%+v)", d.Name, sim.Name, marks)
			}
			for i, profile := range batch {
				for _, r := range recs[i] {
					lists[profile] = append(lists[profile], r.TitleID)
				}
			}
		}
		out = append(out, Score(sim.Name, lists, held, k, d.Catalog))
	}
	return out, nil
}
