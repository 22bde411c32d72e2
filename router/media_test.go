package router

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/cinegraph/cinegraph/router/internal/testsubgraph"
)

// newMediaRouter serves the media fixture: an interface owned by one
// subgraph, extended by an @interfaceObject in another, and a field
// overridden by a third.
func newMediaRouter(t *testing.T) (*Router, map[string]*testsubgraph.Subgraph) {
	t.Helper()
	items := map[string]map[string]any{
		"b1": {"__typename": "Book", "id": "b1", "title": "Dune", "pages": int64(412)},
		"m1": {"__typename": "Movie", "id": "m1", "title": "Alien", "director": "Ridley Scott", "price": int64(100)},
	}
	reviews := map[string]map[string]any{
		"b1": {"id": "b1", "reviews": []any{"spicy"}, "rating": int64(5)},
		"m1": {"id": "m1", "reviews": []any{"tense", "scary"}, "rating": int64(4)},
	}
	mk := func(name, sdl string, res map[string]testsubgraph.Resolver, ents map[string]testsubgraph.EntityResolver) *testsubgraph.Subgraph {
		s, err := testsubgraph.New(name, sdl, res, ents)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	subs := map[string]*testsubgraph.Subgraph{
		"media": mk("media", `
interface Media { id: ID! title: String! }
type Book implements Media { id: ID! title: String! pages: Int }
type Movie implements Media { id: ID! title: String! director: String price: Int }
type Query { media: [Media!]! }`,
			map[string]testsubgraph.Resolver{
				"Query.media": func(context.Context, map[string]any, map[string]any) (any, error) {
					return []any{items["b1"], items["m1"]}, nil
				},
			},
			map[string]testsubgraph.EntityResolver{
				"Media": func(_ context.Context, rep map[string]any) (any, error) { return items[str(rep["id"])], nil },
				"Book":  func(_ context.Context, rep map[string]any) (any, error) { return items[str(rep["id"])], nil },
				"Movie": func(_ context.Context, rep map[string]any) (any, error) { return items[str(rep["id"])], nil },
			}),
		"reviews": mk("reviews", `
type Media { id: ID! reviews: [String!]! rating: Int }
type Query { topRated: [Media!]! }`,
			map[string]testsubgraph.Resolver{
				"Query.topRated": func(context.Context, map[string]any, map[string]any) (any, error) {
					return []any{reviews["b1"], reviews["m1"]}, nil
				},
			},
			map[string]testsubgraph.EntityResolver{
				"Media": func(_ context.Context, rep map[string]any) (any, error) { return reviews[str(rep["id"])], nil },
			}),
		"pricing": mk("pricing", `
type Movie { id: ID! price: Int }
type Query { currency: String }`, nil,
			map[string]testsubgraph.EntityResolver{
				"Movie": func(_ context.Context, rep map[string]any) (any, error) {
					return map[string]any{"id": rep["id"], "price": int64(42)}, nil
				},
			}),
	}
	urls := map[string]string{}
	for name, s := range subs {
		srv := httptest.NewServer(s)
		t.Cleanup(srv.Close)
		urls[name] = srv.URL
	}
	sdl, err := os.ReadFile("testdata/media.supergraph.graphql")
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(Config{SupergraphSDL: string(sdl), SubgraphURLs: urls})
	if err != nil {
		t.Fatal(err)
	}
	return r, subs
}

func TestInterfaceObjectsAndOverride(t *testing.T) {
	t.Parallel()
	r, _ := newMediaRouter(t)
	tests := []struct{ name, query, want string }{
		{
			"interface object fields on implementations, overridden price",
			`{ media { title reviews ... on Movie { director price } } }`,
			`{"data":{"media":[{"title":"Dune","reviews":["spicy"]},{"title":"Alien","reviews":["tense","scary"],"director":"Ridley Scott","price":42}]}}`,
		},
		{
			"interface object resolved to concrete types",
			`{ topRated { id rating title __typename ... on Book { pages } } }`,
			`{"data":{"topRated":[{"id":"b1","rating":5,"title":"Dune","__typename":"Book","pages":412},{"id":"m1","rating":4,"title":"Alien","__typename":"Movie"}]}}`,
		},
		{
			"interface object with interface fields only",
			`{ topRated { id reviews } }`,
			`{"data":{"topRated":[{"id":"b1","reviews":["spicy"]},{"id":"m1","reviews":["tense","scary"]}]}}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := do(t, r, http.MethodPost, tc.query, nil, nil)
			if res.body != tc.want {
				t.Fatalf("got  %s\nwant %s", res.body, tc.want)
			}
		})
	}
}
