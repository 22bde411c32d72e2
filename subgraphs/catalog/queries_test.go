package catalog_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"

	"github.com/99designs/gqlgen/client"
)

type titleConn struct {
	TotalCount int
	PageInfo   struct {
		HasNextPage, HasPreviousPage bool
		StartCursor, EndCursor       *string
	}
	Edges []struct {
		Cursor string
		Node   struct {
			ID, Name, Kind string
			ReleaseYear    int
			Genres         []struct{ Slug string }
		}
	}
}

func (c titleConn) names() []string {
	out := make([]string, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node.Name + "/" + e.Node.ID
	}
	return out
}

const titlesQuery = `query($first: Int, $after: String, $filter: TitleFilter) {
	titles(first: $first, after: $after, filter: $filter) {
		totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
		edges { cursor node { id name kind releaseYear genres { slug } } }
	}
}`

func TestTitleDetails(t *testing.T) {
	t.Parallel()
	c := viewertest.Client(shared(t).Handler())
	var resp struct {
		Movie struct {
			Name           string
			RuntimeMinutes *int
			Artwork        struct{ PosterURL string }
			Genres         []struct{ Slug, Name string }
			Cast           []struct {
				Role      string
				Character *string
				Person    struct{ ID, Name string }
			}
			Seasons []any
		}
		Series struct {
			RuntimeMinutes *int
			Seasons        []struct {
				Number   int
				Episodes []struct {
					ID     string
					Number int
					Series struct{ ID string }
				}
			}
		}
		Missing *struct{ ID string }
	}
	ok(t, c, `{
		movie: title(id: "t0001") { name runtimeMinutes artwork { posterUrl } genres { slug name }
			cast(first: 3) { role character person { id name } } seasons { number } }
		series: title(id: "t0149") { runtimeMinutes seasons { number episodes { id number series { id } } } }
		missing: title(id: "t9999") { id }
	}`, &resp)
	m := resp.Movie
	if m.RuntimeMinutes == nil || len(m.Seasons) != 0 || !strings.HasSuffix(m.Artwork.PosterURL, "/media/artwork/t0001/poster-342") {
		t.Errorf("movie = %+v", m)
	}
	if len(m.Cast) != 3 || m.Cast[0].Role != "DIRECTOR" || m.Cast[0].Character != nil || m.Cast[2].Role != "ACTOR" || m.Cast[2].Character == nil || m.Cast[2].Person.ID != "n0203" {
		t.Errorf("cast in billing order = %+v", m.Cast)
	}
	if len(m.Genres) == 0 || m.Genres[0].Name == "" {
		t.Errorf("genres = %+v", m.Genres)
	}
	s := resp.Series
	if s.RuntimeMinutes != nil || len(s.Seasons) == 0 || s.Seasons[0].Number != 1 || s.Seasons[0].Episodes[0].ID != "t0149-s01e01" || s.Seasons[0].Episodes[0].Series.ID != "t0149" {
		t.Errorf("series = %+v", s)
	}
	if resp.Missing != nil {
		t.Errorf("unknown title = %+v, want null", resp.Missing)
	}
}

func TestTitlesPagination(t *testing.T) {
	t.Parallel()
	c := viewertest.Client(shared(t).Handler())
	var all struct{ Titles titleConn }
	ok(t, c, titlesQuery, &all, client.Var("first", 100))
	if all.Titles.TotalCount != 520 || !all.Titles.PageInfo.HasNextPage || all.Titles.PageInfo.HasPreviousPage || len(all.Titles.Edges) != 100 {
		t.Fatalf("first page: total %d, info %+v, %d edges", all.Titles.TotalCount, all.Titles.PageInfo, len(all.Titles.Edges))
	}
	if !slices.IsSortedFunc(all.Titles.Edges, func(a, b struct {
		Cursor string
		Node   struct {
			ID, Name, Kind string
			ReleaseYear    int
			Genres         []struct{ Slug string }
		}
	}) int {
		if c := strings.Compare(a.Node.Name, b.Node.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Node.ID, b.Node.ID)
	}) {
		t.Errorf("titles not ordered by name then id: %v", all.Titles.names()[:10])
	}
	// Walking 30 at a time through the first 100 yields the same titles.
	var walked []string
	var after any
	for len(walked) < 100 {
		var page struct{ Titles titleConn }
		ok(t, c, titlesQuery, &page, client.Var("first", 30), client.Var("after", after))
		if page.Titles.TotalCount != 520 {
			t.Fatalf("totalCount %d on a later page", page.Titles.TotalCount)
		}
		if (after != nil) != page.Titles.PageInfo.HasPreviousPage {
			t.Errorf("hasPreviousPage = %v after %v", page.Titles.PageInfo.HasPreviousPage, after)
		}
		walked = append(walked, page.Titles.names()...)
		after = *page.Titles.PageInfo.EndCursor
	}
	if !slices.Equal(walked[:100], all.Titles.names()) {
		t.Errorf("paged walk differs from one page")
	}
}

