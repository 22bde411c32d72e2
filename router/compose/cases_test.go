package compose

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// fed2Link opts a test subgraph into federation 2.3 with every directive
// the tests use imported under its usual name.
const fed2Link = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@override", "@inaccessible", "@tag", "@interfaceObject"])
`

func sg(name, sdl string) Subgraph {
	return Subgraph{Name: name, URL: "http://" + strings.ToLower(name) + ":4000/graphql", SDL: fed2Link + sdl}
}

// TestComposeGolden composes small subgraph sets covering each merge rule
// and compares the supergraphs with testdata/compose/<case>.graphql.
func TestComposeGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		subgraphs []Subgraph
	}{
		{
			name: "basic",
			subgraphs: []Subgraph{
				sg("Subgraph1", `
					type Query { t: T }
					type T @key(fields: "k") { k: ID }
					type S { x: Int }
					union U = S | T`),
				sg("Subgraph2", `
					type T @key(fields: "k") { k: ID a: Int b: String }
					enum E { V1 V2 }`),
			},
		},
		{
			name: "override",
			subgraphs: []Subgraph{
				sg("products", `
					type Query { product: Product }
					type Product @key(fields: "id") @key(fields: "code") { id: ID! code: String! price: Int weight: Int sku: String! }`),
				sg("pricing", `
					type Product @key(fields: "id") {
						id: ID!
						price: Int @override(from: "products")
						weight: Int @override(from: "products", label: "percent(25)")
						code: String! @override(from: "products")
					}`),
				sg("inventory", `
					type Product @key(fields: "sku") { sku: String! @override(from: "products") stock: Int }`),
			},
		},
		{
			name: "renamed_imports",
			subgraphs: []Subgraph{
				{Name: "a", URL: "http://a", SDL: `
					extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: [{name: "@key", as: "@primaryKey"}, {name: "@shareable", as: "@shared"}])
					type Query { me: User @shared }
					type User @primaryKey(fields: "id") { id: ID! name: String! @federation__shareable }`},
				{Name: "b", URL: "http://b", SDL: `
					extend schema @link(url: "https://specs.apollo.dev/federation/v2.0", as: "fed", import: ["@key"])
					type Query { me: User @fed__shareable }
					type User @key(fields: "id") { id: ID! name: String! @fed__shareable email: String @fed__inaccessible }`},
			},
		},
		{
			name: "fed1",
			subgraphs: []Subgraph{
				{Name: "products", URL: "http://products", SDL: `
					type Query { topProducts: [Product] }
					type Product @key(fields: "upc") { upc: String! name: String weight: Int }`},
				{Name: "reviews", URL: "http://reviews", SDL: `
					type Review { body: String product: Product }
					extend type Product @key(fields: "upc") {
						upc: String! @external
						weight: Int @external
						reviews: [Review]
						shippingEstimate: Int @requires(fields: "weight")
					}`},
			},
		},
		{
			name: "abstract_types",
			subgraphs: []Subgraph{
				sg("a", `
					interface Media { id: ID! title: String }
					type Movie implements Media @key(fields: "id") { id: ID! title: String @shareable length: Int }
					type Book implements Media @key(fields: "id") { id: ID! title: String @shareable }
					union Hit = Movie | Book
					type Query { media: [Media] search: [Hit] featured: Media @shareable }`),
				sg("b", `
					interface Media { id: ID! }
					type Movie implements Media @key(fields: "id") { id: ID! title: String! @shareable }
					type Song @key(fields: "id") { id: ID! }
					union Hit = Movie | Song
					type Query { featured: Movie @shareable songs: [Song] }`),
			},
		},
		{
			name: "nullability_and_inputs",
			subgraphs: []Subgraph{
				sg("a", `
					enum Sort { ASC DESC RANDOM }
					enum Status { ACTIVE DELETED }
					input Filter { name: String limit: Int = 10 tag: String sort: Sort }
					type Query { items(filter: Filter, first: Int): [Item!] @shareable }
					type Item @shareable { id: ID! status: Status! }`),
				sg("b", `
					enum Sort { ASC DESC }
					enum Status { ACTIVE ARCHIVED }
					input Filter { name: String! limit: Int = 10 sort: Sort }
					type Query { items(filter: Filter, first: Int!): [Item] @shareable }
					type Item @shareable { id: ID! status: Status! }`),
			},
		},
		{
			name: "interface_object_and_tags",
			subgraphs: []Subgraph{
				sg("a", `
					"Anything with a title."
					interface Media @key(fields: "id") { id: ID! title: String! }
					type Movie implements Media @key(fields: "id") @tag(name: "public") { id: ID! title: String! }
					type Query { media: [Media] }`),
				sg("b", `
					type Media @key(fields: "id") @interfaceObject { id: ID! reviews: [String!]! @tag(name: "public") secret: String @inaccessible }`),
			},
		},
		{
			name: "custom_roots_and_descriptions",
			subgraphs: []Subgraph{
				sg("a", `
					schema { query: RootQuery mutation: RootMutation }
					"""
					Root of every read.
					  Indented line.
					"""
					type RootQuery {
						"Looks a thing up."
						thing(
							"The \"id\" of the thing."
							id: ID!
							kinds: [Kind!] = [SMALL, LARGE]
						): Thing @deprecated(reason: "use things")
					}
					type RootMutation { touch(id: ID!): Thing }
					type Thing { id: ID! kind: Kind }
					enum Kind { SMALL "Really big." LARGE @deprecated }
					directive @cached(ttl: Int = 60) on FIELD | QUERY`),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := Compose(tt.subgraphs)
			if err != nil {
				t.Fatalf("Compose: %v", err)
			}
			assertGolden(t, "compose/"+tt.name+".graphql", out)
		})
	}
}

var _ = errors.As
var _ = slices.Equal[[]string]
