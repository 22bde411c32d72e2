package router

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	gqltransport "github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/cinegraph/cinegraph/router/bench/subgraphs/accounts"
	"github.com/cinegraph/cinegraph/router/bench/subgraphs/fixtures"
	"github.com/cinegraph/cinegraph/router/bench/subgraphs/inventory"
	"github.com/cinegraph/cinegraph/router/bench/subgraphs/products"
	"github.com/cinegraph/cinegraph/router/bench/subgraphs/reviews"
	"github.com/cinegraph/cinegraph/router/compose"
	"github.com/cinegraph/cinegraph/router/transport"
	"github.com/cinegraph/cinegraph/router/wire"
)

// cannedFetcher answers from memory so benchmarks measure the router alone.
type cannedFetcher struct {
	root     []byte
	entities func(n int) []byte
}

func (c *cannedFetcher) Fetch(_ context.Context, subgraph string, req *wire.SubgraphRequest, _ http.Header) (*wire.SubgraphResponse, error) {
	if reps, ok := req.Variables["representations"]; ok {
		return wire.DecodeResponse(c.entities(lenOf(reps)))
	}
	return wire.DecodeResponse(c.root)
}

func lenOf(v any) int {
	switch v := v.(type) {
	case []any:
		return len(v)
	case []json.RawMessage:
		return len(v)
	}
	return 0
}

func BenchmarkEntityJump(b *testing.B) {
	const n = 200
	var sb strings.Builder
	sb.WriteString(`{"data":{"topProducts":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"upc":"%d","name":"Product %d","__typename":"Product"}`, i, i)
	}
	sb.WriteString(`]}}`)
	ents := func(k int) []byte {
		var eb strings.Builder
		eb.WriteString(`{"data":{"_entities":[`)
		for i := 0; i < k; i++ {
			if i > 0 {
				eb.WriteByte(',')
			}
			eb.WriteString(`{"__typename":"Product","reviews":[{"body":"good","rating":5},{"body":"bad","rating":1}],"inStock":true}`)
		}
		eb.WriteString(`]}}`)
		return []byte(eb.String())
	}
	r, err := New(Config{SupergraphSDL: demoSDLB(b), Fetcher: &cannedFetcher{root: []byte(sb.String()), entities: ents}})
	if err != nil {
		b.Fatal(err)
	}
	req := &transport.Request{Query: `{ topProducts(first: 200) { upc name inStock reviews { body rating } } }`, Header: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := r.Execute(context.Background(), req)
		if len(res.Response.Errors) > 0 {
			b.Fatal(res.Response.Errors[0].Message)
		}
	}
}

// benchFederation serves the four benchmark subgraphs in-process and returns
// a router composed over them, for profiling the router on real traffic.
func benchFederation(b testing.TB) *Router { return benchFederationClient(b, nil) }

func benchFederationClient(b testing.TB, client *http.Client) *Router {
	b.Helper()
	data := fixtures.New()
	schemas := []struct {
		name string
		es   graphql.ExecutableSchema
	}{
		{"accounts", accounts.NewExecutableSchema(accounts.Config{Resolvers: &accounts.Resolver{Data: data}})},
		{"inventory", inventory.NewExecutableSchema(inventory.Config{Resolvers: &inventory.Resolver{Data: data}})},
		{"products", products.NewExecutableSchema(products.Config{Resolvers: &products.Resolver{Data: data}})},
		{"reviews", reviews.NewExecutableSchema(reviews.Config{Resolvers: &reviews.Resolver{Data: data}})},
	}
	var subs []compose.Subgraph
	for _, s := range schemas {
		srv := handler.New(s.es)
		srv.AddTransport(gqltransport.POST{})
		srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
		ts := httptest.NewServer(srv)
		b.Cleanup(ts.Close)
		sdl, err := os.ReadFile(filepath.Join("bench", "subgraphs", s.name, "schema.graphqls"))
		if err != nil {
			b.Fatal(err)
		}
		subs = append(subs, compose.Subgraph{Name: s.name, URL: ts.URL, SDL: string(sdl)})
	}
	sdl, err := compose.Compose(subs)
	if err != nil {
		b.Fatal(err)
	}
	r, err := New(Config{SupergraphSDL: sdl, Client: client})
	if err != nil {
		b.Fatal(err)
	}
	return r
}

const benchDeepQuery = `query Deep {
  users {
    id name username
    reviews {
      body
      product {
        upc name price
        reviews { body author { id name username reviews { body product { name } } } }
      }
    }
  }
  topProducts(first: 5) { upc name price weight inStock shippingEstimate reviews { body author { username } } }
}`

func BenchmarkFederation(b *testing.B) {
	r := benchFederation(b)
	for _, bc := range []struct{ name, query string }{
		{"single", `query TopProducts { topProducts(first: 5) { upc name price weight } }`},
		{"deep", benchDeepQuery},
	} {
		b.Run(bc.name, func(b *testing.B) {
			body, _ := json.Marshal(map[string]string{"query": bc.query})
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				r.ServeHTTP(w, req)
				if w.Code != http.StatusOK || bytes.Contains(w.Body.Bytes(), []byte(`"errors"`)) {
					b.Fatalf("status %d: %s", w.Code, w.Body.String())
				}
			}
		})
	}
}
