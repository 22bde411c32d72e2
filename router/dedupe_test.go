package router

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/router/compose"
	"github.com/cinegraph/cinegraph/router/dedupe"
	"github.com/cinegraph/cinegraph/router/wire"
)

// slowCatalog answers title queries once released, counting round trips.
type slowCatalog struct {
	calls   atomic.Int32
	release chan struct{}
}

func (s *slowCatalog) Fetch(ctx context.Context, _ string, req *wire.SubgraphRequest, _ http.Header) (*wire.SubgraphResponse, error) {
	s.calls.Add(1)
	select {
	case <-s.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return &wire.SubgraphResponse{Data: map[string]any{"title": map[string]any{"name": "Heat"}}}, nil
}

// Identical queries in flight at once share one execution and one round
// trip, each client getting the whole answer; requests that differ in
// their variables or viewer do not share.
func TestIdenticalQueriesInFlightShare(t *testing.T) {
	t.Parallel()
	sdl, err := compose.Compose([]compose.Subgraph{{Name: "catalog", URL: "http://catalog.invalid/graphql", SDL: `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Title @key(fields: "id") { id: ID! name: String! }
type Query { title(id: ID!): Title }
`}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		merge  bool
		bodies []string
		calls  int32
	}{
		{"identical, merged", true, []string{`{"query":"{ title(id: \"1\") { name } }"}`, `{"query":"{ title(id: \"1\") { name } }"}`, `{"query":"{ title(id: \"1\") { name } }"}`}, 1},
		{"other variables", true, []string{`{"query":"query($id: ID!) { title(id: $id) { name } }","variables":{"id":"1"}}`, `{"query":"query($id: ID!) { title(id: $id) { name } }","variables":{"id":"2"}}`}, 2},
		{"merging off", false, []string{`{"query":"{ title(id: \"1\") { name } }"}`, `{"query":"{ title(id: \"1\") { name } }"}`}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sub := &slowCatalog{release: make(chan struct{})}
			cfg := Config{SupergraphSDL: sdl, Fetcher: sub}
			if tc.merge {
				cfg.MergeOperations = dedupe.NewOperations(nil)
			}
			r, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			out := make([]string, len(tc.bodies))
			var wg sync.WaitGroup
			for i, body := range tc.bodies {
				wg.Add(1)
				go func() {
					defer wg.Done()
					req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					rec := httptest.NewRecorder()
					r.ServeHTTP(rec, req)
					out[i] = rec.Body.String()
				}()
			}
			// Every request is waiting: on the subgraph, or on another's
			// execution.
			deadline := time.Now().Add(5 * time.Second)
			for {
				waiting := int(sub.calls.Load())
				if m := cfg.MergeOperations; m != nil {
					waiting += int(m.Counts().Merged)
				}
				if waiting == len(tc.bodies) {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("%d of %d requests waiting", waiting, len(tc.bodies))
				}
				time.Sleep(time.Millisecond)
			}
			close(sub.release)
			wg.Wait()
			if n := sub.calls.Load(); n != tc.calls {
				t.Errorf("%d round trips, want %d", n, tc.calls)
			}
			for i, body := range out {
				if body != `{"data":{"title":{"name":"Heat"}}}` {
					t.Errorf("request %d got %s", i, body)
				}
			}
		})
	}
}
