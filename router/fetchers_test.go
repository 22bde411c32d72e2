package router

import (
	"context"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/wire"
)

// fetchLog is a middleware that records each instance it wraps and each
// fetch that goes through it.
type fetchLog struct {
	tag       string
	mu        sync.Mutex
	instances map[string]string // subgraph -> instance
	fetches   []string
}

func (l *fetchLog) wrap(subgraph, instance string, next fetch.Fetcher) fetch.Fetcher {
	l.mu.Lock()
	if l.instances == nil {
		l.instances = map[string]string{}
	}
	l.instances[subgraph] = instance
	l.mu.Unlock()
	return fetch.Func(func(ctx context.Context, req *wire.SubgraphRequest, h http.Header) (*wire.SubgraphResponse, error) {
		l.mu.Lock()
		l.fetches = append(l.fetches, subgraph)
		l.mu.Unlock()
		h = h.Clone()
		h.Add("X-Wrapped", l.tag)
		return next.Fetch(ctx, req, h)
	})
}

func (l *fetchLog) fetched() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := append([]string(nil), l.fetches...)
	sort.Strings(out)
	return out
}

// FetchMiddleware wraps the fetcher of every subgraph instance, the first
// outermost, whether fetches go over HTTP or to Config.Fetcher.
func TestFetchMiddleware(t *testing.T) {
	t.Parallel()
	const query = `{ topProducts(first: 1) { name reviews { body author { name } } } }`
	const want = `{"data":{"topProducts":[{"name":"Trilby","reviews":[{"body":"Love it","author":{"name":"Ada Lovelace"}},{"body":"Too small","author":{"name":"Alan Turing"}}]}]}}`
	d := newDemo(t)
	cases := []struct {
		name string
		mod  func(*Config, *[]string)
	}{
		{"http", nil},
		{"fake subgraphs", func(cfg *Config, seen *[]string) {
			// Stands in for every subgraph by sending to the demo over HTTP,
			// recording the headers the middlewares added.
			var mu sync.Mutex
			viaHTTP := fetch.NewSet(d.urls, func(subgraph, url string) fetch.Fetcher {
				return fetch.NewHTTP(subgraph, url, fetch.HTTPOptions{})
			})
			cfg.Fetcher = fetchFunc(func(ctx context.Context, subgraph string, req *wire.SubgraphRequest, h http.Header) (*wire.SubgraphResponse, error) {
				mu.Lock()
				*seen = append(*seen, strings.Join(h.Values("X-Wrapped"), ","))
				mu.Unlock()
				return viaHTTP.Fetch(ctx, subgraph, req, h)
			})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			outer, inner := &fetchLog{tag: "outer"}, &fetchLog{tag: "inner"}
			var seen []string
			r := d.router(t, func(cfg *Config) {
				cfg.FetchMiddleware = []fetch.Middleware{outer.wrap, inner.wrap}
				if tc.mod != nil {
					tc.mod(cfg, &seen)
				}
			})
			if res := do(t, r, http.MethodPost, query, nil, nil); res.body != want {
				t.Fatalf("got %s, want %s", res.body, want)
			}
			for name, u := range d.urls {
				if got := outer.instances[name]; got != u {
					t.Errorf("middleware saw %s at %q, want %q", name, got, u)
				}
			}
			wantFetches := []string{"accounts", "products", "reviews"}
			for _, l := range []*fetchLog{outer, inner} {
				if got := l.fetched(); !reflect.DeepEqual(got, wantFetches) {
					t.Errorf("%s middleware saw fetches %v, want %v", l.tag, got, wantFetches)
				}
			}
			if tc.mod != nil && len(seen) != len(wantFetches) {
				t.Errorf("Config.Fetcher saw %d fetches, want %d", len(seen), len(wantFetches))
			}
			for _, s := range seen {
				if s != "outer,inner" {
					t.Errorf("middlewares ran in order %q, want outer,inner", s)
				}
			}
		})
	}
}

// fetchFunc adapts a function to fetch.Subgraphs.
type fetchFunc func(ctx context.Context, subgraph string, req *wire.SubgraphRequest, h http.Header) (*wire.SubgraphResponse, error)

func (f fetchFunc) Fetch(ctx context.Context, subgraph string, req *wire.SubgraphRequest, h http.Header) (*wire.SubgraphResponse, error) {
	return f(ctx, subgraph, req, h)
}
