package plan

import (
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
)

func fieldSel(alias, name string, sub ...Selection) Selection {
	return Selection{Field: &Field{Alias: alias, Name: name, Selections: sub}}
}

func TestInternalPrefix(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		sels []Selection
		want string
	}{
		{"no client key like it", []Selection{fieldSel("", "id"), fieldSel("__cgx", "name")}, "__cg_"},
		{"client key starts with it", []Selection{fieldSel("__cg_id", "name")}, "__cg1_"},
		{"nested and in fragments", []Selection{fieldSel("", "me", Selection{Fragment: &Fragment{TypeCondition: "User", Selections: []Selection{fieldSel("__cg_id", "name")}}}, fieldSel("__cg1_x", "id"))}, "__cg2_"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := internalPrefixFor(tc.sels); got != tc.want {
				t.Fatalf("prefix = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDataKeys(t *testing.T) {
	t.Parallel()
	sels := []Selection{fieldSel("", "me", fieldSel("", "__typename"), fieldSel("kind", "__typename"), fieldSel("__typename", "name"), fieldSel("", "id"))}
	setDataKeys(sels, "__cg_")
	var got []string
	eachField(sels[0].Field.Selections, func(f *Field) { got = append(got, f.ResponseKey()+"="+f.DataKey()) })
	want := []string{"__typename=__typename", "kind=kind", "__typename=__cg___typename", "id=id"}
	if len(got) != len(want) {
		t.Fatalf("data keys %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("data keys %v, want %v", got, want)
		}
	}
}

func TestAddedKeys(t *testing.T) {
	t.Parallel()
	limit := func(n string) ast.ArgumentList {
		return ast.ArgumentList{{Name: "limit", Value: &ast.Value{Kind: ast.IntValue, Raw: n}}}
	}
	// The client has, under me: id: name, __cg_id: username, email.
	sels := []Selection{fieldSel("", "me", fieldSel("id", "name"), fieldSel("__cg_id", "username"), fieldSel("", "email"))}
	type call struct {
		path []string
		name string
		args ast.ArgumentList
		want string
	}
	tests := []struct {
		name  string
		calls []call
	}{
		{"free name", []call{{[]string{"me"}, "birthYear", nil, "birthYear"}}},
		{"the client's own field", []call{{[]string{"me"}, "email", nil, "email"}}},
		{"name taken by another client field", []call{{[]string{"me"}, "id", nil, "__cg1_id"}}},
		{"other levels are not affected", []call{{nil, "id", nil, "id"}, {[]string{"me", "friends", "@"}, "id", nil, "id"}}},
		{"added fields with other arguments", []call{
			{[]string{"me"}, "reviews", limit("1"), "reviews"},
			{[]string{"me"}, "reviews", limit("2"), "__cg1_reviews"},
			{[]string{"me"}, "reviews", limit("1"), "reviews"},
			{[]string{"me"}, "reviews", limit("3"), "__cg1_reviews_2"},
			{[]string{"me"}, "reviews", limit("2"), "__cg1_reviews"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			op := &Operation{Selections: sels}
			b := &builder{op: op, prefix: internalPrefixFor(sels), levels: map[string]*level{}}
			for _, c := range tc.calls {
				if got := b.addedKey(c.path, c.name, c.args); got != c.want {
					t.Fatalf("addedKey(%v, %s%s) = %q, want %q", c.path, c.name, argsKey(c.args), got, c.want)
				}
			}
		})
	}
}
