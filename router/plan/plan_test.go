package plan

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/cinegraph/cinegraph/router/supergraph"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/validator"
)

var update = flag.Bool("update", false, "rewrite golden plans")

func loadSupergraph(t *testing.T, path string) *supergraph.Supergraph {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sg, err := supergraph.Parse(string(b))
	if err != nil {
		t.Fatal(err)
	}
	return sg
}

func planFor(t *testing.T, sg *supergraph.Supergraph, query string, vars map[string]any) *QueryPlan {
	t.Helper()
	doc, errs := gqlparser.LoadQuery(sg.APISchema(), query)
	if len(errs) > 0 {
		t.Fatalf("validate: %v", errs)
	}
	op, err := Normalize(sg.APISchema(), doc, doc.Operations[0], vars)
	if err != nil {
		t.Fatal(err)
	}
	qp, err := New(sg).Build(op)
	if err != nil {
		t.Fatal(err)
	}
	return qp
}

func checkGolden(t *testing.T, name string, qp *QueryPlan) {
	t.Helper()
	got, err := json.MarshalIndent(qp, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("..", "testdata", "plans", name+".json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("plan differs from %s:\n%s", path, got)
	}
}

func TestDemoPlans(t *testing.T) {
	t.Parallel()
	sg := loadSupergraph(t, "../testdata/demo.supergraph.graphql")
	tests := []struct {
		name, query string
		vars        map[string]any
	}{
		{"single_subgraph", `{ me { id name } }`, nil},
		{"entity_jump", `{ topProducts { upc name reviews { body author { username name } } } }`, nil},
		{"requires", `{ topProducts(first: 2) { name shippingEstimate inStock } }`, nil},
		{"requires_aliased_conflict", `{ topProducts { price: name shippingEstimate } }`, nil},
		{"provides", `{ latestReviews { body author { username } } }`, nil},
		{"provides_not_covering", `{ latestReviews { author { username email } } }`, nil},
		{"shareable_stays_local", `{ latestReviews { product { name } } }`, nil},
		{"interface_across_subgraphs", `{ items { __typename upc name ... on Product { inStock reviews { rating } } ... on Furniture { stock } } }`, nil},
		{"interface_fields_stay_on_the_interface", `{ items { upc name } }`, nil},
		{"union_across_subgraphs", `{ things { ... on Product { name shippingEstimate } ... on Furniture { material stock } } }`, nil},
		{"variables_and_fragments", `query Top($n: Int, $withReviews: Boolean!) { topProducts(first: $n) { ...P reviews @include(if: $withReviews) { body } } } fragment P on Product { upc name }`, map[string]any{"n": 3, "withReviews": false}},
		{"mutation_sequence", `mutation { a: addReview(upc: "1", body: "x") { id author { name } } b: addReview(upc: "2", body: "y") { id } }`, nil},
		{"parallel_roots", `{ me { name } topProducts { name } }`, nil},
		{"introspection_only", `{ __typename }`, nil},
		// Client response keys that the planner's own fields would otherwise
		// take: __typename, key and @requires fields, renames on abstract types.
		{"typename_alias_on_entity", `{ me { __typename: name reviews { rating } } }`, nil},
		{"client_alias_like_internal_key", `{ me { id: name __cg_id: username reviews { id } } }`, nil},
		{"client_aliases_on_abstract_type", `{ items { __typename: upc ... on Product { upc: name __cg_upc: price reviews { rating } } } }`, nil},
		{"requires_client_alias_like_internal_key", `{ topProducts { price: name __cg_price: weight shippingEstimate } }`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkGolden(t, tc.name, planFor(t, sg, tc.query, tc.vars))
		})
	}
}

func TestMediaPlans(t *testing.T) {
	t.Parallel()
	sg := loadSupergraph(t, "../testdata/media.supergraph.graphql")
	tests := []struct{ name, query string }{
		{"interface_object_fields_on_implementations", `{ media { title reviews ... on Movie { director price } } }`},
		{"interface_object_to_concrete_type", `{ topRated { id rating title __typename ... on Book { pages } } }`},
		{"interface_object_interface_fields_only", `{ topRated { id rating reviews } }`},
		{"override", `{ media { ... on Movie { price } } }`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkGolden(t, tc.name, planFor(t, sg, tc.query, nil))
		})
	}
}

