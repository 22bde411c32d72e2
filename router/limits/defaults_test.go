package limits

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/router/supergraph"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// introspectionQuery is the introspection query of GraphiQL and codegen
// tools with every option on and its type references nested nine deep, as
// the newest clients send it.
var introspectionQuery = `query IntrospectionQuery {
  __schema {
    description
    queryType { name kind }
    mutationType { name kind }
    subscriptionType { name kind }
    types { ...FullType }
    directives { name description isRepeatable locations args(includeDeprecated: true) { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description specifiedByURL isOneOf
  fields(includeDeprecated: true) { name description args(includeDeprecated: true) { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields(includeDeprecated: true) { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue isDeprecated deprecationReason }
fragment TypeRef on __Type {` + strings.Repeat(" kind name ofType {", 9) + " kind name" + strings.Repeat(" }", 9) + " }"

// TestDefaultsLetRealOperationsThrough parses, under the default limits,
// every operation the web app sends (its persisted query manifest, with
// the __typename Apollo adds) and its playground's, the introspection query
// and the federation benchmark's operations.
func TestDefaultsLetRealOperationsThrough(t *testing.T) {
	t.Parallel()
	docs := map[string]string{"introspection": introspectionQuery}
	root := filepath.Join("..", "..")
	for name, doc := range webAppDocuments(t, root) {
		docs[name] = doc
	}
	for name, doc := range benchDocuments(t, root) {
		docs[name] = doc
	}
	c, err := New(Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d, err := c.Parse(doc)
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			t.Logf("%+v, %d tokens, %d repeats", Measure(d), CountTokens(doc), CountRepeats(d))
		})
	}
}

// TestDefaultCostLetsTheWebAppThrough estimates, against Cinegraph's
// supergraph and with the arguments' defaults, the cost of every operation
// the web app sends and its playground's: each must be well inside the
// default cost limit, which the attacks are far above.
func TestDefaultCostLetsTheWebAppThrough(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	raw, err := os.ReadFile(filepath.Join(root, "schema", "supergraph.graphql"))
	if err != nil {
		t.Fatal(err)
	}
	sg, err := supergraph.Parse(string(raw))
	if err != nil {
		t.Fatal(err)
	}
	m := CostModel{Schema: sg.APISchema(), Supergraph: sg, ListSize: DefaultListSize}
	highest := 0.0
	for name, doc := range webAppDocuments(t, root) {
		d, err := parser.ParseQuery(&ast.Source{Input: doc})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if errs := validator.Validate(m.Schema, d); len(errs) > 0 {
			t.Fatalf("%s: %v", name, errs)
		}
		for _, op := range d.Operations {
			cost := m.Estimate(d, op, nil)
			t.Logf("%s: estimated cost %v", name, cost)
			highest = max(highest, cost)
			if cost > DefaultMaxCost/4 {
				t.Errorf("%s costs %v, too close to the default limit %d", name, cost, DefaultMaxCost)
			}
		}
	}
	t.Logf("highest: %v of %d", highest, DefaultMaxCost)
}

// webAppDocuments are the documents the web app sends, as its persisted
// query manifest records them, and the playground's example query.
func webAppDocuments(t *testing.T, root string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(root, "frontend", "persisted-query-manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		Operations []struct{ Name, Body string }
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		t.Fatal(err)
	}
	if len(manifest.Operations) < 13 {
		t.Fatalf("found %d web app operations, want at least 13", len(manifest.Operations))
	}
	out := map[string]string{}
	for _, op := range manifest.Operations {
		out["web app "+op.Name] = op.Body
	}
	config, err := os.ReadFile(filepath.Join(root, "frontend", "playground", "config.ts"))
	if err != nil {
		t.Fatal(err)
	}
	playground := regexp.MustCompile("return `([^`]*)`").FindSubmatch(config)
	if playground == nil {
		t.Fatal("no example query in frontend/playground/config.ts")
	}
	// Interpolations only fill in the example's leading comment.
	out["playground example"] = regexp.MustCompile(`\$\{[^}]*\}`).ReplaceAllString(string(playground[1]), "")
	return out
}

// benchDocuments are the operations of the federation benchmark.
func benchDocuments(t *testing.T, root string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "bench", "scenarios.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range regexp.MustCompile("Query: +`([^`]*)`").FindAllStringSubmatch(string(b), -1) {
		out["bench "+firstName(m[1])] = m[1]
	}
	if len(out) == 0 {
		t.Fatal("no operations in bench/scenarios.go")
	}
	return out
}

// firstName is the name of a document's first definition.
func firstName(doc string) string {
	f := strings.Fields(doc)
	if len(f) < 2 {
		return doc
	}
	name, _, _ := strings.Cut(f[1], "(")
	return strings.TrimSuffix(name, "{")
}
