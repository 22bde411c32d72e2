package plan

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// fragmentBomb spreads each of n fragments twice in the next: n+1
// fragments in a few hundred bytes that expand to 2^n copies of the first.
func fragmentBomb(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "{ me { ...F%d } }\nfragment F0 on User { id name }\n", n)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "fragment F%d on User { ...F%d ...F%d }\n", i, i-1, i-1)
	}
	return b.String()
}

// Not parallel: it reads the process's allocation counters.
func TestNormalizeRefusesWhatItCannotBuild(t *testing.T) {
	schema := loadSupergraph(t, "../testdata/demo.supergraph.graphql").APISchema()
	tests := []struct {
		name  string
		query string
		// allocBudget bounds the bytes Normalize may allocate before
		// refusing: the work it does, whatever the machine's speed.
		allocBudget uint64
	}{
		{"fragment bomb", fragmentBomb(40), 64 << 20},
		{"nesting", "{ me {" + strings.Repeat(" reviews { author {", 150) + " id" + strings.Repeat(" } }", 150) + " } }", 16 << 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := parser.ParseQuery(&ast.Source{Input: tc.query})
			if err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err = Normalize(schema, doc, doc.Operations[0], nil)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("err = %v, want ErrTooLarge", err)
			}
			if got := after.TotalAlloc - before.TotalAlloc; got > tc.allocBudget {
				t.Fatalf("allocated %d bytes before refusing, budget %d", got, tc.allocBudget)
			}
		})
	}
}

func TestNormalizeReusesFragmentSizes(t *testing.T) {
	t.Parallel()
	schema := loadSupergraph(t, "../testdata/demo.supergraph.graphql").APISchema()
	// 2^10 copies of two fields: well inside MaxSelections, so every spread
	// is expanded even though its size is known.
	doc, err := parser.ParseQuery(&ast.Source{Input: fragmentBomb(10)})
	if err != nil {
		t.Fatal(err)
	}
	op, err := Normalize(schema, doc, doc.Operations[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	var fields func([]Selection) int
	fields = func(ss []Selection) int {
		n := 0
		for _, s := range ss {
			if s.Fragment != nil {
				n += fields(s.Fragment.Selections)
				continue
			}
			n += 1 + fields(s.Field.Selections)
		}
		return n
	}
	if got, want := fields(op.Selections), 1+2<<10; got != want {
		t.Fatalf("normalized fields = %d, want %d", got, want)
	}
}
