package resilience_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/resilience"
	"github.com/cinegraph/cinegraph/router/wire"
)

// The guard wraps each instance through the fetch.Middleware seam; after
// five failures in a row its breaker answers at once, without a request.
func ExampleGuard() {
	guard, err := resilience.New(resilience.Config{
		// Retries off, so each fetch is one attempt.
		Default: resilience.Policy{Retry: resilience.Retry{MaxAttempts: 1}},
	}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	attempts := 0
	down := func(string, string) fetch.Fetcher {
		return fetch.Func(func(context.Context, *wire.SubgraphRequest, http.Header) (*wire.SubgraphResponse, error) {
			attempts++
			return nil, errors.New("connection refused")
		})
	}
	set := fetch.NewSet(map[string]string{"video": "http://video:4002/graphql"}, down, guard.Middleware)
	for i := 1; i <= 7; i++ {
		_, err := set.Fetch(context.Background(), "video", &wire.SubgraphRequest{Query: "{ __typename }", OperationKind: "query"}, nil)
		var refused *fetch.Error
		if errors.As(err, &refused) {
			fmt.Println(i, refused.Reason)
		} else {
			fmt.Println(i, err)
		}
	}
	fmt.Println("attempts:", attempts, "breaker:", guard.Report()["video"].Breaker)
	// Output:
	// 1 connection refused
	// 2 connection refused
	// 3 connection refused
	// 4 connection refused
	// 5 connection refused
	// 6 CIRCUIT_OPEN
	// 7 CIRCUIT_OPEN
	// attempts: 5 breaker: open
}
