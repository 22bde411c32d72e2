package depguard_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cinegraph/cinegraph/internal/depguard"
)

// A resolver's dependency called through its guard, with a fallback while
// it fails; the request is marked degraded.
func ExampleDo() {
	guards := depguard.NewRegistry(nil)
	g := guards.Guard("catalog.search", depguard.Policy{Timeout: 2 * time.Second})
	ctx := depguard.Collect(context.Background()) // the GraphQL server does this per response

	hits, err := depguard.Do(ctx, g, func(ctx context.Context) ([]string, error) {
		return nil, errors.New("connection refused")
	})
	if depguard.Failed(ctx, err) {
		hits = []string{"from the store"}
		g.Degraded(ctx, "store")
	}
	fmt.Println(hits, depguard.Marks(ctx))
	fmt.Println(guards.Report()["catalog.search"].Fallbacks)
	// Output:
	// [from the store] [{catalog.search store}]
	// map[store:1]
}