func TestSharedRootPlans(t *testing.T) {
	t.Parallel()
	sg := loadSupergraph(t, "../testdata/shared.supergraph.graphql")
	tests := []struct{ name, query string }{
		{"shared_root_split", `{ product { id name { brand } price { amount } category { name } } }`},
		{"shared_root_one_subgraph", `{ products { id price { amount currency } } }`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkGolden(t, tc.name, planFor(t, sg, tc.query, nil))
		})
	}
}

// TestNullabilityPlans covers sibling fields that one subgraph declares
// with different nullability: that subgraph would reject them side by side,
// so one is fetched under an alias and renamed back.
func TestNullabilityPlans(t *testing.T) {
	t.Parallel()
	sg := loadSupergraph(t, "../testdata/nullability.supergraph.graphql")
	tests := []struct{ name, query string }{
		{"rename_sibling_fields", `{ media { ... on Book { title } ... on Movie { title } } }`},
		{"rename_client_alias_like_internal", `{ media { ... on Book { title price } ... on Movie { title __cg_Movie_title: id price } } }`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkGolden(t, tc.name, planFor(t, sg, tc.query, nil))
		})
	}
}

func TestChainPlans(t *testing.T) {
	t.Parallel()
	sg := loadSupergraph(t, "../testdata/chain.supergraph.graphql")
	tests := []struct{ name, query string }{
		{"key_through_another_subgraph_and_requires_chain", `{ books { title verdict } }`},
		{"requires_chain_only", `{ books { isExpensive } }`},
		{"requires_with_arguments_from_same_subgraph", `{ books { topReviewer reviews(limit: 1) { id score } } }`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkGolden(t, tc.name, planFor(t, sg, tc.query, nil))
		})
	}
}

// TestFestivalPlans covers selections that must not lose fields: fragments
// nested in a fragment on an interface, @requires of one field with
// different arguments, and a union whose members differ between the
// subgraphs that could resolve the field returning it.
func TestFestivalPlans(t *testing.T) {
	t.Parallel()
	sg := loadSupergraph(t, "../testdata/festival.supergraph.graphql")
	const notices = `notices { __typename ... on Announcement { text } ... on Closure { reason } ... on Delay { minutes } }`
	tests := []struct{ name, query string }{
		{"fragment_nested_in_interface_fragment", `{ assets { ... on Asset { id ... on Licensed { licence } } } }`},
		{"requires_same_field_other_arguments", `{ screenings { id slot slotSeconds } }`},
		{"partial_union_under_shareable_field", `{ venue { board { ` + notices + ` } } }`},
		{"partial_union_under_field_of_one_subgraph", `{ venue { annex { ` + notices + ` } } }`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkGolden(t, tc.name, planFor(t, sg, tc.query, nil))
		})
	}
}

func TestConditionDefaults(t *testing.T) {
	t.Parallel()
	sg := loadSupergraph(t, "../testdata/demo.supergraph.graphql")
	doc, errs := gqlparser.LoadQuery(sg.APISchema(), `query ($b: Boolean = false, $s: Boolean = true) { me { name @include(if: $b) username @skip(if: $s) email } }`)
	if errs != nil {
		t.Fatal(errs)
	}
	op := doc.Operations[0]
	if got := ConditionVariables(doc, op); len(got) != 2 {
		t.Fatalf("condition variables = %v", got)
	}
	vars, err := validator.VariableValues(sg.APISchema(), op, nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := Normalize(sg.APISchema(), doc, op, vars)
	if err != nil {
		t.Fatal(err)
	}
	qp, err := New(sg).Build(n)
	if err != nil {
		t.Fatal(err)
	}
	if got := qp.Node.(*Fetch).Operation; got != "query{me{email}}" {
		t.Fatalf("operation = %s", got)
	}
}
