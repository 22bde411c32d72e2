package router

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/cinegraph/cinegraph/router/internal/testsubgraph"
)

// TestClientAliasesNeverMeetPlannerFields: the planner fetches keys,
// @requires fields and __typename next to the client's fields; whatever
// response keys the client picks (even __typename, or the planner's own
// alias spelling), it gets exactly its aliases with the right values.
func TestClientAliasesNeverMeetPlannerFields(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	r := d.router(t, nil)
	tests := []struct{ name, query, want string }{
		{
			"field aliased __typename on an entity completed by another subgraph",
			`{ me { __typename: name reviews { rating } } }`,
			`{"data":{"me":{"__typename":"Ada Lovelace","reviews":[{"rating":5},{"rating":4}]}}}`,
		},
		{
			"__typename next to a field aliased __typename",
			`{ me { kind: __typename __typename: username reviews { rating } } }`,
			`{"data":{"me":{"kind":"User","__typename":"@ada","reviews":[{"rating":5},{"rating":4}]}}}`,
		},
		{
			"list aliased __typename whose items are completed by another subgraph",
			`{ me { __typename: reviews { body author { name } } } }`,
			`{"data":{"me":{"__typename":[{"body":"Love it","author":{"name":"Ada Lovelace"}},{"body":"Stylish","author":{"name":"Ada Lovelace"}}]}}}`,
		},
		{
			"key field name and internal alias both taken by the client",
			`{ me { id: name __cg_id: username reviews { id } } }`,
			`{"data":{"me":{"id":"Ada Lovelace","__cg_id":"@ada","reviews":[{"id":"r1"},{"id":"r3"}]}}}`,
		},
		{
			"aliases on an abstract type",
			`{ items { __typename: upc ... on Product { upc: name __cg_upc: price reviews { rating } } } }`,
			`{"data":{"items":[{"__typename":"1","upc":"Trilby","__cg_upc":11,"reviews":[{"rating":5},{"rating":2}]},{"__typename":"f1"},{"__typename":"2","upc":"Fedora","__cg_upc":22,"reviews":[{"rating":4}]}]}}`,
		},
		{
			"requires field name and internal alias both taken by the client",
			`{ product(upc: "2") { price: name __cg_price: weight shippingEstimate } }`,
			`{"data":{"product":{"price":"Fedora","__cg_price":4,"shippingEstimate":8}}}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := do(t, r, http.MethodPost, tc.query, nil, nil)
			if res.status != http.StatusOK {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			if res.body != tc.want {
				t.Fatalf("got  %s\nwant %s", res.body, tc.want)
			}
		})
	}
}

// TestRenamedSiblingFields: shelf declares Book.title non-null and
// Movie.title nullable, so it cannot answer both under one key; the planner
// aliases one and the executor renames it back, also when the client uses
// the alias the planner would pick by default.
func TestRenamedSiblingFields(t *testing.T) {
	t.Parallel()
	media := []any{
		map[string]any{"__typename": "Book", "id": "b1", "title": "Dune"},
		map[string]any{"__typename": "Movie", "id": "m1", "title": "Alien"},
		map[string]any{"__typename": "Movie", "id": "m2", "title": nil},
	}
	prices := map[string]int64{"b1": 10, "m1": 7, "m2": 5}
	price := func(_ context.Context, rep map[string]any) (any, error) {
		return map[string]any{"__typename": rep["__typename"], "id": rep["id"], "price": prices[str(rep["id"])]}, nil
	}
	urls := map[string]string{}
	for _, part := range []struct {
		name, sdl string
		res       map[string]testsubgraph.Resolver
		ents      map[string]testsubgraph.EntityResolver
	}{
		{"shelf", `type Query { media: [Media!]! } union Media = Book | Movie type Book { id: ID! title: String! } type Movie { id: ID! title: String }`,
			map[string]testsubgraph.Resolver{"Query.media": func(context.Context, map[string]any, map[string]any) (any, error) { return media, nil }}, nil},
		{"store", `type Query { storeVersion: Int } type Book { id: ID! title: String price: Int } type Movie { id: ID! price: Int }`,
			nil, map[string]testsubgraph.EntityResolver{"Book": price, "Movie": price}},
	} {
		s, err := testsubgraph.New(part.name, part.sdl, part.res, part.ents)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(s)
		t.Cleanup(srv.Close)
		urls[part.name] = srv.URL
	}
	sdl, err := os.ReadFile("testdata/nullability.supergraph.graphql")
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(Config{SupergraphSDL: string(sdl), SubgraphURLs: urls})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, query, want string }{
		{
			"sibling titles",
			`{ media { ... on Book { title } ... on Movie { title } } }`,
			`{"data":{"media":[{"title":"Dune"},{"title":"Alien"},{"title":null}]}}`,
		},
		{
			"client alias spelled like the rename",
			`{ media { ... on Book { title price } ... on Movie { title __cg_Movie_title: id price } } }`,
			`{"data":{"media":[{"title":"Dune","price":10},{"title":"Alien","__cg_Movie_title":"m1","price":7},{"title":null,"__cg_Movie_title":"m2","price":5}]}}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := do(t, r, http.MethodPost, tc.query, nil, nil)
			if res.status != http.StatusOK {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			if res.body != tc.want {
				t.Fatalf("got  %s\nwant %s", res.body, tc.want)
			}
		})
	}
}
