package searcheval_test

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search/searcheval"
)

// judgmentsPath is the judged query set, from this package's directory.
const judgmentsPath = "../testdata/judgments.json"

func TestJudgmentsAreWellFormed(t *testing.T) {
	t.Parallel()
	js, err := searcheval.Load(judgmentsPath)
	if err != nil {
		t.Fatal(err)
	}
	if len(js) < 60 {
		t.Errorf("%d judged queries, want at least 60", len(js))
	}
	ids := map[string]bool{}
	for _, d := range searcheval.SeedDocuments() {
		ids[d.ID] = true
	}
	seen := map[string]bool{}
	for _, j := range js {
		t.Run(j.Query, func(t *testing.T) {
			if seen[j.Query] {
				t.Errorf("judged twice")
			}
			seen[j.Query] = true
			if j.Category == "" || len(j.Grades) == 0 {
				t.Errorf("category %q, %d grades", j.Category, len(j.Grades))
			}
			for id := range j.Grades {
				if !ids[id] {
					t.Errorf("grades %s, which the seed does not have", id)
				}
			}
		})
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	grades := map[string]int{"a": 3, "b": 1}
	cases := []struct {
		name           string
		top            []string
		precision, dcg float64
	}{
		{"ideal", []string{"a", "b"}, 0.2, 1},
		{"swapped", []string{"b", "a"}, 0.2, (1 + 7/math.Log2(3)) / (7 + 1/math.Log2(3))},
		{"none", []string{"x"}, 0, 0},
		{"empty", nil, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := searcheval.Report{Outcomes: []searcheval.Outcome{searcheval.Score(searcheval.Judgment{Grades: grades}, c.top, len(c.top))}}
			f := r.Summarise("")
			if math.Abs(f.Precision-c.precision) > 1e-9 || math.Abs(f.NDCG-c.dcg) > 1e-9 {
				t.Errorf("precision %v NDCG %v, want %v and %v", f.Precision, f.NDCG, c.precision, c.dcg)
			}
		})
	}
	jac, ov := searcheval.Overlap([]string{"a", "b", "c"}, []string{"b", "c", "d", "e"})
	if math.Abs(jac-0.4) > 1e-9 || math.Abs(ov-0.5) > 1e-9 {
		t.Errorf("overlap: Jaccard %v overlap %v, want 0.4 and 0.5", jac, ov)
	}
}

// bleveFigures are the embedded index's figures as last measured (make
// eval-search prints them to three places).
var bleveFigures = searcheval.Pinned{
	Precision: 0.5652, NDCG: 0.9267, ZeroRate: 0, MeanTotal: 14.029,
	Totals: map[string]int{"garden": 23, "Kenji Moreau": 9},
}

func TestFiguresPinned(t *testing.T) {
	t.Parallel()
	js, err := searcheval.Load(judgmentsPath)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := search.Open(filepath.Join(t.TempDir(), search.DirName))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	ctx := context.Background()
	r, err := searcheval.EvaluateSeeded(ctx, "bleve", idx, searcheval.SeedDocuments(), js)
	if err != nil {
		t.Fatal(err)
	}
	for _, miss := range bleveFigures.Compare(r) {
		t.Error(miss)
	}
}

func TestCompareReportsDrift(t *testing.T) {
	t.Parallel()
	j := searcheval.Judgment{Query: "q", Grades: map[string]int{"a": 3}}
	r := searcheval.Report{Engine: "e", Outcomes: []searcheval.Outcome{searcheval.Score(j, []string{"a"}, 4)}}
	cases := []struct {
		name   string
		pinned searcheval.Pinned
		misses int
	}{
		{"as measured", searcheval.Pinned{Precision: 0.1, NDCG: 1, MeanTotal: 4, Totals: map[string]int{"q": 4}}, 0},
		{"within tolerance", searcheval.Pinned{Precision: 0.1005, NDCG: 0.999, MeanTotal: 4.001}, 0},
		{"better than pinned", searcheval.Pinned{Precision: 0.1, NDCG: 0.9, MeanTotal: 4}, 1},
		{"worse than pinned", searcheval.Pinned{Precision: 0.2, NDCG: 1, MeanTotal: 4, ZeroRate: 0.5}, 2},
		{"a total moved", searcheval.Pinned{Precision: 0.1, NDCG: 1, MeanTotal: 4, Totals: map[string]int{"q": 3, "other": 1}}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := c.pinned.Compare(r); len(got) != c.misses {
				t.Errorf("Compare = %q, want %d differences", got, c.misses)
			}
		})
	}
}
