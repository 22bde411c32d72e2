package supergraph

import (
	"os"
	"reflect"
	"testing"
)

func TestGuards(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../compose/testdata/compose/access_and_demand_control.graphql")
	if err != nil {
		t.Fatal(err)
	}
	sg, err := Parse(string(raw))
	if err != nil {
		t.Fatal(err)
	}
	if !sg.HasAccessControl() {
		t.Fatal("HasAccessControl = false")
	}
	for _, dir := range []string{"authenticated", "requiresScopes", "policy", "cost", "listSize"} {
		if sg.APISchema().Directives[dir] != nil {
			t.Errorf("the API schema shows @%s", dir)
		}
	}
	access := []struct {
		typ, field string
		want       Access
	}{
		{"Query", "items", Access{}},
		{"Query", "me", Access{Authenticated: true}},
		{"User", "friends", Access{Authenticated: true}}, // the type's requirement
		{"Item", "secret", Access{Scopes: [][]string{{"admin", "audit"}, {"audit", "read:secret"}}, Policies: [][]string{{"owner"}}}},
	}
	for _, tc := range access {
		t.Run(tc.typ+"."+tc.field, func(t *testing.T) {
			if got := sg.FieldAccess(tc.typ, tc.field); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("FieldAccess = %+v, want %+v", got, tc.want)
			}
		})
	}
	if w, ok := sg.TypeWeight("Item"); !ok || w != 5 {
		t.Errorf("TypeWeight(Item) = %d, %v", w, ok)
	}
	if w, ok := sg.ArgumentWeight("Query", "items", "first"); !ok || w != 2 {
		t.Errorf("ArgumentWeight(items, first) = %d, %v", w, ok)
	}
	if _, ok := sg.FieldWeight("Query", "items"); ok {
		t.Error("FieldWeight(items) set")
	}
	ls := sg.FieldListSize("Query", "items")
	if ls == nil || ls.AssumedSize != nil || !reflect.DeepEqual(ls.SlicingArguments, []string{"first"}) || !reflect.DeepEqual(ls.SizedFields, []string{"nodes"}) || ls.RequireOneSlicingArgument {
		t.Errorf("FieldListSize(items) = %+v", ls)
	}
	if ls := sg.FieldListSize("User", "friends"); ls == nil || ls.AssumedSize == nil || *ls.AssumedSize != 5 || !ls.RequireOneSlicingArgument {
		t.Errorf("FieldListSize(friends) = %+v", ls)
	}
}
