package router

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/cinegraph/cinegraph/router/internal/testsubgraph"
)

// TestKeyChainsAndRequiresChains: subgraph a only knows upc, c and d only
// know id, so b translates; d's field requires c's, which requires b's.
// Book "x" is unknown to b, so it gets a null id and no later fetch.
func TestKeyChainsAndRequiresChains(t *testing.T) {
	t.Parallel()
	ids := map[string]any{"u1": "1", "u2": "2"}
	prices := map[string]int64{"1": 10, "2": 500}
	subs := map[string]struct {
		sdl  string
		res  map[string]testsubgraph.Resolver
		ents map[string]testsubgraph.EntityResolver
	}{
		"a": {`type Book { upc: ID! title: String } type Query { books: [Book] }`,
			map[string]testsubgraph.Resolver{"Query.books": func(context.Context, map[string]any, map[string]any) (any, error) {
				return []any{
					map[string]any{"upc": "u1", "title": "Cheap"},
					map[string]any{"upc": "u2", "title": "Dear"},
					map[string]any{"upc": "x", "title": "Lost"},
				}, nil
			}}, nil},
		"b": {`type Book { upc: ID! id: ID price: Int } type Query { b: Int }`, nil,
			map[string]testsubgraph.EntityResolver{"Book": func(_ context.Context, rep map[string]any) (any, error) {
				if rep["upc"] != nil {
					id := ids[str(rep["upc"])]
					out := map[string]any{"upc": rep["upc"], "id": id}
					if id != nil {
						out["price"] = prices[id.(string)]
					}
					return out, nil
				}
				return map[string]any{"id": rep["id"], "price": prices[str(rep["id"])]}, nil
			}}},
		"c": {`type Book { id: ID price: Int isExpensive: Boolean } type Query { c: Int }`, nil,
			map[string]testsubgraph.EntityResolver{"Book": func(_ context.Context, rep map[string]any) (any, error) {
				p, ok := toInt(rep["price"])
				if !ok {
					return nil, &testsubgraph.CodedError{Message: "price missing", Code: "BAD_USER_INPUT"}
				}
				return map[string]any{"id": rep["id"], "isExpensive": p > 100}, nil
			}}},
		"d": {`type Book { id: ID isExpensive: Boolean verdict: String } type Query { d: Int }`, nil,
			map[string]testsubgraph.EntityResolver{"Book": func(_ context.Context, rep map[string]any) (any, error) {
				v := "bargain"
				if rep["isExpensive"] == true {
					v = "splurge"
				}
				return map[string]any{"id": rep["id"], "verdict": v}, nil
			}}},
	}
	urls := map[string]string{}
	for name, s := range subs {
		sg, err := testsubgraph.New(name, s.sdl, s.res, s.ents)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(sg)
		t.Cleanup(srv.Close)
		urls[name] = srv.URL
	}
	sdl, err := os.ReadFile("testdata/chain.supergraph.graphql")
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(Config{SupergraphSDL: string(sdl), SubgraphURLs: urls})
	if err != nil {
		t.Fatal(err)
	}
	res := do(t, r, http.MethodPost, `{ books { title verdict } }`, nil, nil)
	want := `{"data":{"books":[{"title":"Cheap","verdict":"bargain"},{"title":"Dear","verdict":"splurge"},{"title":"Lost","verdict":null}]}}`
	if res.body != want {
		t.Fatalf("got  %s\nwant %s", res.body, want)
	}
}
