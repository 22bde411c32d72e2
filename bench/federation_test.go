package bench_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cinegraph/cinegraph/bench"
	"github.com/cinegraph/cinegraph/bench/fixtures"
	"github.com/cinegraph/cinegraph/router"
	"github.com/cinegraph/cinegraph/router/compose"
	"github.com/cinegraph/cinegraph/router/limits"
)

// federation serves the four benchmark subgraphs in-process and returns a
// router composed over them, for profiling the router on real traffic.
func federation(tb testing.TB) *router.Router {
	tb.Helper()
	subgraphs, err := bench.Subgraphs(fixtures.New())
	if err != nil {
		tb.Fatal(err)
	}
	var subs []compose.Subgraph
	for _, s := range subgraphs {
		ts := httptest.NewServer(s.Handler)
		tb.Cleanup(ts.Close)
		subs = append(subs, compose.Subgraph{Name: s.Name, URL: ts.URL, SDL: s.SDL})
	}
	sdl, err := compose.Compose(subs)
	if err != nil {
		tb.Fatal(err)
	}
	r, err := router.New(router.Config{SupergraphSDL: sdl, Limits: limits.Config{MaxResponseBytes: 64 << 20}}) // the big scenario answers 8 MiB
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func post(r http.Handler, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w
}

// TestFederation checks that the benchmark's queries plan and execute
// without errors, so a broken benchmark shows up in the test run rather
// than halfway through measuring.
func TestFederation(t *testing.T) {
	r := federation(t)
	for _, tc := range bench.Scenarios {
		t.Run(tc.Name, func(t *testing.T) {
			for _, q := range tc.Queries() {
				body, _ := json.Marshal(map[string]string{"query": q})
				w := post(r, body)
				var res struct {
					Data   map[string]json.RawMessage `json:"data"`
					Errors []json.RawMessage          `json:"errors"`
				}
				if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
					t.Fatalf("status %d, %v: %s", w.Code, err, w.Body.String())
				}
				if w.Code != http.StatusOK || len(res.Errors) > 0 || len(res.Data) == 0 {
					t.Fatalf("%s: status %d: %s", q, w.Code, w.Body.String())
				}
			}
		})
	}
}

func BenchmarkFederation(b *testing.B) {
	r := federation(b)
	for _, bc := range bench.Scenarios {
		b.Run(bc.Name, func(b *testing.B) {
			body, _ := json.Marshal(map[string]string{"query": bc.Query})
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				w := post(r, body)
				if w.Code != http.StatusOK || bytes.Contains(w.Body.Bytes(), []byte(`"errors"`)) {
					b.Fatalf("status %d: %s", w.Code, w.Body.String())
				}
			}
		})
	}
}
