package limits

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/router/plan"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

func TestMeasure(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		query string
		want  Measures
	}{
		{"one field", `{ a }`, Measures{Depth: 1, Fields: 1, Selections: 1, RootFields: 1}},
		{"nested", `{ a { b { c d } } e }`, Measures{Depth: 3, Nesting: 2, Fields: 5, Selections: 5, RootFields: 2}},
		{"aliases", `{ x: a y: a { z: b } a: a }`, Measures{Depth: 2, Nesting: 1, Fields: 4, Selections: 4, Aliases: 3, RootFields: 3}},
		{"inline fragment adds nesting, not depth", `{ ... on Q { a { ... on T { b } } } }`,
			Measures{Depth: 2, Nesting: 3, Fields: 2, Selections: 4, RootFields: 1}},
		{"spread expands at each use", `{ a { ...F } b { ...F } } fragment F on T { x y: z }`,
			Measures{Depth: 2, Nesting: 2, Fields: 6, Selections: 8, Aliases: 2, RootFields: 2}},
		{"root fields through fragments", `{ ...R ... on Q { c } } fragment R on Q { a b }`,
			Measures{Depth: 1, Nesting: 1, Fields: 3, Selections: 5, RootFields: 3}},
		{"an unused fragment counts too", `{ a } fragment F on T { b { c { d } } }`,
			Measures{Depth: 3, Nesting: 2, Fields: 3, Selections: 3, RootFields: 1}},
		{"a cycle counts once", `{ ...F } fragment F on Q { a ...G } fragment G on Q { b ...F }`,
			Measures{Depth: 1, Nesting: 3, Fields: 2, Selections: 5, RootFields: 2}},
		{"the largest operation", `query A { a } query B { a b { c } }`, Measures{Depth: 2, Nesting: 1, Fields: 3, Selections: 3, RootFields: 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Measure(mustParse(t, tc.query)); got != tc.want {
				t.Fatalf("Measure = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestCountRepeats(t *testing.T) {
	t.Parallel()
	tests := []struct {
		query string
		want  int
	}{
		{`{ a b c }`, 0},
		{`{ a a a }`, 2},
		{`{ x: a a x: b }`, 1},
		{`{ a { x } a { x y } }`, 2},
		{`{ a { x } b { x } }`, 0},
		{`{ ... on T { a } ... on U { a } }`, 1},
		{`{ ...F ...F } fragment F on Q { a b }`, 2 + 0},
		{`{ a { ...F } a { ...F } } fragment F on T { x y }`, 3 + 0},
		{`{ ...F } fragment F on Q { a ...F }`, 0},
		{`query A { a a } query B { b b }`, 2},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			t.Parallel()
			if got := CountRepeats(mustParse(t, tc.query)); got != tc.want {
				t.Fatalf("CountRepeats = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestMeasureSaturates(t *testing.T) {
	t.Parallel()
	m := Measure(mustParse(t, fragmentBomb(100)))
	if m.Fields != math.MaxInt || m.Selections != math.MaxInt || m.RootFields != math.MaxInt {
		t.Fatalf("Measure = %+v, want saturated counts", m)
	}
	if m.Depth != 1 || m.Nesting != 101 {
		t.Fatalf("depth %d, nesting %d", m.Depth, m.Nesting)
	}
}

// fragmentBomb spreads each of n fragments twice in the next.
func fragmentBomb(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "{ ...F%d }\nfragment F0 on Query { __typename }\n", n)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i-1, i-1)
	}
	return b.String()
}

func mustParse(t *testing.T, q string) *ast.QueryDocument {
	t.Helper()
	doc, err := parser.ParseQuery(&ast.Source{Input: q})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestCountTokens(t *testing.T) {
	t.Parallel()
	tests := []struct {
		doc  string
		want int
	}{
		{``, 0},
		{`{ a }`, 3},
		{"# a comment\n{ a(x: \"s\", y: [1, 2.5]) }", 14}, // commas are not tokens
		{`query Q($v: Int = 3) { ...F @skip(if: true) }`, 21},
		{`{ a "unterminated }`, 2},
	}
	for _, tc := range tests {
		t.Run(tc.doc, func(t *testing.T) {
			t.Parallel()
			if got := CountTokens(tc.doc); got != tc.want {
				t.Fatalf("CountTokens = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	t.Parallel()
	small := Config{MaxTokens: 40, MaxDepth: 3, MaxAliases: 2, MaxRootFields: 3, MaxFields: 8}
	tests := []struct {
		name    string
		cfg     Config
		query   string
		limit   string
		message string
	}{
		{"tokens", small, "{" + strings.Repeat(" a", 39) + " }", Tokens, "operation exceeds the token limit (41 > 40)"},
		{"depth", small, `{ a { b { c { d } } } }`, Depth, "operation exceeds the depth limit (4 > 3)"},
		{"depth through a fragment", small, `{ a { ...F } } fragment F on T { b { c { d } } }`, Depth, "operation exceeds the depth limit (4 > 3)"},
		{"aliases", small, `{ x: a y: a z: a }`, Aliases, "operation exceeds the alias limit (3 > 2)"},
		{"root fields", small, `{ a b c d }`, RootFields, "operation exceeds the root field limit (4 > 3)"},
		{"fields", small, `{ a { b c d e f g h i } }`, Fields, "operation exceeds the field limit (9 > 8)"},
		{"repeats", Config{MaxRepeats: 2}, `{ a { b b } a { b } }`, Repeats, "operation exceeds the repeated field limit (3 > 2)"},
		{"fragment bomb", Config{}, fragmentBomb(30), Fields, "operation exceeds the field limit (1073741824 > 1000)"},
		{"nesting, even in warn-only mode", Config{WarnOnly: true},
			"{" + strings.Repeat(" a {", 300) + " b" + strings.Repeat(" }", 300) + " }", Nesting, "operation exceeds the nesting limit (300 > 256)"},
		{"selections, even in warn-only mode", Config{WarnOnly: true}, fragmentBomb(30), Selections,
			fmt.Sprintf("operation exceeds the selection limit (%d > %d)", 3<<30-1, plan.MaxSelections)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(tc.cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := c.Parse(tc.query)
			var ge *gqlerror.Error
			if !errors.As(err, &ge) {
				t.Fatalf("Parse = %v, %v; want a refusal", doc, err)
			}
			if ge.Message != tc.message {
				t.Errorf("message = %q, want %q", ge.Message, tc.message)
			}
			if ge.Extensions["code"] != "BAD_USER_INPUT" || ge.Extensions["limit"] != tc.limit {
				t.Errorf("extensions = %v", ge.Extensions)
			}
			var ex *Exceeded
			if !errors.As(err, &ex) || ex.Limit != tc.limit {
				t.Errorf("cause = %v, want an Exceeded %s", ex, tc.limit)
			}
		})
	}
}

func TestWarnOnlyLogs(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	c, err := New(Config{MaxDepth: 1, MaxAliases: 1, WarnOnly: true}, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := c.Parse(`{ x: a { b } y: a { b } }`)
	if err != nil || doc == nil {
		t.Fatalf("Parse = %v, %v; want the document", doc, err)
	}
	for _, want := range []string{"limit=depth value=2 max=1", "limit=alias value=2 max=1"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
}

func TestParseReportsSyntaxErrors(t *testing.T) {
	t.Parallel()
	c, err := New(Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Parse(`{ a `)
	var ge *gqlerror.Error
	if !errors.As(err, &ge) || ge.Extensions["limit"] != nil || !strings.Contains(ge.Message, "Expected Name") {
		t.Fatalf("err = %v, want the parser's", err)
	}
}

func TestConfig(t *testing.T) {
	t.Parallel()
	d := Default()
	if d.MaxTokens != DefaultMaxTokens || d.MaxFields != DefaultMaxFields || d.Timeout != DefaultTimeout || d.MaxResponseBytes != DefaultMaxResponseBytes {
		t.Fatalf("Default() = %+v", d)
	}
	if got := (Config{MaxDepth: 7}).WithDefaults().MaxDepth; got != 7 {
		t.Fatalf("WithDefaults replaced a set value: %d", got)
	}
	err := Config{MaxTokens: -1, MaxDepth: plan.MaxNesting + 1, MaxFields: plan.MaxSelections + 1, MaxRepeats: -1, Timeout: -1}.Validate()
	for _, want := range []string{"max tokens must not be negative", "max repeats must not be negative", "max depth must be at most 256", "max fields must be at most 100000", "timeout must not be negative"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want %q", err, want)
		}
	}
	if _, err := New(Config{MaxAliases: -3}, nil); err == nil {
		t.Error("New accepted a negative limit")
	}
}
