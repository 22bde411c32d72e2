package router

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/cinegraph/cinegraph/router/internal/testsubgraph"
)

// demo is the classic federation demo (accounts, products, inventory,
// reviews) served by in-process test subgraphs.
type demo struct {
	subgraphs map[string]*testsubgraph.Subgraph
	urls      map[string]string
}

func str(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	}
	return fmt.Sprint(v)
}

func toInt(v any) (int64, bool) {
	switch v := v.(type) {
	case int64:
		return v, true
	case int:
		return int64(v), true
	case float64:
		return int64(v), true
	}
	return 0, false
}

func newDemo(t *testing.T) *demo {
	t.Helper()
	users := map[string]map[string]any{
		"1": {"id": "1", "name": "Ada Lovelace", "username": "@ada", "email": "ada@example.com", "birthYear": int64(1815)},
		"2": {"id": "2", "name": "Alan Turing", "username": "@alan", "email": "alan@example.com", "birthYear": int64(1912)},
		"3": {"id": "3", "name": "Grace Hopper", "username": "@grace", "email": nil},
	}
	products := []map[string]any{
		{"__typename": "Product", "upc": "1", "name": "Trilby", "price": int64(11), "weight": int64(2), "internalCode": "T-1"},
		{"__typename": "Product", "upc": "2", "name": "Fedora", "price": int64(22), "weight": int64(4), "internalCode": "F-2"},
		{"__typename": "Product", "upc": "3", "name": "Boater", "price": int64(33), "weight": int64(6), "internalCode": "B-3"},
	}
	furniture := []map[string]any{
		{"__typename": "Furniture", "upc": "f1", "name": "Chair", "material": "oak"},
		{"__typename": "Furniture", "upc": "f2", "name": "Couch", "material": "linen"},
	}
	var mu sync.Mutex
	reviews := []map[string]any{
		{"id": "r1", "upc": "1", "author": "1", "body": "Love it", "rating": int64(5)},
		{"id": "r2", "upc": "1", "author": "2", "body": "Too small", "rating": int64(2)},
		{"id": "r3", "upc": "2", "author": "1", "body": "Stylish", "rating": int64(4)},
	}
	productByUPC := func(upc string) map[string]any {
		for _, p := range products {
			if p["upc"] == upc {
				return p
			}
		}
		return nil
	}
	reviewObj := func(r map[string]any) map[string]any {
		u := users[r["author"].(string)]
		return map[string]any{
			"id": r["id"], "body": r["body"], "rating": r["rating"],
			"author":  map[string]any{"id": u["id"], "username": u["username"]},
			"product": map[string]any{"upc": r["upc"], "name": productByUPC(r["upc"].(string))["name"]},
		}
	}
	reviewsWhere := func(key, val string) []any {
		mu.Lock()
		defer mu.Unlock()
		var out []any
		for _, r := range reviews {
			if r[key] == val {
				out = append(out, reviewObj(r))
			}
		}
		return out
	}

	mk := func(name, sdl string, res map[string]testsubgraph.Resolver, ents map[string]testsubgraph.EntityResolver) *testsubgraph.Subgraph {
		sg, err := testsubgraph.New(name, sdl, res, ents)
		if err != nil {
			t.Fatal(err)
		}
		return sg
	}
	d := &demo{subgraphs: map[string]*testsubgraph.Subgraph{}, urls: map[string]string{}}
	d.subgraphs["accounts"] = mk("accounts", `
type User { id: ID! name: String username: String! email: String! birthYear: Int }
type Query { me: User user(id: ID!): User users: [User!]! }`,
		map[string]testsubgraph.Resolver{
			"Query.me": func(ctx context.Context, _ map[string]any, _ map[string]any) (any, error) { return users["1"], nil },
			"Query.user": func(ctx context.Context, _ map[string]any, args map[string]any) (any, error) {
				switch id := str(args["id"]); id {
				case "404":
					return nil, &testsubgraph.CodedError{Message: "no user 404", Code: "NOT_FOUND"}
				case "418":
					return nil, &testsubgraph.CodedError{Message: "teapot at 10.0.0.7", Code: "I_AM_A_TEAPOT"}
				case "500":
					return nil, fmt.Errorf("database password is hunter2")
				default:
					return users[id], nil
				}
			},
			"Query.users": func(ctx context.Context, _ map[string]any, _ map[string]any) (any, error) {
				return []any{users["1"], users["2"], users["3"]}, nil
			},
		},
		map[string]testsubgraph.EntityResolver{
			"User": func(ctx context.Context, rep map[string]any) (any, error) {
				u := users[str(rep["id"])]
				if u == nil {
					return nil, nil
				}
				return copyMap(u), nil
			},
		})
	d.subgraphs["products"] = mk("products", `
interface ProductItem { upc: String! name: String }
type Product implements ProductItem { upc: String! name: String price: Int weight: Int internalCode: String }
type Furniture implements ProductItem { upc: String! name: String material: String }
union Thing = Product | Furniture
type Query { topProducts(first: Int = 5): [Product] product(upc: String!): Product items: [ProductItem!]! things: [Thing!]! }`,
		map[string]testsubgraph.Resolver{
			"Query.topProducts": func(ctx context.Context, _ map[string]any, args map[string]any) (any, error) {
				n, _ := toInt(args["first"])
				var out []any
				for i, p := range products {
					if int64(i) >= n {
						break
					}
					out = append(out, p)
				}
				return out, nil
			},
			"Query.product": func(ctx context.Context, _ map[string]any, args map[string]any) (any, error) {
				if p := productByUPC(str(args["upc"])); p != nil {
					return p, nil
				}
				return nil, nil
			},
			"Query.items": func(ctx context.Context, _ map[string]any, _ map[string]any) (any, error) {
				return []any{products[0], furniture[0], products[1]}, nil
			},
			"Query.things": func(ctx context.Context, _ map[string]any, _ map[string]any) (any, error) {
				return []any{furniture[0], products[2], furniture[1]}, nil
			},
		},
		map[string]testsubgraph.EntityResolver{
			"Product": func(ctx context.Context, rep map[string]any) (any, error) {
				return productByUPC(str(rep["upc"])), nil
			},
			"Furniture": func(ctx context.Context, rep map[string]any) (any, error) {
				for _, f := range furniture {
					if f["upc"] == rep["upc"] {
						return f, nil
					}
				}
				return nil, nil
			},
		})
	d.subgraphs["inventory"] = mk("inventory", `
type Product { upc: String! weight: Int price: Int inStock: Boolean shippingEstimate: Int }
type Furniture { upc: String! stock: Int! }
type Query { inventoryVersion: Int }`,
		map[string]testsubgraph.Resolver{
			"Product.shippingEstimate": func(ctx context.Context, p map[string]any, _ map[string]any) (any, error) {
				price, ok1 := toInt(p["price"])
				weight, ok2 := toInt(p["weight"])
				if !ok1 || !ok2 {
					return nil, fmt.Errorf("shippingEstimate needs price and weight, got %v", p)
				}
				return price * weight / 10, nil
			},
		},
		map[string]testsubgraph.EntityResolver{
			"Product": func(ctx context.Context, rep map[string]any) (any, error) {
				out := copyMap(rep)
				out["inStock"] = str(rep["upc"]) != "3"
				return out, nil
			},
			"Furniture": func(ctx context.Context, rep map[string]any) (any, error) {
				out := copyMap(rep)
				if rep["upc"] == "f1" {
					out["stock"] = int64(5)
				}
				return out, nil
			},
		})
	d.subgraphs["reviews"] = mk("reviews", `
type Review { id: ID! body: String! rating: Int! author: User product: Product }
type User { id: ID! username: String! reviews: [Review!]! }
type Product { upc: String! name: String reviews: [Review!]! }
type Query { latestReviews: [Review!]! }
type Mutation { addReview(upc: String!, body: String!, rating: Int = 5): Review! }`,
		map[string]testsubgraph.Resolver{
			"Query.latestReviews": func(ctx context.Context, _ map[string]any, _ map[string]any) (any, error) {
				mu.Lock()
				defer mu.Unlock()
				var out []any
				for i := len(reviews) - 1; i >= 0; i-- {
					out = append(out, reviewObj(reviews[i]))
				}
				return out, nil
			},
			"Mutation.addReview": func(ctx context.Context, _ map[string]any, args map[string]any) (any, error) {
				mu.Lock()
				defer mu.Unlock()
				r := map[string]any{"id": fmt.Sprintf("r%d", len(reviews)+1), "upc": str(args["upc"]), "author": "1", "body": args["body"], "rating": args["rating"]}
				reviews = append(reviews, r)
				return reviewObj(r), nil
			},
		},
		map[string]testsubgraph.EntityResolver{
			"User": func(ctx context.Context, rep map[string]any) (any, error) {
				return map[string]any{"id": rep["id"], "reviews": reviewsWhere("author", str(rep["id"]))}, nil
			},
			"Product": func(ctx context.Context, rep map[string]any) (any, error) {
				upc := str(rep["upc"])
				p := productByUPC(upc)
				if p == nil {
					return nil, nil
				}
				return map[string]any{"upc": upc, "name": p["name"], "reviews": reviewsWhere("upc", upc)}, nil
			},
		})
	for name, sg := range d.subgraphs {
		srv := httptest.NewServer(sg)
		t.Cleanup(srv.Close)
		d.urls[name] = srv.URL
	}
	return d
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func demoSDL(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("testdata/demo.supergraph.graphql")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func demoSDLB(b *testing.B) string { return demoSDL(b) }

func (d *demo) router(t *testing.T, mod func(*Config)) *Router {
	t.Helper()
	cfg := Config{SupergraphSDL: demoSDL(t), SubgraphURLs: d.urls, ForwardHeaders: []string{"Authorization", "X-Request-Id"}}
	if mod != nil {
		mod(&cfg)
	}
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
