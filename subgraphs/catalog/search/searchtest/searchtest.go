package searchtest

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
)

// Open returns a fresh, empty Searcher of the implementation under test,
// isolated from every other one it returned; the suite closes it.
type Open func(t *testing.T) search.Searcher

// Run runs the whole contract against searchers from open. One searcher is
// built from the seed fixture and shared by the read-only cases; the cases
// that rebuild get their own.
func Run(t *testing.T, open Open) {
	t.Helper()
	byID, docs := SeedDocs()
	shared := open(t)
	t.Cleanup(func() { _ = shared.Close() })
	if err := shared.Rebuild(context.Background(), "1", docs); err != nil {
		t.Fatalf("build the fixture index: %v", err)
	}
	// The group returns only when its parallel cases are done.
	t.Run("group", func(t *testing.T) {
		t.Run("Relevance", func(t *testing.T) { t.Parallel(); relevance(t, shared) })
		t.Run("CastAndGenreAreSearched", func(t *testing.T) { t.Parallel(); castAndGenre(t, shared, byID) })
		t.Run("Filters", func(t *testing.T) { t.Parallel(); filters(t, shared, byID) })
		t.Run("FacetsCountEveryMatch", func(t *testing.T) { t.Parallel(); facets(t, shared, byID) })
		t.Run("Highlights", func(t *testing.T) { t.Parallel(); highlights(t, shared) })
		t.Run("TotalCountsRealMatches", func(t *testing.T) { t.Parallel(); realMatches(t, shared, docs) })
		t.Run("CastIsHighlighted", func(t *testing.T) { t.Parallel(); castHighlight(t, shared, byID) })
		t.Run("ExactAboveFuzzy", func(t *testing.T) { t.Parallel(); exactAboveFuzzy(t, open) })
		t.Run("Pagination", func(t *testing.T) { t.Parallel(); pagination(t, shared) })
		t.Run("BoostOrdersEqualMatches", func(t *testing.T) { t.Parallel(); boost(t, open) })
		t.Run("VersionAndRebuild", func(t *testing.T) { t.Parallel(); version(t, open) })
	})
}

