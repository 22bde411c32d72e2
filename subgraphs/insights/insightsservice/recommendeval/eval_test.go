package recommendeval_test

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice/recommendeval"
)

func TestLeaveLastOut(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		history   recommendeval.History
		wantTrain recommendeval.History
		wantHeld  map[string]string
	}{
		{"empty", recommendeval.History{}, recommendeval.History{}, map[string]string{}},
		{"one title stays, not evaluated", recommendeval.History{"p": {"A"}}, recommendeval.History{"p": {"A"}}, map[string]string{}},
		{"the last title is hidden", recommendeval.History{"p": {"A", "B", "C"}, "q": {"C", "A"}},
			recommendeval.History{"p": {"A", "B"}, "q": {"C"}}, map[string]string{"p": "C", "q": "A"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			train, held := recommendeval.LeaveLastOut(tc.history)
			if !reflect.DeepEqual(train, tc.wantTrain) || !reflect.DeepEqual(held, tc.wantHeld) {
				t.Fatalf("LeaveLastOut = %v, %v; want %v, %v", train, held, tc.wantTrain, tc.wantHeld)
			}
		})
	}
}

func TestScore(t *testing.T) {
	t.Parallel()
	held := map[string]string{"p": "A", "q": "B"}
	cases := []struct {
		name     string
		lists    map[string][]string
		k        int
		hits     int
		ndcg     float64
		distinct int
	}{
		{"both first", map[string][]string{"p": {"A", "X"}, "q": {"B", "X"}}, 10, 2, 1, 3},
		{"one third, one missed", map[string][]string{"p": {"X", "Y", "A"}, "q": {"X"}}, 10, 1, 0.5 / 2, 3},
		{"beyond k is a miss", map[string][]string{"p": {"X", "Y", "A"}, "q": {"B"}}, 2, 1, 0.5, 3},
		{"no lists", map[string][]string{}, 10, 0, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := recommendeval.Score("test", tc.lists, held, tc.k, 10)
			if r.Profiles != 2 || r.Hits != tc.hits || math.Abs(r.NDCG-tc.ndcg) > 1e-12 || r.Distinct != tc.distinct ||
				r.HitRate != float64(tc.hits)/2 || r.Coverage != float64(tc.distinct)/10 {
				t.Fatalf("Score = %+v, want %d hits, NDCG %v, %d distinct titles", r, tc.hits, tc.ndcg, tc.distinct)
			}
		})
	}
}

// TestRun evaluates a history whose answer is known. Three fans watched
// A, B and C in turn, each in a different order, so each one's hidden title
// is the one the other two watched with theirs; four profiles watched only
// P, the most popular title, and are not evaluated. At k=1 item-to-item
// ranking finds every hidden title and popularity (P) none; at k=10 every
// ranking lists all five titles.
func TestRun(t *testing.T) {
	t.Parallel()
	d := recommendeval.Dataset{
		Name: "fans and a crowd",
		History: recommendeval.History{
			"f1": {"A", "B", "C"}, "f2": {"B", "C", "A"}, "f3": {"C", "A", "B"},
			"c1": {"P"}, "c2": {"P"}, "c3": {"P"}, "c4": {"P"},
		},
		Catalog: 4,
	}
	sims := []insightsservice.Similarity{insightsservice.Popularity, insightsservice.Cosine, insightsservice.Jaccard}
	cases := []struct {
		k        int
		hits     []int
		distinct []int
	}{
		{1, []int{0, 3, 3}, []int{1, 3, 3}},
		{10, []int{3, 3, 3}, []int{4, 4, 4}},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("k=%d", tc.k), func(t *testing.T) {
			t.Parallel()
			results, err := recommendeval.Run(context.Background(), t.TempDir(), d, sims, tc.k)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range results {
				if r.Name != sims[i].Name || r.Profiles != 3 || r.Hits != tc.hits[i] || r.Distinct != tc.distinct[i] {
					t.Errorf("%s at k=%d: %+v, want 3 profiles, %d hits, %d distinct titles", sims[i].Name, tc.k, r, tc.hits[i], tc.distinct[i])
				}
			}
		})
	}
}

func TestFromFixture(t *testing.T) {
	t.Parallel()
	at := seed.Epoch()
	f := &seed.Fixture{
		Videos: []seed.Video{{ID: "v-a", TitleID: "A"}, {ID: "v-b1", TitleID: "B"}, {ID: "v-b2", TitleID: "B"}, {ID: "v-c", TitleID: "C"}},
		Viewing: []seed.Viewing{
			{ProfileID: "p", VideoID: "v-b1", LastWatchedAt: at.Add(-3 * time.Hour)},
			{ProfileID: "p", VideoID: "v-a", LastWatchedAt: at.Add(-2 * time.Hour)},
			{ProfileID: "p", VideoID: "v-b2", LastWatchedAt: at.Add(-1 * time.Hour)}, // B again, latest
			{ProfileID: "q", VideoID: "v-c", LastWatchedAt: at},
			{ProfileID: "q", VideoID: "v-a", LastWatchedAt: at}, // a tie: fixture order
			{ProfileID: "q", VideoID: "v-gone", LastWatchedAt: at},
		},
	}
	want := recommendeval.History{"p": {"A", "B"}, "q": {"C", "A"}}
	if got := recommendeval.FromFixture(f); !reflect.DeepEqual(got, want) {
		t.Fatalf("FromFixture = %v, want %v", got, want)
	}
}

func TestTasteHistory(t *testing.T) {
	t.Parallel()
	f := seed.Generate()
	m := recommendeval.Taste{Profiles: 20, PerProfile: 8, Favourites: 2, Loyalty: 0.7, AppealScale: 40, Seed: 1}
	h := m.History(f)
	if !reflect.DeepEqual(h, m.History(f)) {
		t.Fatal("the synthetic history differs between calls")
	}
	if len(h) != m.Profiles {
		t.Fatalf("%d profiles, want %d", len(h), m.Profiles)
	}
	for profile, titles := range h {
		seen := map[string]bool{}
		for _, id := range titles {
			if seen[id] {
				t.Fatalf("%s watched %s twice", profile, id)
			}
			seen[id] = true
		}
		if len(titles) != m.PerProfile {
			t.Fatalf("%s watched %d titles, want %d", profile, len(titles), m.PerProfile)
		}
	}
}
