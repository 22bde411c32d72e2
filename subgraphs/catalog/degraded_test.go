package catalog_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/redis/go-redis/v9"

	"github.com/cinegraph/cinegraph/internal/depguard"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"
	"github.com/cinegraph/cinegraph/subgraphs/catalog"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/catalogsqlite"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/rediscache"
)

// downSearcher is a search engine that is down: every search fails. It
// keeps what it is given to index, so the subgraph opens.
type downSearcher struct {
	searches atomic.Int64
	mu       sync.Mutex
	version  string
}

func (s *downSearcher) Search(context.Context, search.Request) (search.Result, error) {
	s.searches.Add(1)
	return search.Result{}, errors.New("search engine down")
}

func (s *downSearcher) Rebuild(_ context.Context, version string, _ []search.Document) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.version = version
	return nil
}

func (s *downSearcher) Version(context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version, nil
}

func (s *downSearcher) Close() error { return nil }

// seededStore is an embedded store holding the demo catalog.
func seededStore(t *testing.T) catalogservice.Store {
	t.Helper()
	ctx := context.Background()
	store, err := catalogsqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := catalogservice.New(store).Seed(ctx, seed.Generate()); err != nil {
		_ = store.Close()
		t.Fatal(err)
	}
	return store
}

// deadRedis is a client of a Redis that is not there: every call fails at
// once.
func deadRedis(t *testing.T) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// newCatalog assembles a catalog subgraph on the given engines, its
// guards in guards.
func newCatalog(t *testing.T, store catalogservice.Store, searcher search.Searcher, guards *depguard.Registry) *catalog.Subgraph {
	t.Helper()
	sg, err := catalog.New(context.Background(), store, searcher, catalog.Options{Logger: quietLogger(), Guards: guards})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sg.Close() })
	return sg
}

// degradedResult is a response's data, errors and extensions.degraded.
type degradedResult struct {
	result
	Degraded []depguard.Mark
}

func postDegraded(t *testing.T, c *client.Client, q string, opts ...client.Option) degradedResult {
	t.Helper()
	raw, err := c.RawPost(q, opts...)
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	var out degradedResult
	if out.Data, err = json.Marshal(raw.Data); err != nil {
		t.Fatal(err)
	}
	if len(raw.Errors) > 0 {
		if err := json.Unmarshal(raw.Errors, &out.Errors); err != nil {
			t.Fatalf("decode errors %s: %v", raw.Errors, err)
		}
	}
	if d, ok := raw.Extensions["degraded"]; ok {
		b, _ := json.Marshal(d)
		if err := json.Unmarshal(b, &out.Degraded); err != nil {
			t.Fatalf("decode extensions.degraded %s: %v", b, err)
		}
	}
	return out
}

const searchQuery = `query($q: String!) { search(query: $q, first: 5) {
	totalCount
	edges { score node { id name } }
	facets { kinds { value count } }
} }`

type searchData struct {
	Search struct {
		TotalCount int
		Edges      []struct {
			Score float64
			Node  struct{ ID, Name string }
		}
		Facets struct {
			Kinds []struct {
				Value string
				Count int
			}
		}
	}
}

