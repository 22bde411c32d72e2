package bench

// Scenario is one operation the federation benchmark measures on every
// target; the in-process tests and benchmarks run the same ones.
type Scenario struct {
	Name          string
	Title         string
	OperationName string
	Query         string
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
}
