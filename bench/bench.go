// Package bench is the classic four-subgraph federation benchmark (accounts,
// inventory, products, reviews) served from memory: each subgraph's SDL and
// its gqlgen handler over one shared fixture set, wired once for
// cmd/benchsubgraphs and the in-process router benchmarks. Schemas live in
// schema/<name>/, generated code in graph/<name>/ and resolvers in
// resolvers/<name>/, as for Cinegraph's own subgraphs.
package bench

import (
	"embed"
	"fmt"
	"net/http"
	"path"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/cinegraph/cinegraph/bench/fixtures"
	"github.com/cinegraph/cinegraph/bench/graph/accounts"
	"github.com/cinegraph/cinegraph/bench/graph/inventory"
	"github.com/cinegraph/cinegraph/bench/graph/products"
	"github.com/cinegraph/cinegraph/bench/graph/reviews"
	accountsresolvers "github.com/cinegraph/cinegraph/bench/resolvers/accounts"
	inventoryresolvers "github.com/cinegraph/cinegraph/bench/resolvers/inventory"
	productsresolvers "github.com/cinegraph/cinegraph/bench/resolvers/products"
	reviewsresolvers "github.com/cinegraph/cinegraph/bench/resolvers/reviews"
)

//go:embed schema/*/schema.graphqls
var schemas embed.FS

// Names are the benchmark subgraphs in port order: cmd/benchsubgraphs
// serves them on consecutive ports starting with the first.
var Names = []string{"accounts", "inventory", "products", "reviews"}

// queryCacheSize bounds the parsed-query cache of each subgraph; the
// benchmarks send a handful of distinct queries.
const queryCacheSize = 1000

// Subgraph is one benchmark subgraph, ready to serve.
type Subgraph struct {
	Name string
	// SDL is the subgraph's schema, for composing a supergraph.
	SDL string
	// Handler answers GraphQL over POST and GET.
	Handler http.Handler
}

// Subgraphs returns the four subgraphs in Names order, all reading data.
func Subgraphs(data *fixtures.Data) ([]Subgraph, error) {
	executable := map[string]graphql.ExecutableSchema{
		"accounts":  accounts.NewExecutableSchema(accounts.Config{Resolvers: &accountsresolvers.Resolver{Data: data}}),
		"inventory": inventory.NewExecutableSchema(inventory.Config{Resolvers: &inventoryresolvers.Resolver{Data: data}}),
		"products":  products.NewExecutableSchema(products.Config{Resolvers: &productsresolvers.Resolver{Data: data}}),
		"reviews":   reviews.NewExecutableSchema(reviews.Config{Resolvers: &reviewsresolvers.Resolver{Data: data}}),
	}
	out := make([]Subgraph, 0, len(Names))
	for _, name := range Names {
		sdl, err := SDL(name)
		if err != nil {
			return nil, err
		}
		srv := handler.New(executable[name])
		srv.AddTransport(transport.POST{})
		srv.AddTransport(transport.GET{})
		srv.SetQueryCache(lru.New[*ast.QueryDocument](queryCacheSize))
		out = append(out, Subgraph{Name: name, SDL: sdl, Handler: srv})
	}
	return out, nil
}

// SDL returns the schema of the named benchmark subgraph.
func SDL(name string) (string, error) {
	raw, err := schemas.ReadFile(path.Join("schema", name, "schema.graphqls"))
	if err != nil {
		return "", fmt.Errorf("benchmark subgraph %q: %w", name, err)
	}
	return string(raw), nil
}
