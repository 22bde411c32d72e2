package search_test

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
)

// seedDocs builds index documents straight from the shared fixture.
func seedDocs() (map[string]search.Document, []search.Document) {
	f := seed.Generate()
	people := map[string]string{}
	for _, p := range f.People {
		people[p.ID] = p.Name
	}
	names := map[string]string{}
	for _, g := range f.Genres {
		names[g.Slug] = g.Name
	}
	byID := map[string]search.Document{}
	var docs []search.Document
	for _, t := range f.Titles {
		d := search.Document{ID: t.ID, Name: t.Name, Synopsis: t.Synopsis, Kind: t.Kind, MaturityRating: t.MaturityRating,
			ReleaseYear: t.ReleaseYear, Genres: t.Genres, SearchBoost: t.SearchBoost}
		for _, g := range t.Genres {
			d.GenreNames = append(d.GenreNames, names[g])
		}
		for _, c := range t.Credits {
			d.Cast = append(d.Cast, people[c.PersonID])
		}
		byID[t.ID] = d
		docs = append(docs, d)
	}
	return byID, docs
}

var (
	sharedOnce  sync.Once
	sharedIndex *search.Bleve
	sharedErr   error
)

// seeded returns one index of the whole fixture, shared by read-only tests.
func seeded(t *testing.T) (*search.Bleve, map[string]search.Document) {
	t.Helper()
	byID, docs := seedDocs()
	sharedOnce.Do(func() {
		sharedIndex, sharedErr = search.Open(filepath.Join(sharedDir, search.DirName))
		if sharedErr == nil {
			sharedErr = sharedIndex.Rebuild(context.Background(), "1", docs)
		}
	})
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return sharedIndex, byID
}

func ids(res search.Result) []string {
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ID
	}
	return out
}

