package compose

import (
	"errors"
	"fmt"
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
					type User @primaryKey(fields: "id", resolvable: true) { id: ID! name: String! @federation__shareable }`},
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
			name: "compose_directive",
			subgraphs: []Subgraph{
				{Name: "a", URL: "http://a", SDL: `
					extend schema
						@link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@composeDirective", "@shareable"])
						@link(url: "https://cinegraph.dev/cache/v1.0", import: ["@cacheHint"])
						@composeDirective(name: "@cacheHint")
					directive @cacheHint(maxAge: Int) on FIELD_DEFINITION | OBJECT
					type Query { t: T @cacheHint(maxAge: 60) }
					type T @key(fields: "id") @cacheHint(maxAge: 10) { id: ID! name: String @shareable @cacheHint(maxAge: 30) }`},
				{Name: "b", URL: "http://b", SDL: `
					extend schema
						@link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@composeDirective", "@shareable"])
						@link(url: "https://cinegraph.dev/cache/v1.1", import: [{name: "@cacheHint", as: "@cacheHint"}])
						@composeDirective(name: "@cacheHint")
					directive @cacheHint(maxAge: Int, scope: String) on FIELD_DEFINITION | OBJECT
					type T @key(fields: "id") { id: ID! name: String @shareable @cacheHint(maxAge: 5, scope: "PRIVATE") }`},
			},
		},
		{
			// Access requirements of a field in two subgraphs add up; demand
			// figures take the larger estimate. The subgraphs declare the
			// directives as gqlgen-built subgraphs must.
			name: "access_and_demand_control",
			subgraphs: []Subgraph{
				{Name: "a", URL: "http://a", SDL: `
					extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable", "@authenticated", "@requiresScopes", "@policy", "@cost", "@listSize"])
					directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
					directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
					type Query {
						items(first: Int = 10 @cost(weight: 2)): ItemPage! @listSize(slicingArguments: ["first"], sizedFields: ["nodes"], requireOneSlicingArgument: false)
						me: User @authenticated
					}
					type ItemPage { nodes: [Item!]! }
					type Item @key(fields: "id") @cost(weight: 3) { id: ID! secret: String @shareable @requiresScopes(scopes: [["read:secret"], ["admin"]]) }
					type User @key(fields: "id") @authenticated { id: ID! friends: [User!]! @listSize(assumedSize: 5) }`},
				{Name: "b", URL: "http://b", SDL: `
					extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable", "@requiresScopes", "@policy", "@cost"])
					directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
					type Item @key(fields: "id") @cost(weight: 5) { id: ID! secret: String @shareable @requiresScopes(scopes: [["audit"]]) @policy(policies: [["owner"]]) }`},
			},
		},
		{
			name: "inaccessible_enum_value",
			subgraphs: []Subgraph{
				sg("a", `enum Color { RED GREEN @inaccessible } type Query { color(c: Color): Color @shareable }`),
				sg("b", `enum Color { RED } type Query { color(c: Color): Color @shareable }`),
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

// TestComposeErrors checks that each kind of invalid composition is
// reported with its code, subgraph, coordinate and exact message, as
// recorded in testdata/errors/<case>.txt.
func TestComposeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		subgraphs []Subgraph
	}{
		{
			name: "kind mismatch",
			subgraphs: []Subgraph{
				sg("a", `type Query { t: T } type T { x: Int }`),
				sg("b", `interface T { x: Int }`),
			},
		},
		{
			name: "field type mismatch",
			subgraphs: []Subgraph{
				sg("a", `type Query { t: T } type T @key(fields: "id") { id: ID! f: String @shareable }`),
				sg("b", `type T @key(fields: "id") { id: ID! f: [String] @shareable }`),
			},
		},
		{
			name: "non-shareable field",
			subgraphs: []Subgraph{
				sg("a", `type Query { t: T } type T @key(fields: "id") { id: ID! name: String }`),
				sg("b", `type T @key(fields: "id") { id: ID! name: String }`),
				sg("c", `type T @key(fields: "id") { id: ID! name: String @shareable }`),
			},
		},
		{
			name: "value type defined twice",
			subgraphs: []Subgraph{
				sg("a", `type Query { a: Money } type Money { amount: Int }`),
				sg("b", `type Query { b: Money } type Money { amount: Int }`),
			},
		},
		{
			name: "key names a missing field",
			subgraphs: []Subgraph{
				sg("a", `type Query { t: T } type T @key(fields: "id sku") { id: ID! }`),
			},
		},
		{
			name: "key does not parse",
			subgraphs: []Subgraph{
				sg("a", `type Query { t: T } type T @key(fields: "id {") { id: ID! }`),
			},
		},
		{
			name: "key selects field with arguments or abstract type",
			subgraphs: []Subgraph{
				sg("a", `interface I { x: Int } type Query { t: T } type T @key(fields: "id(x: 1)") @key(fields: "i { x }") @key(fields: "n") { id(x: Int): ID! i: I n(a: Int): Int }`),
			},
		},
		{
			name: "requires a field that is not external",
			subgraphs: []Subgraph{
				sg("a", `type Query { t: T } type T @key(fields: "id") { id: ID! weight: Int shipping: Int @requires(fields: "weight") }`),
			},
		},
		{
			name: "requires a missing field",
			subgraphs: []Subgraph{
				sg("a", `type Query { t: T } type T @key(fields: "id") { id: ID! shipping: Int @requires(fields: "weight") }`),
			},
		},
		{
			name: "provides on a scalar field and a non-external field",
			subgraphs: []Subgraph{
				sg("a", `type Query { name: String @provides(fields: "x") t: T @provides(fields: "name") } type T @key(fields: "id") { id: ID! name: String }`),
			},
		},
		{
			name: "unused external",
			subgraphs: []Subgraph{
				sg("a", `type Query { t: T } type T @key(fields: "id") { id: ID! name: String @shareable }`),
				sg("b", `type T @key(fields: "id") { id: ID! name: String @external }`),
			},
		},
		{
			name: "external everywhere",
			subgraphs: []Subgraph{
				sg("a", `type Query { t: T @provides(fields: "name") } type T @key(fields: "id") { id: ID! name: String @external }`),
			},
		},
		{
			name: "external type mismatch",
			subgraphs: []Subgraph{
				sg("a", `type Query { t: T } type T @key(fields: "id") { id: ID! weight: Int }`),
				sg("b", `type T @key(fields: "id") { id: ID! weight: String @external shipping: Int @requires(fields: "weight") }`),
			},
		},
		{
			name: "external nullable where the owner is not",
			subgraphs: []Subgraph{
				sg("a", `type Query { t: T } type T @key(fields: "id") { id: ID! weight: Int! }`),
				sg("b", `type T @key(fields: "id") { id: ID! weight: Int @external shipping: Int @requires(fields: "weight") }`),
			},
		},
		{
			name: "external arguments differ",
			subgraphs: []Subgraph{
				sg("a", `type Query { t: T } type T @key(fields: "id") { id: ID! price(currency: String, round: Int = 2, tax: Boolean): Int }`),
				sg("b", `type T @key(fields: "id") { id: ID! price(round: Int = 3, tax: String): Int @external total: Int @requires(fields: "price") }`),
			},
		},
		{
			name: "enum used as input and output with different values",
			subgraphs: []Subgraph{
				sg("a", `enum Color { RED GREEN } type Query { color(c: Color): Color @shareable }`),
				sg("b", `enum Color { RED BLUE } type Query { color(c: Color): Color @shareable }`),
			},
		},
		{
			name: "input-only enum with no common value",
			subgraphs: []Subgraph{
				sg("a", `enum Color { RED } type Query { a(c: Color): Int }`),
				sg("b", `enum Color { BLUE } type Query { b(c: Color): Int }`),
			},
		},
		{
			name: "required input field missing in a subgraph",
			subgraphs: []Subgraph{
				sg("a", `input F { name: String! size: Int! = 1 } type Query { a(f: F): Int }`),
				sg("b", `input F { other: Int } type Query { b(f: F): Int }`),
			},
		},
		{
			name: "required argument missing and mismatched defaults",
			subgraphs: []Subgraph{
				sg("a", `type Query { list(first: Int!, order: String = "asc", kind: Int): [Int] @shareable }`),
				sg("b", `type Query { list(order: String = "desc", kind: String): [Int] @shareable }`),
			},
		},
		{
			name: "root type under another name while Query exists",
			subgraphs: []Subgraph{
				sg("a", `schema { query: Root } type Root { a: Int } type Query { b: Int } type Mutation { c: Int }`),
			},
		},
		{
			name: "no queries",
			subgraphs: []Subgraph{
				sg("a", `type T { x: Int }`),
			},
		},
		{
			name: "override misuse",
			subgraphs: []Subgraph{
				sg("a", `type Query { t: T } type T @key(fields: "id") { id: ID! x: Int @override(from: "a") y: Int @override(from: "b") @external z: Int @override(from: "b", label: "50%") }`),
				sg("b", `type T @key(fields: "id") { id: ID! y: Int @override(from: "a") z: Int }`),
			},
		},
		{
			name: "field unreachable",
			subgraphs: []Subgraph{
				sg("a", `type Query { t: T } type T @key(fields: "id") { id: ID! }`),
				sg("b", `type T @key(fields: "id", resolvable: false) { id: ID! extra: Int }`),
			},
		},
		{
			name: "key fields no other subgraph resolves",
			subgraphs: []Subgraph{
				sg("a", `type Query { t: T } type T @key(fields: "id") { id: ID! }`),
				sg("b", `type T @key(fields: "sku") { sku: String! price: Int }`),
			},
		},
		{
			name: "subscription field in two subgraphs",
			subgraphs: []Subgraph{
				sg("a", `type Query { a: Int } type Subscription { ticks: Int @shareable }`),
				sg("b", `type Query { b: Int } type Subscription { ticks: Int @shareable }`),
			},
		},
		{
			name: "extension without base",
			subgraphs: []Subgraph{
				sg("a", `type Query { t: T } extend type T { x: Int }`),
			},
		},
		{
			name: "interface field not implemented",
			subgraphs: []Subgraph{
				sg("a", `interface I { x: Int } type Query { i: I } type T implements I { x: Int }`),
				sg("b", `interface I { x: Int y: Int } type Query { j: I }`),
			},
		},
		{
			name: "compose directive misuse",
			subgraphs: []Subgraph{
				{Name: "a", URL: "http://a", SDL: `
					extend schema
						@link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@composeDirective"])
						@link(url: "https://cinegraph.dev/cache/v1.0", import: ["@cacheHint"])
						@composeDirective(name: "@key")
						@composeDirective(name: "cacheHint")
						@composeDirective(name: "@cacheHint")
						@composeDirective(name: "@loose")
					directive @loose on FIELD_DEFINITION
					type Query { a: Int }`},
			},
		},
		{
			name: "unknown and misplaced types",
			subgraphs: []Subgraph{
				sg("a", `
					input In { x: Int }
					interface I { id: ID! name: String }
					type Query { t: Titel f(x: Out): In u: U }
					type Out implements I & In { id: ID! }
					union U = Out | In`),
			},
		},
		{
			name: "interface object without interface",
			subgraphs: []Subgraph{
				sg("a", `type Query { m: Media } type Media @key(fields: "id") @interfaceObject { id: ID! }`),
			},
		},
		{
			name: "invalid graphql and duplicate names",
			subgraphs: []Subgraph{
				sg("a", `type Query { a: Int`),
				sg("b", `type Query { b: Int }`),
				sg("b", `type Query { c: Int }`),
				sg("", `type Query { d: Int }`),
				sg("_", `type Query { e: Int }`),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := Compose(tt.subgraphs)
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Compose error = %v (output %d bytes), want Errors", err, len(out))
			}
			var got strings.Builder
			for _, e := range errs {
				fmt.Fprintf(&got, "code: %s\nsubgraph: %s\ncoordinate: %s\nmessage: %s\n\n", e.Code, e.Subgraph, e.Coordinate, e.Message)
			}
			assertGolden(t, "errors/"+strings.ReplaceAll(tt.name, " ", "_")+".txt", got.String())
		})
	}
}