func TestTitlesFilter(t *testing.T) {
	t.Parallel()
	c := viewertest.Client(shared(t).Handler())
	cases := []struct {
		name   string
		filter map[string]any
		check  func(n struct {
			ID, Name, Kind string
			ReleaseYear    int
			Genres         []struct{ Slug string }
		}) bool
	}{
		{"kind", map[string]any{"kind": "SERIES"}, func(n struct {
			ID, Name, Kind string
			ReleaseYear    int
			Genres         []struct{ Slug string }
		}) bool {
			return n.Kind == "SERIES"
		}},
		{"genres and years", map[string]any{"genres": []string{"war", "western"}, "releaseYearFrom": 1990, "releaseYearTo": 1999}, func(n struct {
			ID, Name, Kind string
			ReleaseYear    int
			Genres         []struct{ Slug string }
		}) bool {
			has := slices.ContainsFunc(n.Genres, func(g struct{ Slug string }) bool { return g.Slug == "war" || g.Slug == "western" })
			return has && n.ReleaseYear >= 1990 && n.ReleaseYear <= 1999
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var resp struct{ Titles titleConn }
			ok(t, c, titlesQuery, &resp, client.Var("first", 100), client.Var("filter", tc.filter))
			if resp.Titles.TotalCount == 0 || resp.Titles.TotalCount >= 520 {
				t.Fatalf("totalCount %d does not honour the filter", resp.Titles.TotalCount)
			}
			if resp.Titles.TotalCount <= 100 && len(resp.Titles.Edges) != resp.Titles.TotalCount {
				t.Errorf("%d edges for totalCount %d", len(resp.Titles.Edges), resp.Titles.TotalCount)
			}
			for _, e := range resp.Titles.Edges {
				if !tc.check(e.Node) {
					t.Errorf("%s does not match the filter", e.Node.ID)
				}
			}
		})
	}
}

func TestGenresAndGenreTitles(t *testing.T) {
	t.Parallel()
	c := viewertest.Client(shared(t).Handler())
	var resp struct {
		Genres []struct {
			Slug, Name string
			Titles     titleConn
		}
	}
	ok(t, c, `{ genres { slug name titles(first: 3) {
		totalCount pageInfo { hasNextPage endCursor } edges { node { id name genres { slug } } } } } }`, &resp)
	if len(resp.Genres) != 16 || resp.Genres[0].Name != "Action" {
		t.Fatalf("genres = %d, first %+v", len(resp.Genres), resp.Genres[0].Name)
	}
	for _, g := range resp.Genres {
		if len(g.Titles.Edges) != 3 || g.Titles.TotalCount < 3 {
			t.Errorf("%s: %d titles of %d", g.Slug, len(g.Titles.Edges), g.Titles.TotalCount)
		}
		for _, e := range g.Titles.Edges {
			if !slices.ContainsFunc(e.Node.Genres, func(x struct{ Slug string }) bool { return x.Slug == g.Slug }) {
				t.Errorf("%s listed under %s", e.Node.ID, g.Slug)
			}
		}
	}
	// The next page of one genre continues after the first.
	first := resp.Genres[0]
	var next struct {
		Entities []struct{ Titles titleConn } `json:"_entities"`
	}
	ok(t, c, `query($after: String) { _entities(representations: [{__typename: "Genre", slug: "action"}]) {
		... on Genre { titles(first: 3, after: $after) { totalCount pageInfo { hasPreviousPage } edges { node { id name } } } } } }`,
		&next, client.Var("after", *first.Titles.PageInfo.EndCursor))
	page := next.Entities[0].Titles
	if !page.PageInfo.HasPreviousPage || page.TotalCount != first.Titles.TotalCount || page.Edges[0].Node.Name < first.Titles.Edges[2].Node.Name {
		t.Errorf("second page %+v does not follow %+v", page.names(), first.Titles.names())
	}
}

