package schemadiff_test

import (
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/cinegraph/cinegraph/router/schemadiff"
)

func load(t *testing.T, sdl string) *ast.Schema {
	t.Helper()
	s, err := gqlparser.LoadSchema(&ast.Source{Name: "test.graphql", Input: sdl})
	if err != nil {
		t.Fatalf("load schema: %v", err)
	}
	return s
}

func TestCompare(t *testing.T) {
	t.Parallel()
	const base = `
		type Query { title(id: ID!): Title  titles(filter: Filter, first: Int = 20): [Title!]! }
		interface Node { id: ID! }
		type Title implements Node { id: ID! name: String! videos: [Video!]! rating: Float }
		type Video implements Node { id: ID! kind: Kind! }
		enum Kind { FEATURE TRAILER }
		union Result = Title | Video
		input Filter { kind: Kind  year: Int! }
		directive @cached(seconds: Int) on FIELD
	`
	tests := []struct {
		name string
		old  string // default base
		new  string
		want []string
	}{
		{name: "equal", new: base, want: nil},
		{
			name: "output field made nullable breaks, made non-null is safe",
			new: strings.NewReplacer(
				"videos: [Video!]!", "videos: [Video!]",
				"rating: Float", "rating: Float!",
			).Replace(base),
			want: []string{
				"BREAKING  Title.videos: type changed from [Video!]! to [Video!]",
				"SAFE      Title.rating: type changed from Float to Float!",
			},
		},
		{
			name: "list items made nullable break",
			new:  strings.Replace(base, "videos: [Video!]!", "videos: [Video]!", 1),
			want: []string{"BREAKING  Title.videos: type changed from [Video!]! to [Video]!"},
		},
		{
			name: "output field to another type breaks",
			new:  strings.Replace(base, "rating: Float", "rating: Int", 1),
			want: []string{"BREAKING  Title.rating: type changed from Float to Int"},
		},
		{
			name: "removed type, field, enum value and input field",
			new: strings.NewReplacer(
				"union Result = Title | Video", "",
				" name: String!", "",
				" TRAILER", "",
				"  year: Int!", "",
			).Replace(base),
			want: []string{
				"BREAKING  Filter.year: input field removed",
				"BREAKING  Kind.TRAILER: enum value removed",
				"BREAKING  Result: type removed",
				"BREAKING  Title.name: field removed",
			},
		},
		{
			name: "additions",
			new: strings.NewReplacer(
				"rating: Float }", "rating: Float\n trailer: Video }",
				"TRAILER }", "TRAILER EPISODE }",
				"input Filter {", "type Person { name: String! }\ninput Filter {",
			).Replace(base),
			want: []string{
				"DANGEROUS Kind.EPISODE: enum value added",
				"SAFE      Person: type added",
				"SAFE      Title.trailer: field added",
			},
		},
		{
			name: "arguments",
			new: strings.NewReplacer(
				"title(id: ID!)", "title(id: ID!, locale: String!)",
				"titles(filter: Filter, first: Int = 20)", "titles(first: Int = 10, after: String)",
			).Replace(base),
			want: []string{
				"BREAKING  Query.title(locale:): required argument added",
				"BREAKING  Query.titles(filter:): argument removed",
				"DANGEROUS Query.titles(after:): optional argument added",
				"DANGEROUS Query.titles(first:): default value changed from 20 to 10",
			},
		},
		{
			name: "inputs made required break, made optional are safe",
			new: strings.NewReplacer(
				"title(id: ID!)", "title(id: ID)",
				"filter: Filter,", "filter: Filter!,",
				"kind: Kind  year: Int!", "kind: Kind!  year: Int",
			).Replace(base),
			want: []string{
				"BREAKING  Filter.kind: type changed from Kind to Kind!",
				"BREAKING  Query.titles(filter:): type changed from Filter to Filter!",
				"SAFE      Filter.year: type changed from Int! to Int",
				"SAFE      Query.title(id:): type changed from ID! to ID",
			},
		},
		{
			name: "new input fields",
			new:  strings.Replace(base, "year: Int! }", "year: Int! genre: ID! maxRating: Float lang: String! = \"en\" }", 1),
			want: []string{
				"BREAKING  Filter.genre: required input field added",
				"DANGEROUS Filter.lang: optional input field added",
				"DANGEROUS Filter.maxRating: optional input field added",
			},
		},
		{
			name: "union members and interfaces",
			new: strings.NewReplacer(
				"union Result = Title | Video", "union Result = Title | Person\ntype Person { name: String! }",
				"type Video implements Node", "type Video",
			).Replace(base),
			want: []string{
				"BREAKING  Result: member Video removed",
				"BREAKING  Video: interface Node removed",
				"DANGEROUS Result: member Person added",
				"SAFE      Person: type added",
			},
		},
		{
			name: "kind changed",
			new:  strings.Replace(base, "enum Kind { FEATURE TRAILER }", "scalar Kind", 1),
			want: []string{"BREAKING  Kind: kind changed from ENUM to SCALAR"},
		},
		{
			name: "directives",
			new:  strings.Replace(base, "directive @cached(seconds: Int) on FIELD", "directive @cached(seconds: Int, scope: String!) on FIELD_DEFINITION\ndirective @tag on FIELD", 1),
			want: []string{
				"BREAKING  @cached: location FIELD removed",
				"BREAKING  @cached(scope:): required argument added",
				"SAFE      @tag: directive added",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			old := tt.old
			if old == "" {
				old = base
			}
			var got []string
			for _, c := range schemadiff.Compare(load(t, old), load(t, tt.new)) {
				got = append(got, c.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestCount(t *testing.T) {
	t.Parallel()
	changes := []schemadiff.Change{{Severity: schemadiff.Breaking}, {Severity: schemadiff.Safe}, {Severity: schemadiff.Breaking}}
	if got := schemadiff.Count(changes, schemadiff.Breaking); got != 2 {
		t.Errorf("Count(Breaking) = %d, want 2", got)
	}
}
