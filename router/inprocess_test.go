package router

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/wire"
)

// TestInProcessAndOnOperation answers one subgraph with an in-process
// fetcher and reports each executed operation to Config.OnOperation.
func TestInProcessAndOnOperation(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	var mu sync.Mutex
	var seen []OperationRecord
	var wrapped []string
	accounts := fetch.Func(func(_ context.Context, req *wire.SubgraphRequest, _ http.Header) (*wire.SubgraphResponse, error) {
		if !strings.Contains(req.Query, "me") {
			return &wire.SubgraphResponse{Data: map[string]any{"__typename": "Query"}}, nil
		}
		return &wire.SubgraphResponse{Data: map[string]any{"me": map[string]any{"name": "In Process"}}}, nil
	})
	r := d.router(t, func(c *Config) {
		c.InProcess = map[string]fetch.Fetcher{
			"accounts": accounts,
			// Not in the supergraph: ignored.
			"elsewhere": accounts,
		}
		c.FetchMiddleware = []fetch.Middleware{func(subgraph, instance string, next fetch.Fetcher) fetch.Fetcher {
			mu.Lock()
			wrapped = append(wrapped, subgraph+"="+instance)
			mu.Unlock()
			return next
		}}
		c.OnOperation = func(rec OperationRecord) {
			mu.Lock()
			seen = append(seen, rec)
			mu.Unlock()
		}
	})
	tests := []struct {
		name, query string
		want        string
		// op is the record OnOperation gets: "name kind outcome", or empty
		// when the request is refused and nothing is reported.
		op string
	}{
		{name: "named query from the in-process subgraph", query: `query Me { me { name } }`, want: `{"data":{"me":{"name":"In Process"}}}`, op: "Me query ok"},
		{name: "anonymous query from an HTTP subgraph", query: `{ topProducts(first: 1) { name } }`, want: `{"data":{"topProducts":[{"name":"Trilby"}]}}`, op: " query ok"},
		{name: "refused query", query: `{ nope }`, want: `"errors"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			seen = nil
			mu.Unlock()
			res := do(t, r, http.MethodPost, tt.query, nil, nil)
			if !strings.Contains(res.body, tt.want) {
				t.Fatalf("body = %s, want %s", res.body, tt.want)
			}
			mu.Lock()
			defer mu.Unlock()
			if tt.op == "" {
				if len(seen) != 0 {
					t.Fatalf("reported %v for a refused request", seen)
				}
				return
			}
			if len(seen) != 1 {
				t.Fatalf("reported %d operations, want 1", len(seen))
			}
			rec := seen[0]
			if got := rec.Name + " " + rec.Kind + " " + rec.Outcome; got != tt.op {
				t.Errorf("record = %q, want %q", got, tt.op)
			}
			if rec.Duration <= 0 || rec.Start.IsZero() {
				t.Errorf("timing = %v from %v", rec.Duration, rec.Start)
			}
			if plan, err := json.Marshal(rec.Plan); err != nil || !strings.Contains(string(plan), "Fetch") {
				t.Errorf("plan = %s (%v), want the query plan", plan, err)
			}
		})
	}
	mu.Lock()
	defer mu.Unlock()
	got := strings.Join(wrapped, ",")
	if !strings.Contains(got, "accounts=http://accounts.invalid/graphql") || strings.Contains(got, "elsewhere") {
		t.Errorf("middleware wrapped %s, want accounts at its supergraph URL and nothing else in process", got)
	}
}