func TestFallbacksMarkResponsesDegraded(t *testing.T) {
	t.Parallel()
	fixture := seed.Generate()
	title := fixture.Titles[0]
	word := strings.Fields(title.Name)[0]
	cases := []struct {
		name     string
		open     func(t *testing.T, guards *depguard.Registry) *catalog.Subgraph
		query    string
		vars     map[string]any
		check    func(t *testing.T, data json.RawMessage)
		wantMark depguard.Mark
	}{
		{
			name: "search engine down: a name match from the store",
			open: func(t *testing.T, guards *depguard.Registry) *catalog.Subgraph {
				return newCatalog(t, seededStore(t), &downSearcher{}, guards)
			},
			query: searchQuery,
			vars:  map[string]any{"q": strings.ToUpper(word)},
			check: func(t *testing.T, data json.RawMessage) {
				var d searchData
				if err := json.Unmarshal(data, &d); err != nil {
					t.Fatal(err)
				}
				if d.Search.TotalCount == 0 || len(d.Search.Edges) == 0 {
					t.Fatalf("no titles for %q: %s", word, data)
				}
				for _, e := range d.Search.Edges {
					if !strings.Contains(strings.ToLower(e.Node.Name), strings.ToLower(word)) {
						t.Errorf("%q does not match %q", e.Node.Name, word)
					}
				}
				kinds := 0
				for _, k := range d.Search.Facets.Kinds {
					kinds += k.Count
				}
				if kinds != d.Search.TotalCount {
					t.Errorf("kind facets count %d titles, total %d", kinds, d.Search.TotalCount)
				}
			},
			wantMark: depguard.Mark{Dependency: catalogservice.SearchDependency, Fallback: catalogservice.SearchFallbackStore},
		},
		{
			name: "redis down: reads from the store",
			open: func(t *testing.T, guards *depguard.Registry) *catalog.Subgraph {
				cached := rediscache.New(seededStore(t), deadRedis(t), rediscache.WithLogger(quietLogger()),
					rediscache.WithGuard(guards.Guard(rediscache.Dependency, depguard.Policy{})))
				return newCatalog(t, cached, nil, guards)
			},
			query: `query($id: ID!) { title(id: $id) { id name } }`,
			vars:  map[string]any{"id": title.ID},
			check: func(t *testing.T, data json.RawMessage) {
				var d struct{ Title struct{ ID, Name string } }
				if err := json.Unmarshal(data, &d); err != nil {
					t.Fatal(err)
				}
				if d.Title.Name != title.Name {
					t.Fatalf("title %+v, want %q", d.Title, title.Name)
				}
			},
			wantMark: depguard.Mark{Dependency: rediscache.Dependency, Fallback: rediscache.FallbackStore},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			guards := depguard.NewRegistry(quietLogger())
			sg := tc.open(t, guards)
			var opts []client.Option
			for k, v := range tc.vars {
				opts = append(opts, client.Var(k, v))
			}
			res := postDegraded(t, viewertest.Client(sg.Handler()), tc.query, opts...)
			if len(res.Errors) > 0 {
				t.Fatalf("errors: %+v", res.Errors)
			}
			tc.check(t, res.Data)
			if !reflect.DeepEqual(res.Degraded, []depguard.Mark{tc.wantMark}) {
				t.Fatalf("extensions.degraded = %+v, want [%+v]", res.Degraded, tc.wantMark)
			}
			r, ok := sg.Dependencies().Report()[tc.wantMark.Dependency]
			if !ok || r.Failures == 0 || r.Fallbacks[tc.wantMark.Fallback] == 0 {
				t.Fatalf("report %+v", r)
			}
		})
	}
}

func TestSearchBreakerOpensAndRefusesAtOnce(t *testing.T) {
	t.Parallel()
	searcher := &downSearcher{}
	sg := newCatalog(t, seededStore(t), searcher, nil)
	c := viewertest.Client(sg.Handler())
	for i := range depguard.DefaultConsecutiveFailures + 2 {
		res := postDegraded(t, c, searchQuery, client.Var("q", "the"))
		if len(res.Errors) > 0 || len(res.Degraded) != 1 {
			t.Fatalf("search %d: errors %+v, degraded %+v", i, res.Errors, res.Degraded)
		}
	}
	if n := searcher.searches.Load(); n != depguard.DefaultConsecutiveFailures {
		t.Fatalf("the engine got %d searches, want %d: the breaker should refuse the rest", n, depguard.DefaultConsecutiveFailures)
	}
	r := sg.Dependencies().Report()[catalogservice.SearchDependency]
	if r.State != "open" || r.Refusals != 2 || r.Fallbacks[catalogservice.SearchFallbackStore] != depguard.DefaultConsecutiveFailures+2 {
		t.Fatalf("report %+v", r)
	}
}

func TestHealthySearchIsNotDegraded(t *testing.T) {
	t.Parallel()
	res := postDegraded(t, viewertest.Client(shared(t).Handler()), searchQuery, client.Var("q", "the"))
	if len(res.Errors) > 0 || res.Degraded != nil {
		t.Fatalf("errors %+v, degraded %+v", res.Errors, res.Degraded)
	}
	if r := shared(t).Dependencies().Report()[catalogservice.SearchDependency]; r.Successes == 0 || r.Failures != 0 || r.State != "closed" {
		t.Fatalf("report %+v", r)
	}
}
