package router

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestCrossOrigin: the CORS policy, which websockets may open, and the CSRF
// rule's settings, as a browser on another origin meets them.
func TestCrossOrigin(t *testing.T) {
	t.Parallel()
	const app, evil = "http://app.example", "http://evil.example"
	allowApp := func(c *Config) {
		c.CORS = CORSConfig{AllowedOrigins: []string{app}, AllowCredentials: true, MaxAge: 10 * time.Minute}
	}
	// preflight asks, as a browser does, whether origin may POST with the
	// given headers (lower case and sorted, as browsers list them).
	preflight := func(origin, headers string) func(t *testing.T, endpoint string) *http.Response {
		return func(t *testing.T, endpoint string) *http.Response {
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodOptions, endpoint, nil)
			req.Header.Set("Origin", origin)
			req.Header.Set("Access-Control-Request-Method", http.MethodPost)
			if headers != "" {
				req.Header.Set("Access-Control-Request-Headers", headers)
			}
			return roundTrip(t, req)
		}
	}
	post := func(origin string) func(t *testing.T, endpoint string) *http.Response {
		return func(t *testing.T, endpoint string) *http.Response {
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, endpoint, strings.NewReader(`{"query":"{ count }"}`))
			req.Header.Set("Origin", origin)
			req.Header.Set("Content-Type", "application/json")
			return roundTrip(t, req)
		}
	}
	get := func(header map[string]string) func(t *testing.T, endpoint string) *http.Response {
		return func(t *testing.T, endpoint string) *http.Response {
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, endpoint+"?"+url.Values{"query": {"{ count }"}}.Encode(), nil)
			for k, v := range header {
				req.Header.Set(k, v)
			}
			return roundTrip(t, req)
		}
	}
	socket := func(origin string) func(t *testing.T, endpoint string) *http.Response {
		return func(t *testing.T, endpoint string) *http.Response {
			d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
			c, resp, err := d.DialContext(t.Context(), "ws"+strings.TrimPrefix(endpoint, "http"), http.Header{"Origin": {origin}})
			if err == nil {
				_ = c.Close()
			} else if resp == nil {
				t.Fatal(err)
			}
			return resp
		}
	}
	tests := []struct {
		name   string
		cfg    func(*Config)
		do     func(t *testing.T, endpoint string) *http.Response
		status int
		// header holds response headers expected, "" for absent.
		header map[string]string
	}{
		{"no CORS: preflight not answered", nil, preflight(app, "content-type"), 405, map[string]string{"Access-Control-Allow-Origin": ""}},
		{"no CORS: answer not shared", nil, post(app), 200, map[string]string{"Access-Control-Allow-Origin": ""}},
		{"no CORS: websocket from another origin", nil, socket(app), 403, nil},
		{"allowed origin: preflight", allowApp, preflight(app, "apollo-require-preflight,authorization,content-type"), 204, map[string]string{
			"Access-Control-Allow-Origin":      app,
			"Access-Control-Allow-Credentials": "true",
			"Access-Control-Allow-Headers":     "apollo-require-preflight,authorization,content-type",
			"Access-Control-Max-Age":           "600",
		}},
		{"allowed origin: header not allowed", allowApp, preflight(app, "content-type,x-evil"), 204, map[string]string{"Access-Control-Allow-Origin": ""}},
		{"allowed origin: answer shared", allowApp, post(app), 200, map[string]string{"Access-Control-Allow-Origin": app, "Vary": "Origin"}},
		{"allowed origin: websocket", allowApp, socket(app), 101, nil},
		{"other origin: preflight", allowApp, preflight(evil, "content-type"), 204, map[string]string{"Access-Control-Allow-Origin": ""}},
		{"other origin: answer not shared", allowApp, post(evil), 200, map[string]string{"Access-Control-Allow-Origin": ""}},
		{"other origin: websocket", allowApp, socket(evil), 403, nil},
		{"wildcard origin: websocket", func(c *Config) { c.CORS.AllowedOrigins = []string{"http://*.example"} }, socket(evil), 101, nil},
		{"wildcard origin: preflight", func(c *Config) { c.CORS.AllowedOrigins = []string{"http://*.example"} }, preflight(evil, "content-type"), 204, map[string]string{"Access-Control-Allow-Origin": evil, "Access-Control-Allow-Credentials": "", "Access-Control-Max-Age": ""}},
		{"allowed headers configured", func(c *Config) {
			c.CORS = CORSConfig{AllowedOrigins: []string{app}, AllowedHeaders: []string{"Content-Type", "X-Custom"}}
		}, preflight(app, "content-type,x-custom"), 204, map[string]string{"Access-Control-Allow-Origin": app}},
		{"allowed headers configured: others refused", func(c *Config) {
			c.CORS = CORSConfig{AllowedOrigins: []string{app}, AllowedHeaders: []string{"Content-Type", "X-Custom"}}
		}, preflight(app, "authorization"), 204, map[string]string{"Access-Control-Allow-Origin": ""}},
		{"CSRF: simple GET refused", nil, get(nil), 400, nil},
		{"CSRF: unsafely disabled", func(c *Config) { c.CSRF.UnsafeDisabled = true }, get(nil), 200, nil},
		{"CSRF: configured header", func(c *Config) { c.CSRF.RequiredHeaders = []string{"X-Custom"} }, get(map[string]string{"X-Custom": "1"}), 200, nil},
		{"CSRF: default header no longer required", func(c *Config) { c.CSRF.RequiredHeaders = []string{"X-Custom"} }, get(preflighted), 400, nil},
		{"CSRF: no headers, JSON type", func(c *Config) { c.CSRF.RequiredHeaders = []string{} }, get(map[string]string{"Content-Type": "application/json"}), 200, nil},
		{"CSRF: no headers", func(c *Config) { c.CSRF.RequiredHeaders = []string{} }, get(preflighted), 400, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, endpoint := tallyRouter(t, tc.cfg)
			resp := tc.do(t, endpoint)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
			}
			for k, want := range tc.header {
				if got := resp.Header.Get(k); got != want {
					t.Errorf("%s: %q, want %q", k, got, want)
				}
			}
		})
	}
}

// roundTrip sends req and closes the body of its answer.
func roundTrip(t *testing.T, req *http.Request) *http.Response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp
}
