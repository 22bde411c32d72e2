package insightsservice_test

import (
	"context"
	"errors"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/cinegraph/cinegraph/internal/depguard"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights/store/insightssqlite"
)

func TestSimilarities(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		sim        insightsservice.Similarity
		both, a, b int
		want       float64
	}{
		{"cosine, same audience", insightsservice.Cosine, 3, 3, 3, 1},
		{"cosine, half shared", insightsservice.Cosine, 2, 4, 2, 2 / math.Sqrt(8)},
		{"cosine, nothing shared", insightsservice.Cosine, 0, 4, 2, 0},
		{"cosine, no viewers", insightsservice.Cosine, 0, 0, 0, 0},
		{"jaccard, same audience", insightsservice.Jaccard, 3, 3, 3, 1},
		{"jaccard, half shared", insightsservice.Jaccard, 2, 4, 2, 0.5},
		{"jaccard, nothing shared", insightsservice.Jaccard, 0, 4, 2, 0},
		{"jaccard, no viewers", insightsservice.Jaccard, 0, 0, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.sim.Of(tc.both, tc.a, tc.b); math.Abs(got-tc.want) > 1e-12 {
				t.Fatalf("%s(%d, %d, %d) = %v, want %v", tc.sim.Name, tc.both, tc.a, tc.b, got, tc.want)
			}
		})
	}
	if insightsservice.Popularity.Of != nil {
		t.Fatal("Popularity has a similarity")
	}
}

// coHistory is a history whose item-to-item answer is known: a and b
// watched A and B, c watched A and C, and four crowd profiles watched D,
// the most popular title. x watched A: B (two shared viewers) then C (one)
// suit x, then the popular D.
var coHistory = map[string][]string{
	"a": {"A", "B"}, "b": {"A", "B"}, "c": {"A", "C"},
	"d1": {"D"}, "d2": {"D"}, "d3": {"D"}, "d4": {"D", "E"},
	"x": {"A"},
}

func saveHistory(t *testing.T, store insightsservice.Store, h map[string][]string) {
	t.Helper()
	for profile, titles := range h {
		for _, title := range titles {
			if err := store.SaveViews(context.Background(), []insightsservice.View{{ProfileID: profile, TitleID: title, VideoID: "v-" + title}}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func titleIDs(rs []insightsservice.Recommendation) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.TitleID
	}
	return out
}

func TestItemToItemRecommendations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cases := []struct {
		name string
		sim  insightsservice.Similarity
		// want is x's list, then new's (no history).
		want, cold []string
		// personal is how many of x's lead the list as personal picks.
		personal int
	}{
		{"cosine", insightsservice.Cosine, []string{"B", "C", "D", "E"}, []string{"A", "D", "B", "C", "E"}, 2},
		{"jaccard", insightsservice.Jaccard, []string{"B", "C", "D", "E"}, []string{"A", "D", "B", "C", "E"}, 2},
		{"popularity", insightsservice.Popularity, []string{"D", "B", "C", "E"}, []string{"A", "D", "B", "C", "E"}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			store, err := insightssqlite.Open(ctx, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = store.Close() })
			saveHistory(t, store, coHistory)
			svc := insightsservice.New(store, insightsservice.WithSimilarity(tc.sim))
			got, err := svc.Recommendations(ctx, []string{"x", "new"})
			if err != nil {
				t.Fatal(err)
			}
			if ids := titleIDs(got[0]); !reflect.DeepEqual(ids, tc.want) {
				t.Errorf("x gets %v, want %v (A, which x watched, never)", ids, tc.want)
			}
			if ids := titleIDs(got[1]); !reflect.DeepEqual(ids, tc.cold) {
				t.Errorf("a profile with no history gets %v, want the popular titles %v", ids, tc.cold)
			}
			for i, r := range got[0] {
				personal := r.Reason == "Viewers who watched one of your titles also watched this; no audience reactions yet"
				if personal != (i < tc.personal) {
					t.Errorf("x's %d. %s has reason %q; want %d personal picks first", i+1, r.TitleID, r.Reason, tc.personal)
				}
				// One of x's titles led to each personal pick, and the pick
				// names it; popular picks name none.
				if want := map[bool]int{true: 1, false: 0}[personal]; len(r.Because) != want || (personal && !slices.Contains(coHistory["x"], r.Because[0])) {
					t.Errorf("x's %s is because of %v", r.TitleID, r.Because)
				}
				if i > 0 && r.Score > got[0][i-1].Score {
					t.Errorf("x's scores rise: %v after %v", r.Score, got[0][i-1].Score)
				}
			}
		})
	}
}

