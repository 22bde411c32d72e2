package router

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

type httpResult struct {
	status int
	ctype  string
	body   string
}

func do(t *testing.T, h http.Handler, method, query string, vars map[string]any, header map[string]string) httpResult {
	t.Helper()
	var req *http.Request
	if method == http.MethodGet {
		q := url.Values{"query": {query}}
		if vars != nil {
			b, _ := json.Marshal(vars)
			q.Set("variables", string(b))
		}
		req = httptest.NewRequest(http.MethodGet, "/graphql?"+q.Encode(), nil)
	} else {
		b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		req = httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return httpResult{status: rec.Code, ctype: rec.Header().Get("Content-Type"), body: rec.Body.String()}
}

func TestDemoEndToEnd(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	r := d.router(t, nil)
	tests := []struct {
		name, query string
		vars        map[string]any
		want        string
	}{
		{
			"single subgraph with aliases and typename",
			`{ me { who: name __typename id } }`, nil,
			`{"data":{"me":{"who":"Ada Lovelace","__typename":"User","id":"1"}}}`,
		},
		{
			"entity jumps two levels deep",
			`{ topProducts(first: 2) { name reviews { body author { name } } } }`, nil,
			`{"data":{"topProducts":[{"name":"Trilby","reviews":[{"body":"Love it","author":{"name":"Ada Lovelace"}},{"body":"Too small","author":{"name":"Alan Turing"}}]},{"name":"Fedora","reviews":[{"body":"Stylish","author":{"name":"Ada Lovelace"}}]}]}}`,
		},
		{
			"requires sends price and weight",
			`{ topProducts { upc shippingEstimate inStock } }`, nil,
			`{"data":{"topProducts":[{"upc":"1","shippingEstimate":2,"inStock":true},{"upc":"2","shippingEstimate":8,"inStock":true},{"upc":"3","shippingEstimate":19,"inStock":false}]}}`,
		},
		{
			"requires field aliased by the client",
			`{ product(upc: "2") { price: name shippingEstimate } }`, nil,
			`{"data":{"product":{"price":"Fedora","shippingEstimate":8}}}`,
		},
		{
			"provides answers username without accounts",
			`{ latestReviews { body author { username } } }`, nil,
			`{"data":{"latestReviews":[{"body":"Stylish","author":{"username":"@ada"}},{"body":"Too small","author":{"username":"@alan"}},{"body":"Love it","author":{"username":"@ada"}}]}}`,
		},
		{
			"shareable name from reviews",
			`{ latestReviews { product { name } } }`, nil,
			`{"data":{"latestReviews":[{"product":{"name":"Fedora"}},{"product":{"name":"Trilby"}},{"product":{"name":"Trilby"}}]}}`,
		},
		{
			"interface across subgraphs",
			`{ items { __typename name ... on Product { inStock } ... on Furniture { material stock } } }`, nil,
			`{"data":{"items":[{"__typename":"Product","name":"Trilby","inStock":true},{"__typename":"Furniture","name":"Chair","material":"oak","stock":5},{"__typename":"Product","name":"Fedora","inStock":true}]}}`,
		},
		{
			"reverse lookup from accounts to reviews to products",
			`{ user(id: "2") { name reviews { rating product { name price } } } }`, nil,
			`{"data":{"user":{"name":"Alan Turing","reviews":[{"rating":2,"product":{"name":"Trilby","price":11}}]}}}`,
		},
		{
			"fragments and skip from variables",
			`query Q($skip: Boolean!) { product(upc: "1") { ...F } } fragment F on Product { name price @skip(if: $skip) upc }`, map[string]any{"skip": true},
			`{"data":{"product":{"name":"Trilby","upc":"1"}}}`,
		},
		{
			"null propagation to data",
			`{ things { ... on Furniture { name stock } } }`, nil,
			`{"errors":[{"message":"Subgraph errors redacted","path":["things",2,"stock"],"extensions":{"code":"INTERNAL","serviceName":"inventory"}}],"data":null}`,
		},
		{
			"coded subgraph error passes through",
			`{ user(id: "404") { name } }`, nil,
			`{"errors":[{"message":"no user 404","path":["user"],"extensions":{"code":"NOT_FOUND","serviceName":"accounts"}}],"data":{"user":null}}`,
		},
		{
			"subgraph error coded outside the closed set is redacted and internal",
			`{ user(id: "418") { name } }`, nil,
			`{"errors":[{"message":"Subgraph errors redacted","path":["user"],"extensions":{"code":"INTERNAL","serviceName":"accounts"}}],"data":{"user":null}}`,
		},
		{
			"uncoded subgraph error is redacted",
			`{ user(id: "500") { name } }`, nil,
			`{"errors":[{"message":"Subgraph errors redacted","path":["user"],"extensions":{"code":"INTERNAL","serviceName":"accounts"}}],"data":{"user":null}}`,
		},
		{
			"non-null violation inside a subgraph list",
			`{ users { name email } }`, nil,
			`{"errors":[{"message":"Subgraph errors redacted","path":["users",2,"email"],"extensions":{"code":"INTERNAL","serviceName":"accounts"}}],"data":null}`,
		},
		{
			"root typename",
			`{ __typename me { id } }`, nil,
			`{"data":{"__typename":"Query","me":{"id":"1"}}}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := do(t, r, http.MethodPost, tc.query, tc.vars, nil)
			if res.status != http.StatusOK {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			if res.body != tc.want {
				t.Fatalf("got  %s\nwant %s", res.body, tc.want)
			}
		})
	}
}