func TestRelevance(t *testing.T) {
	t.Parallel()
	idx, _ := seeded(t)
	cases := []struct {
		name  string
		query string
		top   []string // the first hits, in any order
	}{
		{"exact name", "Frozen Protocol", []string{"t0439", "t0002"}},
		{"typos in every word", "Frozen Protocl", []string{"t0439", "t0002"}},
		{"misspelled title", "Midnigt Staton", []string{"t0509"}},
		{"lower case and article", "the protocol conspiracy", []string{"t0153", "t0289"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			res, err := idx.Search(context.Background(), search.Request{Query: c.query, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			got := ids(res)
			if len(got) < len(c.top) {
				t.Fatalf("%q found %v, want %v first", c.query, got, c.top)
			}
			head := slices.Clone(got[:len(c.top)])
			slices.Sort(head)
			want := slices.Clone(c.top)
			slices.Sort(want)
			if !slices.Equal(head, want) {
				t.Errorf("%q: first hits %v, want %v", c.query, got, c.top)
			}
		})
	}
}

func TestCastAndGenreAreSearched(t *testing.T) {
	t.Parallel()
	idx, byID := seeded(t)
	actor := byID["t0001"].Cast[2]
	res, err := idx.Search(context.Background(), search.Request{Query: actor, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || !slices.Contains(byID[res.Hits[0].ID].Cast, actor) {
		t.Errorf("search for %q: top hit %v does not credit them", actor, ids(res))
	}
	res, err = idx.Search(context.Background(), search.Request{Query: "science fiction", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits[:5] {
		if !slices.Contains(byID[h.ID].Genres, "sci-fi") {
			t.Errorf("%s is not sci-fi but ranks in the top 5 for the genre name", h.ID)
		}
	}
}

func TestFilters(t *testing.T) {
	t.Parallel()
	idx, byID := seeded(t)
	cases := []struct {
		name string
		req  search.Request
		ok   func(d search.Document) bool
	}{
		{"kind", search.Request{Kind: "SERIES"}, func(d search.Document) bool { return d.Kind == "SERIES" }},
		{"genres", search.Request{Genres: []string{"war", "western"}}, func(d search.Document) bool {
			return slices.Contains(d.Genres, "war") || slices.Contains(d.Genres, "western")
		}},
		{"years", search.Request{ReleaseYearFrom: 1980, ReleaseYearTo: 1989}, func(d search.Document) bool {
			return d.ReleaseYear >= 1980 && d.ReleaseYear <= 1989
		}},
		{"from year only", search.Request{ReleaseYearFrom: 2020}, func(d search.Document) bool { return d.ReleaseYear >= 2020 }},
		{"maturity", search.Request{MaturityRatings: []string{"R", "TV_MA"}}, func(d search.Document) bool {
			return d.MaturityRating == "R" || d.MaturityRating == "TV_MA"
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			req := c.req
			req.Query, req.Limit = "protocol", 100
			res, err := idx.Search(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) == 0 {
				t.Fatal("no hits")
			}
			for _, h := range res.Hits {
				if !c.ok(byID[h.ID]) {
					t.Errorf("%s does not pass the filter", h.ID)
				}
			}
			// Every title that passes and matches the query is found.
			want := 0
			for _, d := range byID {
				if c.ok(d) && strings.Contains(strings.ToLower(d.Name+" "+d.Synopsis), "protocol") {
					want++
				}
			}
			if res.Total < want {
				t.Errorf("total %d, but %d filtered titles mention protocol", res.Total, want)
			}
		})
	}
}

func TestFacetsCountEveryMatch(t *testing.T) {
	t.Parallel()
	idx, byID := seeded(t)
	res, err := idx.Search(context.Background(), search.Request{Query: "protocol", Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	all, err := idx.Search(context.Background(), search.Request{Query: "protocol", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	kinds, years, genres := map[string]int{}, map[string]int{}, map[string]int{}
	for _, h := range all.Hits {
		d := byID[h.ID]
		kinds[d.Kind]++
		years[strconv.Itoa(d.ReleaseYear)]++
		for _, g := range d.Genres {
			genres[g]++
		}
	}
	check := func(name string, got []search.Bucket, want map[string]int) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: %d buckets, want %d", name, len(got), len(want))
		}
		for _, b := range got {
			if want[b.Value] != b.Count {
				t.Errorf("%s %q: count %d, want %d", name, b.Value, b.Count, want[b.Value])
			}
		}
	}
	check("kinds", res.Facets.Kinds, kinds)
	check("years", res.Facets.ReleaseYears, years)
	check("genres", res.Facets.Genres, genres)
	if res.Total != len(all.Hits) {
		t.Errorf("total %d, want %d", res.Total, len(all.Hits))
	}
}

func TestHighlights(t *testing.T) {
	t.Parallel()
	idx, _ := seeded(t)
	res, err := idx.Search(context.Background(), search.Request{Query: "Frozen Protocol", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || len(res.Hits[0].Highlights) == 0 {
		t.Fatalf("no highlights: %+v", res.Hits)
	}
	h := res.Hits[0].Highlights[0]
	if h.Field != "name" || !strings.Contains(h.Fragments[0], "<em>Frozen</em>") || strings.Contains(h.Fragments[0], "<mark>") {
		t.Errorf("name highlight = %+v", h)
	}
	for _, hl := range res.Hits[0].Highlights {
		for _, f := range hl.Fragments {
			if !strings.Contains(f, "<em>") {
				t.Errorf("%s fragment without a match: %q", hl.Field, f)
			}
		}
	}
	// A typo matches fuzzily: the name is highlighted, the synopsis (which
	// only repeats the name) is not offered unmatched.
	res, err = idx.Search(context.Background(), search.Request{Query: "Midnigt Staton", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, hl := range res.Hits[0].Highlights {
		for _, f := range hl.Fragments {
			if !strings.Contains(f, "<em>") {
				t.Errorf("%s fragment without a match: %q", hl.Field, f)
			}
		}
	}
}

func TestPagination(t *testing.T) {
	t.Parallel()
	idx, _ := seeded(t)
	ctx := context.Background()
	whole, err := idx.Search(ctx, search.Request{Query: "protocol", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var paged []string
	for offset := 0; offset < 10; offset += 4 {
		res, err := idx.Search(ctx, search.Request{Query: "protocol", Offset: offset, Limit: min(4, 10-offset)})
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, ids(res)...)
	}
	if !slices.Equal(paged, ids(whole)) {
		t.Errorf("pages %v != whole %v", paged, ids(whole))
	}
}

func TestBoostOrdersEqualMatches(t *testing.T) {
	t.Parallel()
	idx, err := search.Open(filepath.Join(t.TempDir(), search.DirName))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	docs := []search.Document{
		{ID: "a", Name: "Lantern Tide", Synopsis: "Same words.", Kind: "MOVIE", SearchBoost: 0},
		{ID: "b", Name: "Lantern Tide", Synopsis: "Same words.", Kind: "MOVIE", SearchBoost: 1},
		{ID: "c", Name: "Lantern Tide", Synopsis: "Same words.", Kind: "MOVIE", SearchBoost: 0.5},
	}
	if err := idx.Rebuild(context.Background(), "v", docs); err != nil {
		t.Fatal(err)
	}
	res, err := idx.Search(context.Background(), search.Request{Query: "lantern", Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res); !slices.Equal(got, []string{"b", "c", "a"}) {
		t.Errorf("order %v, want boosted first [b c a]", got)
	}
	if res.Hits[0].Score <= res.Hits[2].Score*(1+search.BoostWeight)*0.99 {
		t.Errorf("boosted score %v not scaled from %v", res.Hits[0].Score, res.Hits[2].Score)
	}
}

func TestVersionSurvivesReopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), search.DirName)
	idx, err := search.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := idx.Version(ctx); v != "" {
		t.Fatalf("fresh index version %q", v)
	}
	if _, err := idx.Search(ctx, search.Request{Query: "x", Limit: 1}); err == nil {
		t.Fatal("search before build succeeded")
	}
	docs := []search.Document{{ID: "a", Name: "Echo Summit", Kind: "MOVIE"}}
	if err := idx.Rebuild(ctx, "42", docs); err != nil {
		t.Fatal(err)
	}
	if err := idx.Rebuild(ctx, "43", docs); err != nil {
		t.Fatal(err)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := search.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if v, _ := again.Version(ctx); v != "43" {
		t.Errorf("version after reopen %q, want 43", v)
	}
	res, err := again.Search(ctx, search.Request{Query: "echo", Limit: 1})
	if err != nil || len(res.Hits) != 1 {
		t.Errorf("search after reopen: %+v, %v", res, err)
	}
}
