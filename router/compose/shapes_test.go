package compose

import (
	"slices"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/router/supergraph"
)

// joinOf returns the @join__field of typ.field in graph, failing the test
// when there is none.
func joinOf(t *testing.T, sg *supergraph.Supergraph, typ, field, graph string) supergraph.FieldJoin {
	t.Helper()
	ty := sg.Types[typ]
	if ty == nil || ty.Fields[field] == nil {
		t.Fatalf("%s.%s is not in the supergraph", typ, field)
	}
	for _, j := range ty.Fields[field].Joins {
		if j.Graph == graph {
			return j
		}
	}
	t.Fatalf("%s.%s has no @join__field for %s: %+v", typ, field, graph, ty.Fields[field].Joins)
	return supergraph.FieldJoin{}
}

// TestComposeAcceptedShapes covers subgraph shapes Apollo's composition
// accepts and that a composer can wrongly reject: arguments in @requires,
// @provides reaching external fields through a field this subgraph owns
// (or through an interface), and an enum shared by input and output
// positions whose extra value is @inaccessible. Each case composes, loads in
// the router's supergraph reader and checks the routing facts recorded;
// the supergraphs are kept under testdata/compose.
func TestComposeAcceptedShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		subgraphs []Subgraph
		check     func(t *testing.T, sg *supergraph.Supergraph)
	}{
		{
			name: "requires_with_arguments",
			subgraphs: []Subgraph{
				sg("listings", `
					type Query { screenings: [Screening] }
					type Screening @key(fields: "id") {
						id: ID!
						ticketPrice(currency: String!): Float
						runtime: Int
						seats(row: String, limit: Int = 10): [Seat]
					}
					type Seat @key(fields: "code") { code: ID! accessible: Boolean }`),
				sg("booking", `
					type Screening @key(fields: "id") {
						id: ID!
						ticketPrice(currency: String!): Float @external
						runtime: Int @external
						quote: String @requires(fields: "ticketPrice(currency: \"EUR\") runtime")
						seats(row: String, limit: Int = 10): [Seat] @external
						accessibleSeats: Int @requires(fields: "seats(row: \"A\", limit: 4) { accessible }")
					}
					type Seat @key(fields: "code") { code: ID! accessible: Boolean @external }`),
			},
			check: func(t *testing.T, sg *supergraph.Supergraph) {
				if got := joinOf(t, sg, "Screening", "quote", "booking").Requires; got != `ticketPrice(currency: "EUR") runtime` {
					t.Errorf("quote requires %q", got)
				}
				if got := joinOf(t, sg, "Screening", "accessibleSeats", "booking").Requires; got != `seats(row: "A", limit: 4) { accessible }` {
					t.Errorf("accessibleSeats requires %q", got)
				}
			},
		},
		{
			// The list field is the requiring subgraph's own; only the leaf it
			// leads to is external.
			name: "requires_through_an_owned_field_with_arguments",
			subgraphs: []Subgraph{
				sg("reviews", `
					type Query { films: [Film] }
					type Film @key(fields: "id") { id: ID! }
					type Review @key(fields: "id") { id: ID! criticId: ID text: String }`),
				sg("critics", `
					type Film @key(fields: "id") {
						id: ID!
						reviews(first: Int!): [Review]
						leadCritic: Critic @requires(fields: "reviews(first: 2) { criticId }")
					}
					type Review @key(fields: "id") { id: ID! criticId: ID @external }
					type Critic { id: ID! name: String }`),
			},
			check: func(t *testing.T, sg *supergraph.Supergraph) {
				if got := joinOf(t, sg, "Film", "leadCritic", "critics").Requires; got != "reviews(first: 2) { criticId }" {
					t.Errorf("leadCritic requires %q", got)
				}
				if j := joinOf(t, sg, "Review", "criticId", "critics"); !j.External {
					t.Errorf("Review.criticId in critics should be external: %+v", j)
				}
			},
		},
		{
			name: "provides_on_interface",
			subgraphs: []Subgraph{
				sg("shelf", `
					type Query {
						item: Item @shareable
						film: Film @provides(fields: "cast { ... on Actor { stageName } }")
					}
					interface Item { id: ID! }
					interface Person { id: ID! }
					type Film implements Item @key(fields: "id") { id: ID! cast: [Person] @shareable }
					type Actor implements Person @key(fields: "id") { id: ID! @external stageName: String @external }
					type Director implements Person @key(fields: "id") { id: ID! @external }`),
				sg("feed", `
					type Query { item: Item @shareable @provides(fields: "cast { id stageName }") }
					interface Item { id: ID! cast: [Person] }
					interface Person { id: ID! stageName: String }
					type Film implements Item { id: ID! @shareable cast: [Person] @external }
					type Actor implements Person { id: ID! @external stageName: String @external }
					type Director implements Person { id: ID! @external stageName: String @external }`),
				sg("people", `
					interface Item { id: ID! cast: [Person] }
					interface Person { id: ID! stageName: String }
					type Film implements Item @key(fields: "id") { id: ID! cast: [Person] @shareable }
					type Actor implements Person @key(fields: "id") { id: ID! stageName: String @shareable born: Int }
					type Director implements Person @key(fields: "id") { id: ID! stageName: String @shareable born: Int }`),
			},
			check: func(t *testing.T, sg *supergraph.Supergraph) {
				if got := joinOf(t, sg, "Query", "film", "shelf").Provides; got != "cast { ... on Actor { stageName } }" {
					t.Errorf("Query.film provides %q", got)
				}
				if got := joinOf(t, sg, "Query", "item", "feed").Provides; got != "cast { id stageName }" {
					t.Errorf("Query.item provides %q", got)
				}
				if j := joinOf(t, sg, "Actor", "stageName", "shelf"); !j.External {
					t.Errorf("Actor.stageName in shelf should be external: %+v", j)
				}
				if got := sg.FieldGraphs("Film", "cast"); !slices.Contains(got, "shelf") || !slices.Contains(got, "people") {
					t.Errorf("Film.cast resolvable in %v, want shelf and people", got)
				}
			},
		},
		{
			// In federation 2 too, @external on a key field of a type
			// extension only says another subgraph defines the type: the
			// extending subgraph still resolves the key.
			name: "fed2_extension_keys_marked_external",
			subgraphs: []Subgraph{
				sg("titles", `
					type Query { titles: [Title!]! }
					type Title @key(fields: "id") { id: ID! name: String! }
					type Studio @key(fields: "code") { code: String! name: String }`),
				sg("ratings", `
					extend type Title @key(fields: "id") { id: ID! @external score: Float }
					type Query { topRated: Title }`),
				{Name: "studios", URL: "http://studios:4000/graphql", SDL: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@extends"])
					type Studio @extends @key(fields: "code") { code: String! @external founded: Int }
					type Query { studio: Studio }`},
			},
			check: func(t *testing.T, sg *supergraph.Supergraph) {
				for _, c := range []struct{ typ, field, graph string }{{"Title", "id", "ratings"}, {"Studio", "code", "studios"}} {
					if got := sg.FieldGraphs(c.typ, c.field); !slices.Contains(got, c.graph) {
						t.Errorf("%s.%s resolvable in %v, want %s among them", c.typ, c.field, got, c.graph)
					}
				}
			},
		},
		{
			// The overridden subgraph still needs the field to implement its
			// interface, so the supergraph keeps it as usedOverridden.
			name: "override_of_a_field_that_implements_an_interface",
			subgraphs: []Subgraph{
				sg("library", `
					interface Asset { id: ID! addedAt: String! }
					type Poster implements Asset @key(fields: "id") { id: ID! addedAt: String! }
					type Query { assets: [Asset] }`),
				sg("archive", `
					type Poster @key(fields: "id") { id: ID! addedAt: String! @override(from: "library") }
					type Query { poster(id: ID!): Poster }`),
			},
			check: func(t *testing.T, sg *supergraph.Supergraph) {
				if j := joinOf(t, sg, "Poster", "addedAt", "library"); !j.UsedOverridden {
					t.Errorf("Poster.addedAt in library should be usedOverridden: %+v", j)
				}
				if j := joinOf(t, sg, "Poster", "addedAt", "archive"); j.Override != "library" {
					t.Errorf("Poster.addedAt in archive should override library: %+v", j)
				}
				if got := sg.FieldGraphs("Poster", "addedAt"); !slices.Equal(got, []string{"archive"}) {
					t.Errorf("Poster.addedAt resolvable in %v, want [archive]", got)
				}
			},
		},
		{
			name: "enum_in_both_positions_with_an_inaccessible_value",
			subgraphs: []Subgraph{
				sg("members", `
					type Query { members: [Member] }
					type Member @key(fields: "id") { id: ID tier: Tier @shareable }
					enum Tier { FREE }`),
				sg("billing", `
					type Query { membersByTier(tier: Tier!): [Member!] }
					type Member @key(fields: "id") { id: ID tier: Tier @shareable }
					enum Tier { TRIAL @inaccessible FREE }`),
			},
			check: func(t *testing.T, sg *supergraph.Supergraph) {
				full := sg.Schema.Types["Tier"]
				if full == nil || full.EnumValues.ForName("TRIAL") == nil || full.EnumValues.ForName("FREE") == nil {
					t.Fatalf("supergraph Tier should keep TRIAL and FREE: %+v", full)
				}
				api := sg.APISchema().Types["Tier"]
				if api == nil || api.EnumValues.ForName("TRIAL") != nil || api.EnumValues.ForName("FREE") == nil {
					t.Errorf("API schema Tier should have FREE only: %+v", api)
				}
				if got := sg.FieldGraphs("Member", "tier"); len(got) != 2 {
					t.Errorf("Member.tier resolvable in %v, want both subgraphs", got)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, err := Compose(tc.subgraphs)
			if err != nil {
				t.Fatalf("Compose: %v", err)
			}
			parsed, err := supergraph.Parse(out)
			if err != nil {
				t.Fatalf("supergraph.Parse: %v\n%s", err, out)
			}
			tc.check(t, parsed)
			assertGolden(t, "compose/"+tc.name+".graphql", out)
		})
	}
}

// TestRequiresArgumentsRejected keeps the limits on arguments in field sets:
// only @requires may pass them, only ones the field declares, and only as
// constants.
func TestRequiresArgumentsRejected(t *testing.T) {
	t.Parallel()
	base := `type Query { films: [Film] }
		type Film @key(fields: "id") { id: ID! price(currency: String!): Int }`
	tests := []struct {
		name, sdl, want string
	}{
		{
			name: "undeclared argument",
			sdl: `type Film @key(fields: "id") { id: ID! price(currency: String!): Int @external
				quote: Int @requires(fields: "price(region: \"EU\")") }`,
			want: `Unknown argument "region"`,
		},
		{
			name: "variable value",
			sdl: `type Film @key(fields: "id") { id: ID! price(currency: String!): Int @external
				quote: Int @requires(fields: "price(currency: $c)") }`,
			want: "must be a constant",
		},
		{
			name: "arguments in provides",
			sdl: `type Query { film: Film @provides(fields: "price(currency: \"EUR\")") }
				type Film @key(fields: "id") { id: ID! price(currency: String!): Int @external }`,
			want: "cannot be given arguments",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Compose([]Subgraph{sg("films", base), sg("quotes", tc.sdl)})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Compose error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}
