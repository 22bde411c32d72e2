package router

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/cinegraph/cinegraph/router/internal/testsubgraph"
)

// TestSharedRoot: a shareable root field returning a value type whose fields
// live in different subgraphs is fetched from each of them and merged.
func TestSharedRoot(t *testing.T) {
	t.Parallel()
	urls := map[string]string{}
	for _, part := range productParts(t) {
		srv := httptest.NewServer(part.s)
		t.Cleanup(srv.Close)
		urls[part.name] = srv.URL
	}
	sdl, err := os.ReadFile("testdata/shared.supergraph.graphql")
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(Config{SupergraphSDL: string(sdl), SubgraphURLs: urls})
	if err != nil {
		t.Fatal(err)
	}
	res := do(t, r, http.MethodPost, `{ product { id name { brand } price { amount } category { name } } products { id name { model } price { currency } } }`, nil, nil)
	want := `{"data":{"product":{"id":"1","name":{"brand":"Brand 1"},"price":{"amount":1000},"category":{"name":"Category 1"}},"products":[{"id":"1","name":{"model":"Model 1"},"price":{"currency":"USD"}}]}}`
	if res.body != want {
		t.Fatalf("got  %s\nwant %s", res.body, want)
	}
}

// productPart is one subgraph of the shared-root products: each owns one
// field of the same value type, Product.
type productPart struct {
	name string
	s    *testsubgraph.Subgraph
}

// productParts are the category, name and price subgraphs, each resolving
// product and products with its own field of product 1.
func productParts(t *testing.T) []productPart {
	t.Helper()
	product := map[string]any{
		"id":       "1",
		"name":     map[string]any{"id": "1", "brand": "Brand 1", "model": "Model 1"},
		"category": map[string]any{"id": "1", "name": "Category 1"},
		"price":    map[string]any{"id": "1", "amount": int64(1000), "currency": "USD"},
	}
	var parts []productPart
	for _, part := range []struct{ name, sdl string }{
		{"category", `type Query { product: Product! products: [Product!]! } type Product { id: ID! category: Category! } type Category { id: ID! name: String! }`},
		{"name", `type Query { product: Product! products: [Product!]! } type Product { id: ID! name: Name! } type Name { id: ID! brand: String! model: String! }`},
		{"price", `type Query { product: Product! products: [Product!]! } type Product { id: ID! price: Price! } type Price { id: ID! amount: Int! currency: String! }`},
	} {
		only := part.name
		res := map[string]testsubgraph.Resolver{
			"Query.product": func(context.Context, map[string]any, map[string]any) (any, error) {
				return map[string]any{"id": "1", only: product[only]}, nil
			},
			"Query.products": func(context.Context, map[string]any, map[string]any) (any, error) {
				return []any{map[string]any{"id": "1", only: product[only]}}, nil
			},
		}
		s, err := testsubgraph.New(part.name, part.sdl, res, nil)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, productPart{part.name, s})
	}
	return parts
}
