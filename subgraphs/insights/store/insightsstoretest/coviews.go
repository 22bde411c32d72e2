package insightsstoretest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"testing"

	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
)

// view is a live view of title by profile.
func view(profile, title string) insightsservice.View {
	return insightsservice.View{ProfileID: profile, TitleID: title, VideoID: "v-" + title}
}

// wantCoViews counts the co-views of titles from scratch over views (a
// profile's repeated view of a title counts once): what the store must
// answer however the views arrived.
func wantCoViews(views []insightsservice.View, titles []string) []insightsservice.CoViews {
	byProfile := map[string]map[string]bool{}
	viewers := map[string]int{}
	for _, v := range views {
		if byProfile[v.ProfileID] == nil {
			byProfile[v.ProfileID] = map[string]bool{}
		}
		if !byProfile[v.ProfileID][v.TitleID] {
			byProfile[v.ProfileID][v.TitleID] = true
			viewers[v.TitleID]++
		}
	}
	out := make([]insightsservice.CoViews, len(titles))
	for i, id := range titles {
		both := map[string]int{}
		for _, watched := range byProfile {
			if !watched[id] {
				continue
			}
			for other := range watched {
				if other != id {
					both[other]++
				}
			}
		}
		with := []insightsservice.CoView{}
		for other, n := range both {
			with = append(with, insightsservice.CoView{TitleID: other, Both: n, Viewers: viewers[other]})
		}
		sort.Slice(with, func(a, b int) bool {
			if with[a].Both != with[b].Both {
				return with[a].Both > with[b].Both
			}
			return with[a].TitleID < with[b].TitleID
		})
		out[i] = insightsservice.CoViews{TitleID: id, Viewers: viewers[id], With: with}
	}
	return out
}

func checkCoViews(t *testing.T, s insightsservice.Store, when string, views []insightsservice.View, titles []string) {
	t.Helper()
	got, err := s.CoViewsByTitleIDs(context.Background(), titles)
	if err != nil {
		t.Fatalf("%s: CoViewsByTitleIDs: %v", when, err)
	}
	if want := wantCoViews(views, titles); !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: co-views =\n%+v\nwant (counted from scratch)\n%+v", when, got, want)
	}
}

// testCoViews saves views one at a time, redelivered, and several of one
// profile in one batch: after every step the pair counts the store keeps
// must equal those counted from scratch over all the views so far.
func testCoViews(t *testing.T, s insightsservice.Store) {
	ctx := context.Background()
	titles := []string{"t1", "t2", "t3", "t4", "t5", "t9", "t1"}
	steps := [][]insightsservice.View{
		{view("p1", "t1")},
		{view("p1", "t2")},
		{view("p2", "t1")},
		{view("p2", "t1")}, // redelivered
		{view("p2", "t3"), view("p2", "t2"), view("p2", "t4")}, // new together
		{view("p3", "t2"), view("p1", "t3"), view("p3", "t2")},
		{view("p1", "t1"), view("p4", "t5")}, // one old, one alone
	}
	var all []insightsservice.View
	checkCoViews(t, s, "empty", all, titles)
	for i, step := range steps {
		if err := s.SaveViews(ctx, step); err != nil {
			t.Fatalf("SaveViews(step %d): %v", i, err)
		}
		all = append(all, step...)
		checkCoViews(t, s, fmt.Sprintf("after step %d", i), all, titles)
	}
	// A hand count, lest both sides share a mistake: t2 is watched by p1,
	// p2 and p3; t1 by p1 and p2, who also watched t2 and t3.
	got, err := s.CoViewsByTitleIDs(ctx, []string{"t1"})
	if err != nil {
		t.Fatal(err)
	}
	want := []insightsservice.CoView{{TitleID: "t2", Both: 2, Viewers: 3}, {TitleID: "t3", Both: 2, Viewers: 2}, {TitleID: "t4", Both: 1, Viewers: 1}}
	if got[0].Viewers != 2 || !reflect.DeepEqual(got[0].With, want) {
		t.Fatalf("co-views of t1 = %+v, want 2 viewers with %+v", got[0], want)
	}
}

// testCoViewsReseed: a reseed swaps the seeded views, so the pair counts
// must drop the old seed's pairs, keep the live views' and add the new
// seed's, and live views after it count on top.
func testCoViewsReseed(t *testing.T, s insightsservice.Store) {
	ctx := context.Background()
	seeded := func(vs ...insightsservice.View) []insightsservice.View {
		out := slices.Clone(vs)
		for i := range out {
			out[i].Seeded = true
		}
		return out
	}
	titles := []string{"t1", "t2", "t3", "t4"}
	first := seeded(view("p1", "t1"), view("p1", "t2"), view("p2", "t2"), view("p2", "t3"))
	if err := s.ReplaceSeed(ctx, insightsservice.SeedData{Views: first}); err != nil {
		t.Fatalf("ReplaceSeed: %v", err)
	}
	checkCoViews(t, s, "after the first seed", first, titles)
	live := []insightsservice.View{view("p2", "t4"), view("p3", "t1"), view("p3", "t4")}
	if err := s.SaveViews(ctx, live); err != nil {
		t.Fatalf("SaveViews: %v", err)
	}
	checkCoViews(t, s, "after live views", append(slices.Clone(first), live...), titles)
	second := seeded(view("p1", "t3"), view("p1", "t4"), view("p3", "t2"))
	if err := s.ReplaceSeed(ctx, insightsservice.SeedData{Views: second}); err != nil {
		t.Fatalf("ReplaceSeed: %v", err)
	}
	now := append(slices.Clone(live), second...)
	checkCoViews(t, s, "after the second seed", now, titles)
	more := []insightsservice.View{view("p1", "t1"), view("p2", "t2")}
	if err := s.SaveViews(ctx, more); err != nil {
		t.Fatalf("SaveViews: %v", err)
	}
	checkCoViews(t, s, "after more live views", append(now, more...), titles)
}
