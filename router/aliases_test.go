package router

import (
	"net/http"
	"testing"
)

// TestClientAliasesNeverMeetPlannerFields: the planner fetches keys,
// @requires fields and __typename next to the client's fields; whatever
// response keys the client picks (even __typename, or the planner's own
// alias spelling), it gets exactly its aliases with the right values.
func TestClientAliasesNeverMeetPlannerFields(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	r := d.router(t, nil)
	tests := []struct{ name, query, want string }{
		{
			"field aliased __typename on an entity completed by another subgraph",
			`{ me { __typename: name reviews { rating } } }`,
			`{"data":{"me":{"__typename":"Ada Lovelace","reviews":[{"rating":5},{"rating":4}]}}}`,
		},
		{
			"__typename next to a field aliased __typename",
			`{ me { kind: __typename __typename: username reviews { rating } } }`,
			`{"data":{"me":{"kind":"User","__typename":"@ada","reviews":[{"rating":5},{"rating":4}]}}}`,
		},
		{
			"list aliased __typename whose items are completed by another subgraph",
			`{ me { __typename: reviews { body author { name } } } }`,
			`{"data":{"me":{"__typename":[{"body":"Love it","author":{"name":"Ada Lovelace"}},{"body":"Stylish","author":{"name":"Ada Lovelace"}}]}}}`,
		},
		{
			"key field name and internal alias both taken by the client",
			`{ me { id: name __cg_id: username reviews { id } } }`,
			`{"data":{"me":{"id":"Ada Lovelace","__cg_id":"@ada","reviews":[{"id":"r1"},{"id":"r3"}]}}}`,
		},
		{
			"aliases on an abstract type",
			`{ items { __typename: upc ... on Product { upc: name __cg_upc: price reviews { rating } } } }`,
			`{"data":{"items":[{"__typename":"1","upc":"Trilby","__cg_upc":11,"reviews":[{"rating":5},{"rating":2}]},{"__typename":"f1"},{"__typename":"2","upc":"Fedora","__cg_upc":22,"reviews":[{"rating":4}]}]}}`,
		},
		{
			"requires field name and internal alias both taken by the client",
			`{ product(upc: "2") { price: name __cg_price: weight shippingEstimate } }`,
			`{"data":{"product":{"price":"Fedora","__cg_price":4,"shippingEstimate":8}}}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := do(t, r, http.MethodPost, tc.query, nil, nil)
			if res.status != http.StatusOK {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			if res.body != tc.want {
				t.Fatalf("got  %s\nwant %s", res.body, tc.want)
			}
		})
	}
}
