package router

import (
	"context"
	"testing"
)

func TestNormalizeQuery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, a, b string
		same       bool
	}{
		{"layout and comments", "{ me {\n  id # the id\n name } }", "{me{id name}}", true},
		{"strings keep their content", `{ user(id: "a b") { id } }`, `{ user(id: "a  b") { id } }`, false},
		{"block and plain strings agree", `{ user(id: """x""") { id } }`, `{ user(id: "x") { id } }`, true},
		{"different fields", `{ me { id } }`, `{ me { name } }`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			na, oka := normalizeQuery(tc.a)
			nb, okb := normalizeQuery(tc.b)
			if !oka || !okb {
				t.Fatal("did not lex")
			}
			if (na == nb) != tc.same {
				t.Fatalf("%q vs %q", na, nb)
			}
		})
	}
	if _, ok := normalizeQuery(`{ "unterminated }`); ok {
		t.Fatal("bad text lexed")
	}
}

func TestPlanCacheSharesLayouts(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	r := d.router(t, nil)
	a := r.prepare(context.Background(), "{ me { id } }", "")
	b := r.prepare(context.Background(), "{me{\n id}}", "")
	if a != b {
		t.Fatal("layouts did not share a cache entry")
	}
	if r.prepare(context.Background(), "{ me { name } }", "") == a {
		t.Fatal("different operations shared an entry")
	}
}
