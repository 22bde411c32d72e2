package fetch_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/wire"
)

// A middleware sees every fetch to the instance it wraps; breakers,
// retries and tracing spans take this shape.
func ExampleMiddleware() {
	logged := func(subgraph, instance string, next fetch.Fetcher) fetch.Fetcher {
		return fetch.Func(func(ctx context.Context, req *wire.SubgraphRequest, h http.Header) (*wire.SubgraphResponse, error) {
			fmt.Printf("%s at %s: %s\n", subgraph, instance, req.Query)
			return next.Fetch(ctx, req, h)
		})
	}
	// A stand-in for the HTTP fetcher, so the example needs no subgraph.
	answer := func(subgraph, _ string) fetch.Fetcher {
		return fetch.Func(func(context.Context, *wire.SubgraphRequest, http.Header) (*wire.SubgraphResponse, error) {
			return &wire.SubgraphResponse{Data: map[string]any{"from": subgraph}}, nil
		})
	}
	set := fetch.NewSet(map[string]string{"catalog": "http://catalog:4001/query"}, answer, logged)
	resp, err := set.Fetch(context.Background(), "catalog", &wire.SubgraphRequest{Query: "{ movies { id } }"}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Data["from"])
	// Output:
	// catalog at http://catalog:4001/query: { movies { id } }
	// catalog
}
