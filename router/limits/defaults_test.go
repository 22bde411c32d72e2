package limits

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
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
// every operation of the web app and its playground, the introspection
// query and the federation benchmark's operations.
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

var (
	gqlTemplate   = regexp.MustCompile("gql`([^`]*)`")
	interpolation = regexp.MustCompile(`\$\{[^}]*\}`)
)

// webAppDocuments are the gql documents of frontend/src/graphql, each with
// every shared fragment appended (Apollo interpolates those), and the
// playground's example query.
func webAppDocuments(t *testing.T, root string) map[string]string {
	t.Helper()
	read := func(rel string) string {
		b, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	var fragments []string
	for _, m := range gqlTemplate.FindAllStringSubmatch(read("frontend/src/graphql/fragments.ts"), -1) {
		fragments = append(fragments, interpolation.ReplaceAllString(m[1], ""))
	}
	shared := strings.Join(fragments, "\n")
	out := map[string]string{}
	ops := gqlTemplate.FindAllStringSubmatch(read("frontend/src/graphql/operations.ts"), -1)
	if len(ops) < 13 {
		t.Fatalf("found %d web app operations, want at least 13", len(ops))
	}
	for _, m := range ops {
		doc := interpolation.ReplaceAllString(m[1], "")
		out["web app "+firstName(doc)] = doc + "\n" + shared
	}
	playground := regexp.MustCompile("return `([^`]*)`").FindStringSubmatch(read("frontend/playground/config.ts"))
	if playground == nil {
		t.Fatal("no example query in frontend/playground/config.ts")
	}
	out["playground example"] = interpolation.ReplaceAllString(playground[1], "profile")
	return out
}

// benchDocuments are the operations of the federation benchmark, wherever
// its program lives.
func benchDocuments(t *testing.T, root string) map[string]string {
	t.Helper()
	for _, rel := range []string{"bench/cmd/bench/scenarios.go", "router/bench/cmd/bench/scenarios.go"} {
		b, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			continue
		}
		out := map[string]string{}
		for _, m := range regexp.MustCompile("query: +`([^`]*)`").FindAllStringSubmatch(string(b), -1) {
			out["bench "+firstName(m[1])] = m[1]
		}
		if len(out) == 0 {
			t.Fatalf("no operations in %s", rel)
		}
		return out
	}
	t.Fatal("the federation benchmark's scenarios.go is not where it was")
	return nil
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
