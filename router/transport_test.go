package router

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestTransport(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	r := d.router(t, func(c *Config) { c.MaxRequestBytes = 4096; c.PlanHeader = "X-Plan" })
	gqlResp := map[string]string{"Accept": "application/graphql-response+json"}
	tests := []struct {
		name       string
		method     string
		query      string
		header     map[string]string
		wantStatus int
		wantCType  string
		wantInBody string
	}{
		{"get query", http.MethodGet, `{ me { name } }`, preflighted, 200, "application/json", `"name":"Ada Lovelace"`},
		{"get query, Apollo Client style", http.MethodGet, `{ me { name } }`, map[string]string{"Content-Type": "application/json"}, 200, "application/json", `"name":"Ada Lovelace"`},
		{"get mutation refused", http.MethodGet, `mutation { addReview(upc: "1", body: "x") { id } }`, preflighted, 405, "application/json", `use POST`},
		{"simple get query refused", http.MethodGet, `{ me { name } }`, nil, 400, "application/json", `cross-site request forgery`},
		{"simple get mutation refused", http.MethodGet, `mutation { addReview(upc: "1", body: "x") { id } }`, nil, 400, "application/json", `"BAD_USER_INPUT"`},
		{"parse error with graphql-response+json", http.MethodPost, `{ me { `, gqlResp, 400, "application/graphql-response+json", `"BAD_USER_INPUT"`},
		{"validation error with graphql-response+json", http.MethodPost, `{ me { nope } }`, gqlResp, 400, "application/graphql-response+json", `"BAD_USER_INPUT"`},
		{"validation error with application/json", http.MethodPost, `{ me { nope } }`, nil, 200, "application/json", `"BAD_USER_INPUT"`},
		{"inaccessible field is invalid", http.MethodPost, `{ product(upc: "1") { internalCode } }`, nil, 200, "application/json", `"BAD_USER_INPUT"`},
		{"unacceptable accept", http.MethodPost, `{ me { name } }`, map[string]string{"Accept": "text/html"}, 406, "application/json", `"BAD_USER_INPUT"`},
		{"plan header", http.MethodPost, `{ topProducts { reviews { body } } }`, map[string]string{"X-Plan": "true"}, 200, "application/json", `"queryPlan":{"kind":"QueryPlan"`},
		{"too large", http.MethodPost, `{ me { name ` + strings.Repeat("name ", 1000) + `} }`, nil, 413, "application/json", `larger than`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := do(t, r, tc.method, tc.query, nil, tc.header)
			if res.status != tc.wantStatus || !strings.HasPrefix(res.ctype, tc.wantCType) || !strings.Contains(res.body, tc.wantInBody) {
				t.Fatalf("got %d %s %s", res.status, res.ctype, res.body)
			}
		})
	}
}

func TestTransportBadRequests(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	r := d.router(t, nil)
	tests := []struct {
		name, method, ctype, body string
		want                      int
	}{
		{"not json", http.MethodPost, "application/json", "{", 400},
		{"no query", http.MethodPost, "application/json", `{"variables":{}}`, 400},
		{"wrong content type", http.MethodPost, "text/plain", `{"query":"{me{id}}"}`, 415},
		{"variables not an object", http.MethodPost, "application/json", `{"query":"{me{id}}","variables":[1]}`, 400},
		{"put", http.MethodPut, "application/json", `{"query":"{me{id}}"}`, 405},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(tc.method, "/graphql", strings.NewReader(tc.body))
			req.Header.Set("Content-Type", tc.ctype)
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.want, rec.Body)
			}
			var body map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body["errors"] == nil {
				t.Fatalf("body is not a GraphQL error: %s", rec.Body)
			}
		})
	}
}

