package main

// scenario is one operation measured against several targets.
type scenario struct {
	name  string
	title string
	query string
}

var scenarios = []scenario{
	{
		name:  "single",
		title: "single fetch: topProducts (products subgraph only)",
		query: `query TopProducts { topProducts(first: 5) { upc name price weight } }`,
	},
	{
		name:  "deep",
		title: "deep: users -> reviews -> product -> reviews -> author, and topProducts with @requires",
		query: `query Deep {
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
