// Command eval-search prints how relevant the catalog's search is on the
// judged query set (subgraphs/catalog/search/testdata/judgments.json; the
// searcheval package says how it was graded): precision@10, NDCG@10, the
// zero-result rate and mean totalCount against the titles judged relevant,
// per query category, for the embedded bleve index built from the seed and,
// when an Elasticsearch answers, for a throwaway Elasticsearch index of the
// same seed, then how far the two engines agree on their first ten hits.
// It prints figures; it never fails on them (searcheval's tests and the
// elastic package's pin them). With -require-elastic an unreachable
// Elasticsearch is an error rather than a note.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search/elastic"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search/searcheval"
)

// spotlight are queries whose totalCount is printed on its own: a title word
// and a person, where fuzzy matches used to inflate the count.
var spotlight = []string{"garden", "Kenji Moreau"}

func main() {
	judgments := flag.String("judgments", "subgraphs/catalog/search/testdata/judgments.json", "the judged query set")
	esAddr := flag.String("elastic", "http://127.0.0.1:59200", "Elasticsearch to evaluate (deploy/local/services-up.sh elasticsearch starts one)")
	requireES := flag.Bool("require-elastic", false, "fail when Elasticsearch does not answer")
	perQuery := flag.Bool("per-query", false, "also print every query's figures")
	show := flag.String("show", "", "also print each engine's first hits, with highlights, for this query")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *judgments, *esAddr, *requireES, *perQuery, *show); err != nil {
		fmt.Fprintln(os.Stderr, "eval-search:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, path, esAddr string, requireES, perQuery bool, show string) error {
	js, err := searcheval.Load(path)
	if err != nil {
		return err
	}
	docs := searcheval.SeedDocuments()
	fmt.Fprintf(w, "judged queries: %d; seed titles: %d; figures at k=%d (relevant: grade >= 1)\n\n", len(js), len(docs), searcheval.K)

	dir, err := os.MkdirTemp("", "eval-search-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bl, err := search.Open(filepath.Join(dir, search.DirName))
	if err != nil {
		return err
	}
	defer bl.Close()
	engines := []named{{"bleve", bl}}
	reports := []searcheval.Report{}
	r, err := searcheval.EvaluateSeeded(ctx, "bleve", bl, docs, js)
	if err != nil {
		return err
	}
	reports = append(reports, r)

	es, err := openElastic(ctx, esAddr)
	switch {
	case err != nil && requireES:
		return err
	case err != nil:
		fmt.Fprintf(w, "elasticsearch: not evaluated: %v\n\n", err)
	default:
		defer func() {
			cctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_ = es.DeleteAll(cctx)
			_ = es.Close()
		}()
		r, err := searcheval.EvaluateSeeded(ctx, "elasticsearch", es, docs, js)
		if err != nil {
			return err
		}
		reports = append(reports, r)
		engines = append(engines, named{"elasticsearch", es})
	}

	for _, r := range reports {
		printReport(w, r, searcheval.Categories(js))
	}
	if len(reports) == 2 {
		jac, ov := searcheval.Agreement(reports[0], reports[1])
		fmt.Fprintf(w, "engine agreement on the first %d hits: mean Jaccard %.3f, mean overlap@%d %.3f\n",
			searcheval.K, jac, searcheval.K, ov)
	}
	if perQuery {
		fmt.Fprintln(w)
		printQueries(w, reports)
	}
	if show != "" {
		for _, e := range engines {
			if err := showHits(ctx, w, e, show); err != nil {
				return err
			}
		}
	}
	return nil
}

type named struct {
	name string
	s    search.Searcher
}

func showHits(ctx context.Context, w io.Writer, e named, q string) error {
	res, err := e.s.Search(ctx, search.Request{Query: q, Limit: searcheval.K})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%s: %q totalCount %d\n", e.name, q, res.Total)
	for i, h := range res.Hits {
		fmt.Fprintf(w, "%2d. %s %.3f\n", i+1, h.ID, h.Score)
		for _, hl := range h.Highlights {
			fmt.Fprintf(w, "      %s: %s\n", hl.Field, strings.Join(hl.Fragments, " | "))
		}
	}
	return nil
}

// openElastic opens a searcher on a fresh alias of its own, after checking
// that something listens at addr.
func openElastic(ctx context.Context, addr string) (*elastic.Searcher, error) {
	u, err := url.Parse(addr)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("-elastic %q is not a URL", addr)
	}
	conn, err := net.DialTimeout("tcp", u.Host, 2*time.Second)
	if err != nil {
		return nil, fmt.Errorf("elasticsearch is not reachable at %s (%w); start it with deploy/local/services-up.sh elasticsearch", u.Host, err)
	}
	_ = conn.Close()
	cfg := config.Elasticsearch{Addresses: []string{addr}, Index: fmt.Sprintf("cinegraph-eval-%d", time.Now().UnixNano())}
	s, err := elastic.Open(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("elasticsearch: %w", err)
	}
	return s, nil
}

func printReport(w io.Writer, r searcheval.Report, categories []string) {
	fmt.Fprintf(w, "%s\n", r.Engine)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "category\tqueries\tp@%d\tNDCG@%d\tzero-result\tmean totalCount\tmean judged relevant\t\n", searcheval.K, searcheval.K)
	row := func(name string, f searcheval.Figures) {
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\t%.1f\t%.1f\t\n", name, f.Queries, f.Precision, f.NDCG, f.ZeroRate, f.MeanTotal, f.MeanRelevant)
	}
	for _, c := range categories {
		row(c, r.Summarise(c))
	}
	row("all", r.Summarise(""))
	_ = tw.Flush()
	var spots []string
	for _, q := range spotlight {
		if o, ok := r.Outcome(q); ok {
			spots = append(spots, fmt.Sprintf("%q totalCount %d (judged relevant %d)", q, o.Total, o.Relevant()))
		}
	}
	if len(spots) > 0 {
		fmt.Fprintf(w, "%s\n", strings.Join(spots, "; "))
	}
	fmt.Fprintln(w)
}

func printQueries(w io.Writer, reports []searcheval.Report) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := "query\tcategory\trelevant"
	for _, r := range reports {
		head += fmt.Sprintf("\t%s total\tp@%d\tNDCG@%d", r.Engine, searcheval.K, searcheval.K)
	}
	if len(reports) == 2 {
		head += "\tJaccard"
	}
	fmt.Fprintln(tw, head)
	for i, o := range reports[0].Outcomes {
		line := fmt.Sprintf("%s\t%s\t%d", o.Query, o.Category, o.Relevant())
		for _, r := range reports {
			x := r.Outcomes[i]
			line += fmt.Sprintf("\t%d\t%.1f\t%.3f", x.Total, x.Precision, x.NDCG)
		}
		if len(reports) == 2 {
			j, _ := searcheval.Overlap(o.Top, reports[1].Outcomes[i].Top)
			line += fmt.Sprintf("\t%.2f", j)
		}
		fmt.Fprintln(tw, line)
	}
	_ = tw.Flush()
}