func relevance(t *testing.T, idx search.Searcher) {
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
			got := IDs(res)
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

func castAndGenre(t *testing.T, idx search.Searcher, byID map[string]search.Document) {
	actor := byID["t0001"].Cast[2]
	res, err := idx.Search(context.Background(), search.Request{Query: actor, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || !slices.Contains(byID[res.Hits[0].ID].Cast, actor) {
		t.Errorf("search for %q: top hit %v does not credit them", actor, IDs(res))
	}
	// A full name counts the titles crediting that person, not those
	// crediting two people who share one name each.
	credited := 0
	for _, d := range byID {
		if slices.Contains(d.Cast, actor) {
			credited++
		}
	}
	if res.Total != credited {
		t.Errorf("search for %q: total %d, but %d titles credit them", actor, res.Total, credited)
	}
	res, err = idx.Search(context.Background(), search.Request{Query: "science fiction", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) < 5 {
		t.Fatalf("science fiction: %d hits", len(res.Hits))
	}
	for _, h := range res.Hits[:5] {
		if !slices.Contains(byID[h.ID].Genres, "sci-fi") {
			t.Errorf("%s is not sci-fi but ranks in the top 5 for the genre name", h.ID)
		}
	}
}

func filters(t *testing.T, idx search.Searcher, byID map[string]search.Document) {
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
		{"to year only", search.Request{ReleaseYearTo: 1975}, func(d search.Document) bool { return d.ReleaseYear <= 1975 }},
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

func facets(t *testing.T, idx search.Searcher, byID map[string]search.Document) {
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
	if len(res.Hits) != 3 {
		t.Errorf("limit 3 gave %d hits", len(res.Hits))
	}
}

func highlights(t *testing.T, idx search.Searcher) {
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
	if len(res.Hits) != 1 {
		t.Fatalf("Midnigt Staton: %d hits", len(res.Hits))
	}
	for _, hl := range res.Hits[0].Highlights {
		for _, f := range hl.Fragments {
			if !strings.Contains(f, "<em>") {
				t.Errorf("%s fragment without a match: %q", hl.Field, f)
			}
		}
	}
}

func pagination(t *testing.T, idx search.Searcher) {
	ctx := context.Background()
	whole, err := idx.Search(ctx, search.Request{Query: "protocol", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(whole.Hits) != 10 {
		t.Fatalf("whole page has %d hits", len(whole.Hits))
	}
	var paged []string
	for offset := 0; offset < 10; offset += 4 {
		res, err := idx.Search(ctx, search.Request{Query: "protocol", Offset: offset, Limit: min(4, 10-offset)})
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, IDs(res)...)
	}
	if !slices.Equal(paged, IDs(whole)) {
		t.Errorf("pages %v != whole %v", paged, IDs(whole))
	}
}

func boost(t *testing.T, open Open) {
	idx := open(t)
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
	if got := IDs(res); !slices.Equal(got, []string{"b", "c", "a"}) {
		t.Fatalf("order %v, want boosted first [b c a]", got)
	}
	if res.Hits[0].Score <= res.Hits[2].Score*(1+search.BoostWeight)*0.99 {
		t.Errorf("boosted score %v not scaled from %v", res.Hits[0].Score, res.Hits[2].Score)
	}
}

func version(t *testing.T, open Open) {
	ctx := context.Background()
	idx := open(t)
	defer idx.Close()
	if v, err := idx.Version(ctx); err != nil || v != "" {
		t.Fatalf("fresh index version %q, %v", v, err)
	}
	if _, err := idx.Search(ctx, search.Request{Query: "x", Limit: 1}); err == nil {
		t.Fatal("search before build succeeded")
	}
	if err := idx.Rebuild(ctx, "42", []search.Document{{ID: "a", Name: "Echo Summit", Kind: "MOVIE"}}); err != nil {
		t.Fatal(err)
	}
	// A rebuild replaces the documents, not adds to them.
	if err := idx.Rebuild(ctx, "43", []search.Document{{ID: "b", Name: "Echo Valley", Kind: "MOVIE"}}); err != nil {
		t.Fatal(err)
	}
	if v, err := idx.Version(ctx); err != nil || v != "43" {
		t.Errorf("version after rebuild %q, %v; want 43", v, err)
	}
	res, err := idx.Search(ctx, search.Request{Query: "echo", Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if got := IDs(res); !slices.Equal(got, []string{"b"}) || res.Total != 1 {
		t.Errorf("after rebuild found %v (total %d), want only [b]", got, res.Total)
	}
}

// hasTerm reports whether any searched field of d holds term as a word.
func hasTerm(d search.Document, term string) bool {
	text := d.Name + " " + d.Synopsis + " " + strings.Join(d.Cast, " ") + " " + strings.Join(d.GenreNames, " ")
	return slices.Contains(search.Terms(text), term)
}

// realMatches: totalCount counts the titles that hold every word of the
// query, not the near misses a typo-tolerant match would add (a cast
// member called Larsen for "garden"), and the facets count the same set.
func realMatches(t *testing.T, idx search.Searcher, docs []search.Document) {
	cases := []struct {
		query string
		terms []string
	}{
		{"garden", []string{"garden"}},
		{"Garden", []string{"garden"}},
		{"kyoto series", []string{"kyoto", "series"}},
		{"science fiction", []string{"science", "fiction"}},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			t.Parallel()
			want := map[string]bool{}
			for _, d := range docs {
				all := true
				for _, term := range c.terms {
					all = all && hasTerm(d, term)
				}
				if all {
					want[d.ID] = true
				}
			}
			if len(want) == 0 {
				t.Fatalf("no seeded title holds %v", c.terms)
			}
			res, err := idx.Search(context.Background(), search.Request{Query: c.query, Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != len(want) || len(res.Hits) != len(want) {
				t.Errorf("%q: total %d, %d hits; want the %d titles holding %v", c.query, res.Total, len(res.Hits), len(want), c.terms)
			}
			for _, h := range res.Hits {
				if !want[h.ID] {
					t.Errorf("%q found %s, which does not hold %v", c.query, h.ID, c.terms)
				}
			}
			kinds := 0
			for _, b := range res.Facets.Kinds {
				kinds += b.Count
			}
			if kinds != len(want) {
				t.Errorf("%q: kind facets count %d titles, want %d", c.query, kinds, len(want))
			}
		})
	}
}

// castHighlight: a match on a person credited is highlighted like one on
// the name or synopsis.
func castHighlight(t *testing.T, idx search.Searcher, byID map[string]search.Document) {
	actor := byID["t0001"].Cast[2]
	res, err := idx.Search(context.Background(), search.Request{Query: actor, Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 {
		t.Fatalf("%q: no hits", actor)
	}
	for _, h := range res.Hits {
		if !slices.Contains(byID[h.ID].Cast, actor) {
			continue
		}
		var cast []string
		for _, hl := range h.Highlights {
			if hl.Field == "cast" {
				cast = hl.Fragments
			}
		}
		first, last, _ := strings.Cut(actor, " ")
		want := "<em>" + first + "</em> <em>" + last + "</em>"
		found := false
		for _, f := range cast {
			found = found || strings.Contains(f, want)
		}
		if !found {
			t.Errorf("%s credits %q but its cast highlights are %q, want a fragment with %q", h.ID, actor, cast, want)
		}
	}
}

// exactAboveFuzzy: a typo is forgiven only when the words as typed find
// nothing, and then a title with a word spelt as typed ranks above one
// that only comes near it.
func exactAboveFuzzy(t *testing.T, open Open) {
	idx := open(t)
	defer idx.Close()
	docs := []search.Document{
		{ID: "a", Name: "Lanterns Harbor", Synopsis: "Same words.", Kind: "MOVIE", SearchBoost: 1},
		{ID: "b", Name: "Lantern Harbor", Synopsis: "Same words.", Kind: "MOVIE"},
		{ID: "c", Name: "Lantern Tide", Synopsis: "Same words.", Kind: "MOVIE"},
	}
	if err := idx.Rebuild(context.Background(), "v", docs); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		query string
		want  []string
	}{
		// Spelt right: only the titles holding the words, near misses
		// ("Lanterns") left out of the hits and the count.
		{"lantern harbor", []string{"b"}},
		{"lantern", []string{"b", "c"}},
		// A typo finds nothing as typed: near misses are found, the one
		// that holds "lantern" as typed first, despite the other's boost.
		{"lantern harbour", []string{"b", "a"}},
	}
	for _, c := range cases {
		res, err := idx.Search(context.Background(), search.Request{Query: c.query, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		got := IDs(res)
		if c.query == "lantern" {
			slices.Sort(got)
		}
		if !slices.Equal(got, c.want) || res.Total != len(c.want) {
			t.Errorf("%q: %v (total %d), want %v", c.query, got, res.Total, c.want)
		}
	}
}
