package compose

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestComposeIgnoresInputOrder: subgraphs are sorted by name, so the output
// must not depend on the order they are given in.
func TestComposeIgnoresInputOrder(t *testing.T) {
	t.Parallel()
	subgraphs := streamingSubgraphs()
	want, err := Compose(subgraphs)
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	reversed := slices.Clone(subgraphs)
	slices.Reverse(reversed)
	got, err := Compose(reversed)
	if err != nil {
		t.Fatalf("Compose reversed: %v", err)
	}
	if got != want {
		t.Errorf("output depends on input order:\n%s", firstDiff(want, got))
	}
}

// TestComposeAcceptsFederationBuiltins: a subgraph's _service SDL may carry
// the federation definitions themselves; they must not leak into the
// supergraph or change it.
func TestComposeAcceptsFederationBuiltins(t *testing.T) {
	t.Parallel()
	const plain = `type Query { t: T } type T @key(fields: "id") { id: ID! name: String }`
	const withBuiltins = `
		directive @key(fields: FieldSet!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
		directive @link(url: String!, import: [link__Import]) repeatable on SCHEMA
		scalar FieldSet
		scalar link__Import
		scalar _Any
		type _Service { sdl: String }
		union _Entity = T
		type Query { t: T _service: _Service! _entities(representations: [_Any!]!): [_Entity]! }
		type T @key(fields: "id") { id: ID! name: String }`
	want, err := Compose([]Subgraph{sg("a", plain)})
	if err != nil {
		t.Fatalf("Compose plain: %v", err)
	}
	got, err := Compose([]Subgraph{sg("a", withBuiltins)})
	if err != nil {
		t.Fatalf("Compose with built-ins: %v", err)
	}
	if got != want {
		t.Errorf("federation built-ins changed the supergraph:\n%s", firstDiff(want, got))
	}
}

// TestComposeFed2Extensions: a federation 2 subgraph may declare an entity
// with extend type; its keys are then marked extension: true.
func TestComposeFed2Extensions(t *testing.T) {
	t.Parallel()
	out, err := Compose([]Subgraph{
		sg("a", `type Query { t: T } type T @key(fields: "id") { id: ID! }`),
		sg("b", `extend type T @key(fields: "id") { id: ID! extra: Int }`),
	})
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	for _, want := range []string{
		`@join__type(graph: A, key: "id")`,
		`@join__type(graph: B, key: "id", extension: true)`,
		`extra: Int @join__field(graph: B)`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("supergraph lacks %q", want)
		}
	}
}

func TestErrorsMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		errs Errors
		want string
	}{
		{
			name: "one",
			errs: Errors{{Code: "X", Message: "bad"}},
			want: "composition failed: [X] bad",
		},
		{
			name: "several",
			errs: Errors{{Code: "X", Message: "bad"}, {Code: "Y", Message: "worse"}},
			want: "composition failed with 2 errors:\n  [X] bad\n  [Y] worse",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.errs.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestComposeReturnsErrorsType(t *testing.T) {
	t.Parallel()
	_, err := Compose(nil)
	var ptr *Errors
	if !errors.As(err, &ptr) || ptr == nil || len(*ptr) != 1 {
		t.Fatalf("Compose(nil) error = %v, want *Errors with one entry", err)
	}
	var list Errors
	if !errors.As(err, &list) || len(list) != 1 {
		t.Fatalf("errors.As into Errors failed for %v", err)
	}
}

func TestCollate(t *testing.T) {
	t.Parallel()
	names := []string{"Query", "link__Purpose", "E", "join__Graph", "T", "join__FieldSet", "link__Import", "e", "S2", "S_", "S1"}
	slices.SortFunc(names, collate)
	want := []string{"e", "E", "join__FieldSet", "join__Graph", "link__Import", "link__Purpose", "Query", "S_", "S1", "S2", "T"}
	if !slices.Equal(names, want) {
		t.Errorf("collated = %v, want %v", names, want)
	}
}

func TestBlockString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
	}{
		{"short", `"""short"""`},
		{"two\nlines", "\"\"\"\ntwo\nlines\n\"\"\""},
		{strings.Repeat("x", 71), "\"\"\"\n" + strings.Repeat("x", 71) + "\n\"\"\""},
		{`ends with "quote"`, "\"\"\"\nends with \"quote\"\n\"\"\""},
		{`has """ inside`, `"""has \""" inside"""`},
		{" leading space", `""" leading space"""`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got := blockString(tt.in); got != tt.want {
				t.Errorf("blockString(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
