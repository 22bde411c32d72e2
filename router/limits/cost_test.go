package limits

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/router/compose"
	"github.com/cinegraph/cinegraph/router/supergraph"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// costModel is a small federation using every cost directive.
func costModel(t *testing.T) CostModel {
	t.Helper()
	sdl, err := compose.Compose([]compose.Subgraph{{Name: "shop", URL: "http://shop.invalid", SDL: `
		extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@cost", "@listSize"])
		type Query {
			items(first: Int = 10 @cost(weight: 2), last: Int): ItemPage! @listSize(slicingArguments: ["first", "last"], sizedFields: ["nodes"], requireOneSlicingArgument: false)
			me: User
			tags: [String!]!
			search(q: String!): [Node!]! @cost(weight: 4)
		}
		type Mutation { buy(id: ID!): Item! }
		type ItemPage { nodes: [Item!]! total: Int! }
		interface Node { id: ID! }
		type Item implements Node @key(fields: "id") @cost(weight: 5) { id: ID! name: String! }
		type User implements Node @key(fields: "id") { id: ID! friends: [User!]! @listSize(assumedSize: 3) tags: [String!]! }`}})
	if err != nil {
		t.Fatal(err)
	}
	sg, err := supergraph.Parse(sdl)
	if err != nil {
		t.Fatal(err)
	}
	return CostModel{Schema: sg.APISchema(), Supergraph: sg, ListSize: 10}
}

func operation(t *testing.T, m CostModel, query string) (*ast.QueryDocument, *ast.OperationDefinition) {
	t.Helper()
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		t.Fatal(err)
	}
	if errs := validator.Validate(m.Schema, doc); len(errs) > 0 {
		t.Fatal(errs)
	}
	return doc, doc.Operations[0]
}

func TestEstimate(t *testing.T) {
	t.Parallel()
	m := costModel(t)
	cases := []struct {
		name  string
		query string
		vars  map[string]any
		want  float64
	}{
		{"scalars cost nothing", `{ tags }`, nil, 0},
		{"an object costs 1", `{ me { id } }`, nil, 1},
		{"assumed size", `{ me { friends { id } } }`, nil, 1 + 3},
		{"nested lists multiply", `{ me { friends { friends { id } } } }`, nil, 1 + 3*(1+3)},
		{"slicing argument sizes the sized field, argument weight added", `{ items(first: 4) { nodes { id } } }`, nil, 1 + 4*5 + 2},
		{"slicing by a variable", `query($n: Int) { items(first: $n) { nodes { name } } }`, map[string]any{"n": int64(7)}, 1 + 7*5 + 2},
		{"the larger of two slicing arguments", `{ items(first: 2, last: 6) { nodes { id } } }`, nil, 1 + 6*5 + 2},
		{"the argument's default value", `{ items { nodes { id } } }`, nil, 1 + 10*5},
		{"the argument's default value for an unset variable", `query($n: Int) { items(first: $n) { nodes { id } } }`, nil, 1 + 10*5 + 2},
		{"a field weight replaces the type's", `{ search(q: "x") { id } }`, nil, 10 * 4},
		{"mutation root fields cost 10 more", `mutation { buy(id: "1") { id } }`, nil, 5 + 10},
		{"fragments count like inline selections", `{ me { ...F } } fragment F on User { friends { ...G } } fragment G on User { id friends { id } }`, nil, 1 + 3*(1+3)},
		{"a fragment spread twice counts twice", `{ a: me { ...F } b: me { ...F } } fragment F on User { friends { id } }`, nil, 2 * (1 + 3)},
		{"skipped selections cost nothing", `query($s: Boolean!) { me @skip(if: $s) { id } tags }`, map[string]any{"s": true}, 0},
		{"introspection is free", `{ __typename __schema { types { name } } }`, nil, 0},
		{"abstract lists count every branch", `{ search(q: "x") { ... on Item { name } ... on User { friends { id } } } }`, nil, 10 * (4 + 3)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc, op := operation(t, m, tc.query)
			if got := m.Estimate(doc, op, tc.vars); got != tc.want {
				t.Errorf("Estimate = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestActual(t *testing.T) {
	t.Parallel()
	m := costModel(t)
	cases := []struct {
		name, query, data string
		want              float64
	}{
		{"lists at their real length", `{ me { friends { id } } }`, `{"me":{"friends":[{"id":"1"},{"id":"2"}]}}`, 1 + 2},
		{"null costs nothing", `{ me { id } }`, `{"me":null}`, 0},
		{"sized list", `{ items(first: 4) { nodes { id } } }`, `{"items":{"nodes":[{"id":"a"}]}}`, 1 + 5 + 2},
		{"a field selected twice counts once", `{ me { id ... on User { id } } }`, `{"me":{"id":"1"}}`, 1},
		{"typed branches", `{ search(q: "x") { __typename ... on Item { name } ... on User { friends { id } } } }`,
			`{"search":[{"__typename":"Item","name":"n"},{"__typename":"User","friends":[{"id":"1"}]}]}`, 4 + (4 + 1)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc, op := operation(t, m, tc.query)
			if got := m.Actual(doc, op, nil, json.RawMessage(tc.data)); got != tc.want {
				t.Errorf("Actual = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCheckCost(t *testing.T) {
	t.Parallel()
	c, err := New(Config{MaxCost: 100}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CheckCost(100); err != nil {
		t.Errorf("at the limit: %v", err)
	}
	err = c.CheckCost(100.5)
	if err == nil || !strings.Contains(err.Error(), "operation exceeds the cost limit (101 > 100)") {
		t.Errorf("over the limit: %v", err)
	}
	warn, _ := New(Config{MaxCost: 100, WarnOnly: true}, nil)
	if err := warn.CheckCost(1e30); err != nil {
		t.Errorf("warn-only: %v", err)
	}
}
