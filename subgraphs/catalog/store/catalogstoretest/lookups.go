package catalogstoretest

import (
	"context"
	"testing"

	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
)

func testLookups(t *testing.T, s catalogservice.Store) {
	ctx := context.Background()
	f := Fixture()

	titles, err := s.TitlesByIDs(ctx, []string{"t1", "t2", "nope", "t1"})
	must(t, err)
	equal(t, "titles", titles, map[string]catalogservice.Title{"t1": f.Titles[0], "t2": f.Titles[1]})

	ids, err := s.TitleIDs(ctx)
	must(t, err)
	equal(t, "title ids", ids, []string{"t1", "t2", "t3", "t4"})

	genres, err := s.Genres(ctx)
	must(t, err)
	equal(t, "genres by name", genres, []catalogservice.Genre{f.Genres[1], f.Genres[0], f.Genres[2]})

	bySlug, err := s.GenresBySlugs(ctx, []string{"sci-fi", "western"})
	must(t, err)
	equal(t, "genres by slug", bySlug, map[string]catalogservice.Genre{"sci-fi": f.Genres[2]})

	people, err := s.PeopleByIDs(ctx, []string{"p2", "p3", "p9"})
	must(t, err)
	equal(t, "people", people, map[string]catalogservice.Person{"p2": f.People[1], "p3": f.People[2]})

	episodes, err := s.EpisodesByIDs(ctx, []string{"t2-s02e01", "t2-s09e09"})
	must(t, err)
	equal(t, "episodes", episodes, map[string]catalogservice.Episode{"t2-s02e01": f.Seasons[1].Episodes[0]})

	profiles, err := s.ProfilesByIDs(ctx, []string{"profile-2", "profile-9"})
	must(t, err)
	equal(t, "profiles", profiles, map[string]catalogservice.Profile{"profile-2": f.Profiles[1]})

	empty, err := s.TitlesByIDs(ctx, nil)
	must(t, err)
	equal(t, "no keys", len(empty), 0)
}

func testRelations(t *testing.T, s catalogservice.Store) {
	ctx := context.Background()
	f := Fixture()

	credits, err := s.CreditsByTitles(ctx, []string{"t1", "t3"})
	must(t, err)
	equal(t, "credits by title", credits, map[string][]catalogservice.Credit{"t1": {f.Credits[0], f.Credits[1]}})

	byPerson, err := s.CreditsByPeople(ctx, []string{"p1", "p3"})
	must(t, err)
	// Newest title first: t4 (2020), t2 (2015), t1 (2001).
	equal(t, "credits by person", byPerson, map[string][]catalogservice.Credit{"p1": {f.Credits[3], f.Credits[2], f.Credits[1]}})

	seasons, err := s.SeasonsByTitles(ctx, []string{"t2", "t1"})
	must(t, err)
	equal(t, "seasons", seasons, map[string][]catalogservice.Season{"t2": f.Seasons})
}

func testTitlePages(t *testing.T, s catalogservice.Store) {
	ctx := context.Background()
	cases := []struct {
		name      string
		query     catalogservice.TitleQuery
		wantIDs   []string
		wantTotal int
		wantNext  bool
	}{
		{"all by name then id", catalogservice.TitleQuery{Limit: 10}, []string{"t2", "t1", "t3", "t4"}, 4, false},
		{"first page", catalogservice.TitleQuery{Limit: 2}, []string{"t2", "t1"}, 4, true},
		{"after equal name", catalogservice.TitleQuery{Limit: 2, After: &catalogservice.TitleCursor{Name: "Beta", ID: "t1"}}, []string{"t3", "t4"}, 4, false},
		{"after last", catalogservice.TitleQuery{Limit: 2, After: &catalogservice.TitleCursor{Name: "Gamma", ID: "t4"}}, nil, 4, false},
		{"kind", catalogservice.TitleQuery{Limit: 10, Filter: catalogservice.TitleFilter{Kind: catalogservice.KindSeries}}, []string{"t2"}, 1, false},
		{"any genre", catalogservice.TitleQuery{Limit: 1, Filter: catalogservice.TitleFilter{Genres: []string{"comedy", "sci-fi"}}}, []string{"t2"}, 3, true},
		{"year range", catalogservice.TitleQuery{Limit: 10, Filter: catalogservice.TitleFilter{ReleaseYearFrom: 2000, ReleaseYearTo: 2015}}, []string{"t2", "t1"}, 2, false},
		{"ratings", catalogservice.TitleQuery{Limit: 10, Filter: catalogservice.TitleFilter{MaturityRatings: []string{"R", "PG_13"}}}, []string{"t3", "t4"}, 2, false},
		{"nothing matches", catalogservice.TitleQuery{Limit: 10, Filter: catalogservice.TitleFilter{Genres: []string{"western"}}}, nil, 0, false},
	}
	queries := make([]catalogservice.TitleQuery, len(cases))
	for i, c := range cases {
		queries[i] = c.query
	}
	// One batched call answers every listing, in order.
	pages, err := s.TitlePages(ctx, queries)
	must(t, err)
	if len(pages) != len(cases) {
		t.Fatalf("got %d pages for %d queries", len(pages), len(cases))
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var ids []string
			for _, title := range pages[i].Titles {
				ids = append(ids, title.ID)
				if len(title.GenreSlugs) == 0 {
					t.Errorf("title %s lost its genres", title.ID)
				}
			}
			equal(t, "ids", ids, c.wantIDs)
			equal(t, "total", pages[i].Total, c.wantTotal)
			equal(t, "has next", pages[i].HasNext, c.wantNext)
		})
	}
}

// testDuplicateIDs asks for one key more times than one SQL IN list holds
// (500), so copies fall into different chunks: relations must still come
// once per key.
func testDuplicateIDs(t *testing.T, s catalogservice.Store) {
	ctx := context.Background()
	f := Fixture()
	copies := func(id string) []string {
		out := make([]string, 501)
		for i := range out {
			out[i] = id
		}
		return out
	}

	credits, err := s.CreditsByTitles(ctx, copies("t1"))
	must(t, err)
	equal(t, "credits by title", credits, map[string][]catalogservice.Credit{"t1": {f.Credits[0], f.Credits[1]}})

	lists, err := s.MyLists(ctx, append(copies("profile-1"), "profile-2"))
	must(t, err)
	if len(lists["profile-1"]) != 2 || len(lists["profile-2"]) != 0 {
		t.Fatalf("my lists = %v, want profile-1's two entries once", lists)
	}

	titles, err := s.TitlesByIDs(ctx, append(copies("t2"), "t1"))
	must(t, err)
	equal(t, "titles", titles, map[string]catalogservice.Title{"t1": f.Titles[0], "t2": f.Titles[1]})
}
