package supergraph

import (
	"os"
	"strings"
	"testing"
)

func loadDemo(t *testing.T) *Supergraph {
	t.Helper()
	b, err := os.ReadFile("../testdata/demo.supergraph.graphql")
	if err != nil {
		t.Fatal(err)
	}
	sg, err := Parse(string(b))
	if err != nil {
		t.Fatal(err)
	}
	return sg
}

func TestParseDemo(t *testing.T) {
	t.Parallel()
	sg := loadDemo(t)
	if len(sg.Graphs) != 4 || sg.Graphs[0].Name != "accounts" || sg.Graphs[0].URL != "http://accounts.invalid/graphql" {
		t.Fatalf("graphs: %+v", sg.Graphs)
	}
	tests := []struct {
		graph, typ, field string
		want              bool
		requires          bool
		provides          bool
	}{
		{"products", "Product", "name", true, false, false},
		{"reviews", "Product", "name", true, false, false},
		{"inventory", "Product", "price", false, false, false},
		{"inventory", "Product", "shippingEstimate", true, true, false},
		{"reviews", "Review", "author", true, false, true},
		{"reviews", "User", "username", false, false, false},
		{"accounts", "User", "id", true, false, false},
		{"reviews", "User", "id", true, false, false},
		{"products", "User", "id", false, false, false},
		{"reviews", "Mutation", "addReview", true, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.graph+"/"+tc.typ+"."+tc.field, func(t *testing.T) {
			t.Parallel()
			r, ok := sg.Resolve(tc.graph, tc.typ, tc.field)
			if ok != tc.want {
				t.Fatalf("resolvable = %v, want %v", ok, tc.want)
			}
			if (r.Requires != nil) != tc.requires || (r.Provides != nil) != tc.provides {
				t.Fatalf("requires/provides = %v/%v", r.Requires, r.Provides)
			}
		})
	}
	if got := sg.PossibleTypes("products", "ProductItem"); strings.Join(got, ",") != "Product,Furniture" {
		t.Fatalf("possible types: %v", got)
	}
	if got := sg.Keys("inventory", "Furniture"); len(got) != 1 || got[0].Fields != "upc" {
		t.Fatalf("keys: %+v", got)
	}
}

func TestAPISchema(t *testing.T) {
	t.Parallel()
	sg := loadDemo(t)
	api := sg.APISchema()
	if api.Types["Product"].Fields.ForName("internalCode") != nil {
		t.Fatal("inaccessible field kept")
	}
	for name := range api.Types {
		if strings.HasPrefix(name, "join__") || strings.HasPrefix(name, "link__") {
			t.Fatalf("machinery type %s kept", name)
		}
	}
	if api.Directives["join__field"] != nil || api.Directives["inaccessible"] != nil {
		t.Fatal("machinery directive kept")
	}
	bd := api.Types["User"].Fields.ForName("birthYear")
	if bd.Directives.ForName("deprecated") == nil {
		t.Fatal("@deprecated dropped")
	}
	if api.Mutation == nil || api.Mutation.Name != "Mutation" {
		t.Fatal("mutation root lost")
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../testdata/demo.supergraph.graphql")
	if err != nil {
		t.Fatal(err)
	}
	base := string(b)
	tests := []struct {
		name, from, to, want string
	}{
		{"bad requires", `requires: "price weight"`, `requires: "price nope"`, "Product.shippingEstimate"},
		{"bad key", `@join__type(graph: INVENTORY, key: "upc")
  @join__type(graph: PRODUCTS, key: "upc")
  @join__type(graph: REVIEWS, key: "upc")`, `@join__type(graph: INVENTORY, key: "sku")
  @join__type(graph: PRODUCTS, key: "upc")
  @join__type(graph: REVIEWS, key: "upc")`, "Product"},
		{"inaccessible type still used", "type Review\n", "type Review @inaccessible\n", "Review"},
		{"no join", `@link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)`, "", "join"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sdl := strings.Replace(base, tc.from, tc.to, 1)
			if sdl == base {
				t.Fatal("replacement did not apply")
			}
			_, err := Parse(sdl)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want mention of %q", err, tc.want)
			}
		})
	}
}
