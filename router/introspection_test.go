package router

import (
	"encoding/json"
	"net/http"
	"testing"
)

// fullIntrospection is the query GraphiQL and codegen tools send.
const fullIntrospection = `query IntrospectionQuery {
  __schema {
    description
    queryType { name }
    mutationType { name }
    subscriptionType { name }
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
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }`

func TestFullIntrospection(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	r := d.router(t, nil)
	res := do(t, r, http.MethodPost, fullIntrospection, nil, nil)
	var out struct {
		Data struct {
			Schema struct {
				QueryType struct{ Name string }
				Types     []struct {
					Kind   string
					Name   string
					Fields []struct {
						Name string
						Args []struct {
							Name         string
							DefaultValue *string
						}
						Type struct {
							Kind   string
							OfType *struct{ Kind, Name string }
						}
					}
					PossibleTypes []struct{ Name string }
				}
				Directives []struct {
					Name      string
					Locations []string
				}
			} `json:"__schema"`
		}
		Errors []any
	}
	if err := json.Unmarshal([]byte(res.body), &out); err != nil {
		t.Fatalf("%v: %s", err, res.body)
	}
	if len(out.Errors) > 0 || out.Data.Schema.QueryType.Name != "Query" {
		t.Fatalf("bad introspection: %s", res.body[:min(len(res.body), 500)])
	}
	seen := map[string]bool{}
	for _, ty := range out.Data.Schema.Types {
		seen[ty.Name] = true
		if ty.Name == "Query" {
			for _, f := range ty.Fields {
				if f.Name == "topProducts" {
					if len(f.Args) != 1 || f.Args[0].DefaultValue == nil || *f.Args[0].DefaultValue != "5" {
						t.Fatalf("topProducts args: %+v", f.Args)
					}
				}
				if f.Name == "users" && (f.Type.Kind != "NON_NULL" || f.Type.OfType == nil || f.Type.OfType.Kind != "LIST") {
					t.Fatalf("users type: %+v", f.Type)
				}
			}
		}
		if ty.Name == "ProductItem" && len(ty.PossibleTypes) != 2 {
			t.Fatalf("ProductItem possible types: %+v", ty.PossibleTypes)
		}
	}
	for _, want := range []string{"Query", "Mutation", "User", "Product", "Thing", "__Schema", "String", "Boolean"} {
		if !seen[want] {
			t.Errorf("type %s missing", want)
		}
	}
	for _, bad := range []string{"join__Graph", "link__Purpose", "join__FieldSet", "_Entity", "_Any"} {
		if seen[bad] {
			t.Errorf("type %s leaked", bad)
		}
	}
	dirs := map[string]bool{}
	for _, d := range out.Data.Schema.Directives {
		dirs[d.Name] = true
	}
	if !dirs["include"] || !dirs["skip"] || !dirs["deprecated"] || dirs["join__field"] || dirs["inaccessible"] {
		t.Fatalf("directives: %v", dirs)
	}
}

func TestIntrospectionDisabled(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	r := d.router(t, func(c *Config) { c.DisableIntrospection = true })
	tests := []struct {
		name, query, want string
	}{
		// __schema is non-null, so its null reaches data.
		{"__schema refused", `{ __schema { queryType { name } } }`,
			`{"errors":[{"message":"introspection is disabled","path":["__schema"],"extensions":{"code":"FORBIDDEN"}}],"data":null}`},
		{"__type refused", `{ __type(name: "User") { name } }`,
			`{"errors":[{"message":"introspection is disabled","path":["__type"],"extensions":{"code":"FORBIDDEN"}}],"data":{"__type":null}}`},
		{"full introspection refused", fullIntrospection,
			`{"errors":[{"message":"introspection is disabled","path":["__schema"],"extensions":{"code":"FORBIDDEN"}}],"data":null}`},
		{"__typename still answers", `{ __typename me { __typename name } }`,
			`{"data":{"__typename":"Query","me":{"__typename":"User","name":"Ada Lovelace"}}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := do(t, r, http.MethodPost, tc.query, nil, nil)
			if res.body != tc.want {
				t.Fatalf("got  %s\nwant %s", res.body, tc.want)
			}
		})
	}
}
