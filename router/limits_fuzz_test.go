package router

import (
	"context"
	"runtime"
	"testing"

	"github.com/cinegraph/cinegraph/router/limits"
	"github.com/cinegraph/cinegraph/router/limits/limitstest"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// FuzzPlan runs documents through parsing, the limits, validation,
// normalization and planning (Router.Plan), and holds each to a budget of
// allocated bytes: whatever a client sends, refusing or planning it costs
// a bounded amount of work. The seeds under testdata/fuzz/FuzzPlan are the
// attacks at the scale of the limits below; `go test` runs only those.
func FuzzPlan(f *testing.F) {
	lim := limits.Config{MaxTokens: 2_000, MaxDepth: 16, MaxAliases: 50, MaxRootFields: 20, MaxFields: 300, MaxRepeats: 40}
	r := attackRouter(f, &limitstest.Subgraphs{}, lim, nil)
	const allocBudget = 32 << 20
	f.Fuzz(func(t *testing.T, query string) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := r.Plan(context.Background(), query, "", nil)
		runtime.ReadMemStats(&after)
		if got := after.TotalAlloc - before.TotalAlloc; got > allocBudget {
			t.Fatalf("allocated %d KiB, budget %d KiB", got>>10, allocBudget>>10)
		}
		if err != nil {
			return
		}
		// Nothing over a limit is planned.
		doc, perr := parser.ParseQuery(&ast.Source{Input: query})
		if perr != nil {
			t.Fatalf("planned a document that does not parse: %v", perr)
		}
		m := limits.Measure(doc)
		if n := limits.CountTokens(query); n > lim.MaxTokens || m.Depth > lim.MaxDepth || m.Aliases > lim.MaxAliases || m.RootFields > lim.MaxRootFields || m.Fields > lim.MaxFields || limits.CountRepeats(doc) > lim.MaxRepeats {
			t.Fatalf("planned a document over the limits: %d tokens, %+v, %d repeats", n, m, limits.CountRepeats(doc))
		}
	})
}
