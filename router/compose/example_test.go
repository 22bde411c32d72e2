package compose_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cinegraph/cinegraph/router/compose"
)

func ExampleCompose() {
	const link = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
`
	supergraph, err := compose.Compose([]compose.Subgraph{
		{Name: "catalog", URL: "http://127.0.0.1:4001/graphql", SDL: link + `
			type Query { title(id: ID!): Title }
			type Title @key(fields: "id") { id: ID! name: String! }`},
		{Name: "video", URL: "http://127.0.0.1:4002/graphql", SDL: link + `
			type Title @key(fields: "id") { id: ID! trailerUrl: String }`},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	start := strings.Index(supergraph, "type Title")
	fmt.Println(supergraph[start:])
	// Output:
	// type Title
	//   @join__type(graph: CATALOG, key: "id")
	//   @join__type(graph: VIDEO, key: "id")
	// {
	//   id: ID!
	//   name: String! @join__field(graph: CATALOG)
	//   trailerUrl: String @join__field(graph: VIDEO)
	// }
}

func ExampleErrors() {
	const link = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
`
	_, err := compose.Compose([]compose.Subgraph{
		{Name: "a", SDL: link + `type Query { t: T } type T @key(fields: "id") { id: ID! name: String }`},
		{Name: "b", SDL: link + `type T @key(fields: "id") { id: ID! name: Int }`},
	})
	var errs *compose.Errors
	if errors.As(err, &errs) {
		for _, e := range *errs {
			fmt.Println(e.Code, e.Coordinate)
			fmt.Println(e.Message)
		}
	}
	// Output:
	// FIELD_TYPE_MISMATCH T.name
	// Type of field "T.name" is incompatible across subgraphs: it has type "String" in subgraph "a" but type "Int" in subgraph "b"
	// INVALID_FIELD_SHARING T.name
	// Non-shareable field "T.name" is resolved from multiple subgraphs: it is resolved from subgraphs "a" and "b" and defined as non-shareable in all of them
}
