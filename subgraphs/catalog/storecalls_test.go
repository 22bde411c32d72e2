package catalog_test

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/viewer"
	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"

	"github.com/cinegraph/cinegraph/subgraphs/catalog"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/catalogsqlite"
)

// countingStore counts the reads that reach the store.
type countingStore struct {
	catalogservice.Store
	mu    sync.Mutex
	calls map[string]int
}

func (s *countingStore) count(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[name]++
}

func (s *countingStore) reset() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.calls
	s.calls = map[string]int{}
	return out
}

func (s *countingStore) TitlesByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Title, error) {
	s.count("TitlesByIDs")
	return s.Store.TitlesByIDs(ctx, ids)
}

func (s *countingStore) TitlePages(ctx context.Context, qs []catalogservice.TitleQuery) ([]catalogservice.TitlePage, error) {
	s.count("TitlePages")
	return s.Store.TitlePages(ctx, qs)
}

func (s *countingStore) Genres(ctx context.Context) ([]catalogservice.Genre, error) {
	s.count("Genres")
	return s.Store.Genres(ctx)
}

func (s *countingStore) GenresBySlugs(ctx context.Context, slugs []string) (map[string]catalogservice.Genre, error) {
	s.count("GenresBySlugs")
	return s.Store.GenresBySlugs(ctx, slugs)
}

func (s *countingStore) PeopleByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Person, error) {
	s.count("PeopleByIDs")
	return s.Store.PeopleByIDs(ctx, ids)
}

func (s *countingStore) CreditsByTitles(ctx context.Context, ids []string) (map[string][]catalogservice.Credit, error) {
	s.count("CreditsByTitles")
	return s.Store.CreditsByTitles(ctx, ids)
}

func (s *countingStore) CreditsByPeople(ctx context.Context, ids []string) (map[string][]catalogservice.Credit, error) {
	s.count("CreditsByPeople")
	return s.Store.CreditsByPeople(ctx, ids)
}

func (s *countingStore) SeasonsByTitles(ctx context.Context, ids []string) (map[string][]catalogservice.Season, error) {
	s.count("SeasonsByTitles")
	return s.Store.SeasonsByTitles(ctx, ids)
}

func (s *countingStore) EpisodesByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Episode, error) {
	s.count("EpisodesByIDs")
	return s.Store.EpisodesByIDs(ctx, ids)
}

func (s *countingStore) ProfilesByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Profile, error) {
	s.count("ProfilesByIDs")
	return s.Store.ProfilesByIDs(ctx, ids)
}

func (s *countingStore) MyLists(ctx context.Context, ids []string) (map[string][]catalogservice.ListEntry, error) {
	s.count("MyLists")
	return s.Store.MyLists(ctx, ids)
}

func openCounting(t *testing.T) (*catalog.Subgraph, *countingStore) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	inner, err := catalogsqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	searcher, err := search.Open(filepath.Join(dir, search.DirName))
	if err != nil {
		t.Fatal(err)
	}
	store := &countingStore{Store: inner, calls: map[string]int{}}
	// A generous wait keeps batches whole on a loaded test machine; the
	// point is that one batch per relation suffices, not how fast it forms.
	sg, err := catalog.New(ctx, store, searcher, catalog.Options{Logger: quietLogger(), LoaderWait: 250 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sg.Close() })
	store.reset()
	return sg, store
}

// Not parallel: it runs before the parallel tests, so that CPU contention
// does not split batches.
func TestStoreCallsDoNotGrowWithPageSize(t *testing.T) {
	sg, store := openCounting(t)
	// An operator's token reads several profiles in one request.
	c := viewertest.Client(sg.Handler(), viewertest.As("profile-1", viewer.AdminScope))

	titleFields := `name genres { name } cast { person { name } } seasons { episodes { name series { name } } }`
	reps := func(n int) string {
		out := ""
		for i := 1; i <= n; i++ {
			out += fmt.Sprintf(`{__typename: "Title", id: "t%04d"}, `, i)
		}
		return out
	}
	cases := []struct {
		name  string
		sizes []int
		query func(n int) string
		want  map[string]int
	}{
		{
			"titles", []int{5, 50},
			func(n int) string {
				return fmt.Sprintf(`{ titles(first: %d) { edges { node { %s } } } }`, n, titleFields)
			},
			// The page primes the title cache, so Episode.series costs nothing.
			map[string]int{"TitlePages": 1, "GenresBySlugs": 1, "CreditsByTitles": 1, "PeopleByIDs": 1, "SeasonsByTitles": 1},
		},
		{
			"entities", []int{5, 50},
			func(n int) string {
				return fmt.Sprintf(`{ _entities(representations: [%s]) { ... on Title { %s } } }`, reps(n), titleFields)
			},
			// The entity batch primes the title cache, so Episode.series costs nothing.
			map[string]int{"TitlesByIDs": 1, "GenresBySlugs": 1, "CreditsByTitles": 1, "PeopleByIDs": 1, "SeasonsByTitles": 1},
		},
		{
			"people and their credits", []int{5, 50},
			func(n int) string {
				ids := ""
				for i := 1; i <= n; i++ {
					ids += fmt.Sprintf(`{__typename: "Person", id: "n%04d"}, `, i)
				}
				return fmt.Sprintf(`{ _entities(representations: [%s]) { ... on Person { name credits { role title { name genres { slug } } } } } }`, ids)
			},
			map[string]int{"PeopleByIDs": 1, "CreditsByPeople": 1, "TitlesByIDs": 1, "GenresBySlugs": 1},
		},
		{
			// Every genre's page at once: 16 pages of n titles.
			"genres with titles", []int{2, 10},
			func(n int) string {
				return fmt.Sprintf(`{ genres { name titles(first: %d) { totalCount edges { node { name cast(first: 2) { person { name } } } } } } }`, n)
			},
			map[string]int{"Genres": 1, "TitlePages": 1, "CreditsByTitles": 1, "PeopleByIDs": 1},
		},
		{
			"profiles with my list", []int{0},
			func(int) string {
				return `{ _entities(representations: [{__typename: "Profile", id: "profile-1"}, {__typename: "Profile", id: "profile-2"}, {__typename: "Profile", id: "profile-3"}]) {
					... on Profile { name myList { name genres { name } } } } }`
			},
			map[string]int{"ProfilesByIDs": 1, "MyLists": 1, "TitlesByIDs": 1, "GenresBySlugs": 1},
		},
	}
	for _, tc := range cases {
		// Subtests run in sequence: they share the counting store.
		t.Run(tc.name, func(t *testing.T) {
			for _, n := range tc.sizes {
				var out map[string]any
				ok(t, c, tc.query(n), &out)
				if got := store.reset(); !maps.Equal(got, tc.want) {
					t.Errorf("page of %d: store calls %v, want %v", n, got, tc.want)
				}
			}
		})
	}
}