func TestVariablesAreCoerced(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	r := d.router(t, nil)
	res := do(t, r, http.MethodPost, `query($n: Int) { topProducts(first: $n) { upc } }`, map[string]any{"n": 1}, nil)
	if res.body != `{"data":{"topProducts":[{"upc":"1"}]}}` {
		t.Fatalf("got %s", res.body)
	}
	res = do(t, r, http.MethodPost, `query($n: Int) { topProducts(first: $n) { upc } }`, map[string]any{"n": "many"}, map[string]string{"Accept": "application/graphql-response+json"})
	if res.status != 400 || !strings.Contains(res.body, "BAD_USER_INPUT") {
		t.Fatalf("got %d %s", res.status, res.body)
	}
}

func TestPartialDataWhenASubgraphIsDown(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	d.subgraphs["inventory"].SetFailing(true)
	r := d.router(t, nil)
	res := do(t, r, http.MethodPost, `{ topProducts(first: 1) { name inStock } }`, nil, nil)
	want := `{"errors":[{"message":"subgraph inventory is unavailable","path":["topProducts",0],"extensions":{"code":"UNAVAILABLE","serviceName":"inventory"}}],"data":{"topProducts":[{"name":"Trilby","inStock":null}]}}`
	if res.body != want {
		t.Fatalf("got  %s\nwant %s", res.body, want)
	}
}

func TestExposeSubgraphErrors(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	r := d.router(t, func(c *Config) { c.ExposeSubgraphErrors = true })
	res := do(t, r, http.MethodPost, `{ user(id: "500") { name } }`, nil, nil)
	if !strings.Contains(res.body, "hunter2") {
		t.Fatalf("message not exposed: %s", res.body)
	}
}

func TestRepresentationsAreDeduplicatedAndHeadersForwarded(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	r := d.router(t, nil)
	res := do(t, r, http.MethodPost, `{ topProducts { reviews { author { name } } } }`, nil,
		map[string]string{"Authorization": "Bearer t", "X-Request-Id": "req-1", "Cookie": "secret"})
	if res.status != 200 || strings.Contains(res.body, "errors") {
		t.Fatalf("got %d %s", res.status, res.body)
	}
	reqs := d.subgraphs["accounts"].Requests()
	if len(reqs) != 1 {
		t.Fatalf("accounts got %d requests, want 1 batched fetch", len(reqs))
	}
	reps, _ := reqs[0].Variables["representations"].([]any)
	if len(reps) != 2 {
		t.Fatalf("accounts got %d representations, want 2 (users 1 and 2 once each): %v", len(reps), reps)
	}
	h := reqs[0].Header
	if h.Get("Authorization") != "Bearer t" || h.Get("X-Request-Id") != "req-1" || h.Get("Cookie") != "" {
		t.Fatalf("forwarded headers: %v", h)
	}
}

func TestMutationsRunInOrder(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	r := d.router(t, nil)
	res := do(t, r, http.MethodPost, `mutation { a: addReview(upc: "3", body: "first") { body author { name } } b: addReview(upc: "3", body: "second") { id body } }`, nil, nil)
	want := `{"data":{"a":{"body":"first","author":{"name":"Ada Lovelace"}},"b":{"id":"r5","body":"second"}}}`
	if res.body != want {
		t.Fatalf("got  %s\nwant %s", res.body, want)
	}
	res = do(t, r, http.MethodPost, `{ product(upc: "3") { reviews { body } } }`, nil, nil)
	if res.body != `{"data":{"product":{"reviews":[{"body":"first"},{"body":"second"}]}}}` {
		t.Fatalf("got %s", res.body)
	}
}