// TestCoViewsIncrementalEqualBatch: views arriving one event at a time
// and the same views loaded at once (a seed, recounted in one pass) give
// the same similarities, so the same recommendations.
func TestCoViewsIncrementalEqualBatch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	incremental, store1, _ := newService(t)
	for _, profile := range []string{"x", "d4", "a", "c", "d1", "b", "d2", "d3"} {
		for _, title := range coHistory[profile] {
			if err := incremental.RecordViewing(ctx, insightsservice.VideoProgress{ProfileID: profile, VideoID: "v-" + title, TitleID: title}); err != nil {
				t.Fatal(err)
			}
		}
	}
	batch, store2, _ := newService(t)
	var views []insightsservice.View
	for profile, titles := range coHistory {
		for _, title := range titles {
			views = append(views, insightsservice.View{ProfileID: profile, TitleID: title, VideoID: "v-" + title, Seeded: true})
		}
	}
	if err := store2.ReplaceSeed(ctx, insightsservice.SeedData{Views: views}); err != nil {
		t.Fatal(err)
	}
	ids := []string{"A", "B", "C", "D", "E"}
	co1, err1 := store1.CoViewsByTitleIDs(ctx, ids)
	co2, err2 := store2.CoViewsByTitleIDs(ctx, ids)
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(co1, co2) {
		t.Fatalf("co-views one by one = %+v\nin one batch = %+v", co1, co2)
	}
	profiles := []string{"a", "b", "c", "d1", "d4", "x", "new"}
	r1, err1 := incremental.Recommendations(ctx, profiles)
	r2, err2 := batch.Recommendations(ctx, profiles)
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r1, r2) {
		t.Fatalf("recommendations one by one = %+v\nin one batch = %+v", r1, r2)
	}
}

// failingCoViews is a store whose co-view reads fail.
type failingCoViews struct{ insightsservice.Store }

func (failingCoViews) CoViewsByTitleIDs(context.Context, []string) ([]insightsservice.CoViews, error) {
	return nil, errors.New("co_views unavailable")
}

// TestRecommendationsFallBackToPopular: while the personal ranking fails,
// every profile gets the popular titles, watched ones included, marked
// degraded.
func TestRecommendationsFallBackToPopular(t *testing.T) {
	t.Parallel()
	ctx := depguard.Collect(context.Background())
	store, err := insightssqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	saveHistory(t, store, coHistory)
	svc := insightsservice.New(failingCoViews{store})
	got, err := svc.Recommendations(ctx, []string{"x", "new"})
	if err != nil {
		t.Fatalf("Recommendations: %v", err)
	}
	want := []string{"A", "D", "B", "C", "E"}
	for i, list := range got {
		if ids := titleIDs(list); !reflect.DeepEqual(ids, want) {
			t.Errorf("list %d = %v, want the popular titles %v", i, ids, want)
		}
	}
	mark := depguard.Mark{Dependency: insightsservice.RecommendationsDependency, Fallback: insightsservice.RecommendationsFallbackPopular}
	if marks := depguard.Marks(ctx); !reflect.DeepEqual(marks, []depguard.Mark{mark}) {
		t.Fatalf("marks = %+v, want %+v", marks, mark)
	}
}
