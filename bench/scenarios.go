package bench

import "fmt"

var mixedQueries = mixed()

// Scenario is one operation the federation benchmark measures on every
// target; the in-process tests and benchmarks run the same ones.
type Scenario struct {
	Name          string
	Title         string
	OperationName string
	Query         string
	// Variants, when set, are the queries requests take turns with (Query
	// is the first), so that concurrent requests differ and no router can
	// merge them.
	Variants []string
}

// Queries are the scenario's queries: its Variants, or Query alone.
func (s Scenario) Queries() []string {
	if len(s.Variants) > 0 {
		return s.Variants
	}
	return []string{s.Query}
}

// mixed builds the mixed scenario's queries: every combination of a
// topProducts length, a product selection and a users selection, in an
// order where neighbours differ in all three. With 16 connections and more
// queries than that in the cycle, no two requests in flight are alike.
func mixed() []string {
	products := []string{
		"upc name",
		"upc name price weight",
		"name inStock",
		"upc shippingEstimate",
		"name reviews { body }",
		"upc price reviews { author { username } }",
	}
	users := []string{
		"id name",
		"username reviews { body }",
		"id reviews { product { name price } }",
		"name reviews { author { name } product { upc inStock } }",
	}
	var out []string
	for i := range 5 * len(products) * len(users) {
		first := 1 + i%5
		p := products[i%len(products)]
		u := users[(i/len(products))%len(users)]
		out = append(out, fmt.Sprintf("query Mixed { topProducts(first: %d) { %s } users { %s } }", first, p, u))
	}
	return out
}

// Scenarios are the federation benchmark's operations.
var Scenarios = []Scenario{
	{
		Name:          "single",
		Title:         "single fetch: topProducts (products subgraph only)",
		OperationName: "TopProducts",
		Query:         `query TopProducts { topProducts(first: 5) { upc name price weight } }`,
	},
	{
		Name:          "mixed",
		Title:         "mixed: 120 different queries in turn (5 lengths x 6 product and 4 user selections), so nothing in flight is alike",
		OperationName: "Mixed",
		Query:         mixedQueries[0],
		Variants:      mixedQueries,
	},
	{
		Name:          "duplicates",
		Title:         "duplicates: the same products twice under two aliases, so one plan holds identical inventory and reviews fetches",
		OperationName: "Duplicates",
		Query: `query Duplicates {
  a: topProducts(first: 5) { upc name inStock shippingEstimate reviews { body } }
  b: topProducts(first: 5) { upc name inStock shippingEstimate reviews { body } }
}`,
	},
	{
		Name:          "deep",
		Title:         "deep: users -> reviews -> product -> reviews -> author, and topProducts with @requires",
		OperationName: "Deep",
		Query: `query Deep {
  users {
    id name username
    reviews {
      body
      product {
        upc name price
        reviews { body author { id name username reviews { body product { name } } } }
      }
    }
  }
  topProducts(first: 5) { upc name price weight inStock shippingEstimate reviews { body author { username } } }
}`,
	},
	{
		Name:          "big",
		Title:         "big: 68,000 products (8 MiB) from one subgraph",
		OperationName: "Big",
		Query:         `query Big { bulkProducts(count: 68000) { upc name price weight } }`,
	},
}