func TestPersonAndEpisode(t *testing.T) {
	t.Parallel()
	c := viewertest.Client(shared(t).Handler())
	var resp struct {
		Person struct {
			Name      string
			BirthYear *int
			Credits   []struct {
				Role  string
				Title struct{ ID string }
			}
		}
		Episode struct {
			SeasonNumber, Number int
			Series               struct{ Name string }
		}
		Nobody *struct{ ID string }
	}
	ok(t, c, `{ person(id: "n0203") { name birthYear credits { role title { id } } }
		episode(id: "t0149-s01e02") { seasonNumber number series { name } }
		nobody: person(id: "n9999") { id } }`, &resp)
	if !slices.ContainsFunc(resp.Person.Credits, func(c struct {
		Role  string
		Title struct{ ID string }
	}) bool {
		return c.Title.ID == "t0001" && c.Role == "ACTOR"
	}) {
		t.Errorf("n0203's credits lack t0001: %+v", resp.Person.Credits)
	}
	if resp.Episode.SeasonNumber != 1 || resp.Episode.Number != 2 || resp.Episode.Series.Name != "Neon Protocol" {
		t.Errorf("episode = %+v", resp.Episode)
	}
	if resp.Nobody != nil {
		t.Errorf("unknown person = %+v", resp.Nobody)
	}
}

func TestSearch(t *testing.T) {
	t.Parallel()
	c := viewertest.Client(shared(t).Handler())
	type searchConn struct {
		TotalCount int
		PageInfo   struct {
			HasNextPage bool
			EndCursor   *string
		}
		Facets struct {
			Genres, ReleaseYears, Kinds []struct {
				Value string
				Count int
			}
		}
		Edges []struct {
			Cursor     string
			Score      float64
			Node       struct{ ID, Name, Kind string }
			Highlights []struct {
				Field     string
				Fragments []string
			}
		}
	}
	const q = `query($q: String!, $first: Int, $after: String, $filter: TitleFilter) {
		search(query: $q, first: $first, after: $after, filter: $filter) {
			totalCount pageInfo { hasNextPage endCursor }
			facets { genres { value count } releaseYears { value count } kinds { value count } }
			edges { cursor score node { id name kind } highlights { field fragments } } } }`

	var typo struct{ Search searchConn }
	ok(t, c, q, &typo, client.Var("q", "Frozen Protocl"), client.Var("first", 2))
	got := []string{typo.Search.Edges[0].Node.ID, typo.Search.Edges[1].Node.ID}
	slices.Sort(got)
	if !slices.Equal(got, []string{"t0002", "t0439"}) {
		t.Errorf("misspelled title found %v first", got)
	}
	hl := typo.Search.Edges[0].Highlights
	if len(hl) == 0 || hl[0].Field != "name" || !strings.Contains(hl[0].Fragments[0], "<em>Frozen</em>") {
		t.Errorf("highlights = %+v", hl)
	}
	kinds := 0
	for _, k := range typo.Search.Facets.Kinds {
		kinds += k.Count
	}
	if kinds != typo.Search.TotalCount || len(typo.Search.Facets.Genres) == 0 || len(typo.Search.Facets.ReleaseYears) == 0 {
		t.Errorf("facets %+v do not cover %d matches", typo.Search.Facets, typo.Search.TotalCount)
	}

	// Only the real matches are counted, not near misses of each word.
	if typo.Search.TotalCount != 2 || typo.Search.PageInfo.HasNextPage {
		t.Errorf("misspelled title: total %d, next page %v; want the 2 titles it names", typo.Search.TotalCount, typo.Search.PageInfo.HasNextPage)
	}

	// The next page starts where the first ended.
	var first struct{ Search searchConn }
	ok(t, c, q, &first, client.Var("q", "protocol"), client.Var("first", 2))
	var more struct{ Search searchConn }
	ok(t, c, q, &more, client.Var("q", "protocol"), client.Var("first", 2), client.Var("after", *first.Search.PageInfo.EndCursor))
	var wide struct{ Search searchConn }
	ok(t, c, q, &wide, client.Var("q", "protocol"), client.Var("first", 4))
	if more.Search.Edges[0].Node.ID != wide.Search.Edges[2].Node.ID || more.Search.Edges[1].Node.ID != wide.Search.Edges[3].Node.ID {
		t.Errorf("second page %v does not continue %v", more.Search.Edges, wide.Search.Edges)
	}

	var series struct{ Search searchConn }
	ok(t, c, q, &series, client.Var("q", "protocol"), client.Var("first", 50), client.Var("filter", map[string]any{"kind": "SERIES"}))
	if series.Search.TotalCount == 0 || len(series.Search.Facets.Kinds) != 1 || series.Search.Facets.Kinds[0].Value != "SERIES" {
		t.Errorf("filtered search: total %d, kinds %+v", series.Search.TotalCount, series.Search.Facets.Kinds)
	}
	for _, e := range series.Search.Edges {
		if e.Node.Kind != "SERIES" {
			t.Errorf("%s is a %s", e.Node.ID, e.Node.Kind)
		}
	}
}
