package router_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"

	"github.com/cinegraph/cinegraph/router"
)

// A router serves one /graphql endpoint for a supergraph; SubgraphURLs
// overrides the URLs composition recorded.
func ExampleNew() {
	sdl, err := os.ReadFile("testdata/demo.supergraph.graphql")
	if err != nil {
		log.Fatal(err)
	}
	r, err := router.New(router.Config{
		SupergraphSDL: string(sdl),
		SubgraphURLs:  map[string]string{"products": "http://127.0.0.1:4002/graphql"},
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/graphql", r) // then http.ListenAndServe("127.0.0.1:4000", mux)

	// The same planner answers `cinegraph router plan`.
	raw, err := r.Plan(context.Background(), `{ topProducts { name inStock } }`, "", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(raw))
	// Output:
	// {"kind":"QueryPlan","node":{"kind":"Sequence","nodes":[{"kind":"Fetch","serviceName":"products","variableUsages":[],"operationKind":"query","operation":"query{topProducts{name __typename upc}}"},{"kind":"Flatten","path":["topProducts","@"],"node":{"kind":"Fetch","serviceName":"inventory","requires":[{"kind":"InlineFragment","typeCondition":"Product","selections":[{"kind":"Field","name":"__typename"},{"kind":"Field","name":"upc"}]}],"variableUsages":[],"operationKind":"query","operation":"query($representations:[_Any!]!){_entities(representations:$representations){...on Product{inStock}}}"}}]}}
}