func TestIntrospection(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	r := d.router(t, nil)
	res := do(t, r, http.MethodPost, `{ __schema { queryType { name } mutationType { name } types { name } } }`, nil, nil)
	if !strings.Contains(res.body, `"queryType":{"name":"Query"}`) || !strings.Contains(res.body, `{"name":"Furniture"}`) {
		t.Fatalf("schema: %s", res.body)
	}
	if strings.Contains(res.body, "join__") || strings.Contains(res.body, "link__") {
		t.Fatalf("machinery in introspection: %s", res.body)
	}
	res = do(t, r, http.MethodPost, `{ __type(name: "User") { kind fields(includeDeprecated: true) { name isDeprecated deprecationReason type { kind ofType { name } } } } }`, nil, nil)
	if !strings.Contains(res.body, `{"name":"username","isDeprecated":false,"deprecationReason":null,"type":{"kind":"NON_NULL","ofType":{"name":"String"}}}`) ||
		!strings.Contains(res.body, `{"name":"birthYear","isDeprecated":true,"deprecationReason":"Use age"`) {
		t.Fatalf("type: %s", res.body)
	}
	res = do(t, r, http.MethodPost, `{ __type(name: "Product") { fields { name } } }`, nil, nil)
	if strings.Contains(res.body, "internalCode") {
		t.Fatalf("inaccessible field introspected: %s", res.body)
	}
	// Mixed with a subgraph field.
	res = do(t, r, http.MethodPost, `{ me { id } __type(name: "Thing") { kind possibleTypes { name } } }`, nil, nil)
	if res.body != `{"data":{"me":{"id":"1"},"__type":{"kind":"UNION","possibleTypes":[{"name":"Product"},{"name":"Furniture"}]}}}` {
		t.Fatalf("mixed: %s", res.body)
	}
}

func TestPlanAPI(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	r := d.router(t, nil)
	raw, err := r.Plan(t.Context(), `query($w: Boolean!) { topProducts { name shippingEstimate @include(if: $w) } }`, "", map[string]any{"w": true})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte(`"serviceName":"inventory"`)) {
		t.Fatalf("plan: %s", raw)
	}
	raw, err = r.Plan(t.Context(), `query($w: Boolean!) { topProducts { name shippingEstimate @include(if: $w) } }`, "", map[string]any{"w": false})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(`inventory`)) {
		t.Fatalf("skipped field still planned: %s", raw)
	}
	if _, err := r.Plan(t.Context(), `{ nope }`, "", nil); err == nil {
		t.Fatal("invalid operation planned")
	}
}

func TestDefaultForwardHeaders(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	r := d.router(t, func(c *Config) { c.ForwardHeaders = nil })
	res := do(t, r, http.MethodPost, `{ me { id } }`, nil, map[string]string{"X-Request-Id": "r1", "Authorization": "Bearer x", "X-Profile": "no"})
	if res.status != 200 {
		t.Fatalf("got %d %s", res.status, res.body)
	}
	h := d.subgraphs["accounts"].Requests()[0].Header
	if h.Get("X-Request-Id") != "r1" || h.Get("Authorization") != "Bearer x" || h.Get("X-Profile") != "" {
		t.Fatalf("forwarded: %v", h)
	}
}

// TestPlanExposure: plans reach clients only through the configured header
// or, when a header is configured, extensions.plan.
func TestPlanExposure(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	const query = `{ me { id } }`
	tests := []struct {
		name       string
		planHeader string
		header     map[string]string
		extensions map[string]any
		want       bool
	}{
		{"header configured and sent", "X-Plan", map[string]string{"X-Plan": "true"}, nil, true},
		{"header configured, extension sent", "X-Plan", nil, map[string]any{"plan": true}, true},
		{"header configured, not sent", "X-Plan", map[string]string{"X-Plan": "no"}, nil, false},
		{"no header configured", "", map[string]string{"X-Plan": "true", "X-Cinegraph-Plan": "true"}, map[string]any{"plan": true}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := d.router(t, func(c *Config) { c.PlanHeader = tc.planHeader })
			b, _ := json.Marshal(map[string]any{"query": query, "extensions": tc.extensions})
			req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(b))
			req.Header.Set("Content-Type", "application/json")
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, req)
			if got := strings.Contains(rec.Body.String(), `"queryPlan"`); got != tc.want || rec.Code != 200 {
				t.Fatalf("got %d %s, want plan exposed %v", rec.Code, rec.Body, tc.want)
			}
		})
	}
}
