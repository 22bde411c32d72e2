package elastic_test

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search/searcheval"
)

// esFigures are the Elasticsearch searcher's figures on the judged query
// set as last measured (make eval-search prints them to three places);
// agreement is the mean Jaccard index of its first ten hits and the
// embedded index's.
var (
	esFigures = searcheval.Pinned{
		Precision: 0.5667, NDCG: 0.9283, ZeroRate: 0, MeanTotal: 14.0725,
		Totals: map[string]int{"garden": 23, "Kenji Moreau": 9},
	}
	agreement = 0.9630
)

// TestFiguresPinned holds Elasticsearch to its pinned relevance figures
// and to its agreement with the embedded index on the same seed.
func TestFiguresPinned(t *testing.T) {
	t.Parallel()
	s := openFresh(t)
	ctx := context.Background()
	js, err := searcheval.Load("../testdata/judgments.json")
	if err != nil {
		t.Fatal(err)
	}
	docs := searcheval.SeedDocuments()
	es, err := searcheval.EvaluateSeeded(ctx, "elasticsearch", s, docs, js)
	if err != nil {
		t.Fatal(err)
	}
	for _, miss := range esFigures.Compare(es) {
		t.Error(miss)
	}

	bl, err := search.Open(filepath.Join(t.TempDir(), search.DirName))
	if err != nil {
		t.Fatal(err)
	}
	defer bl.Close()
	embedded, err := searcheval.EvaluateSeeded(ctx, "bleve", bl, docs, js)
	if err != nil {
		t.Fatal(err)
	}
	if jac, _ := searcheval.Agreement(embedded, es); math.Abs(jac-agreement) > searcheval.Tolerance {
		t.Errorf("mean Jaccard of the engines' first ten hits %.4f, pinned %.4f: update it if the change is meant", jac, agreement)
	}
}
