package app

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/config"
)

// TestRouterCrossOrigin: the CORS and CSRF settings reach the router.
func TestRouterCrossOrigin(t *testing.T) {
	t.Parallel()
	const app = "http://app.example"
	maxAge := strconv.Itoa(int(config.DefaultCORSMaxAge / time.Second))
	preflight := func() *http.Request {
		r := httptest.NewRequest(http.MethodOptions, "/graphql", nil)
		r.Header.Set("Origin", app)
		r.Header.Set("Access-Control-Request-Method", http.MethodPost)
		r.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
		return r
	}
	get := func(header, value string) func() *http.Request {
		return func() *http.Request {
			r := httptest.NewRequest(http.MethodGet, "/graphql?query=%7B__typename%7D", nil)
			if header != "" {
				r.Header.Set(header, value)
			}
			return r
		}
	}
	tests := []struct {
		name       string
		cfg        func(*config.Config)
		req        func() *http.Request
		wantStatus int
		wantOrigin string
		wantMaxAge string
	}{
		{"defaults: no other origin", nil, preflight, http.StatusMethodNotAllowed, "", ""},
		{"allowed origin, Authorization allowed", func(c *config.Config) {
			c.Router.CORS.AllowedOrigins = []string{app}
		}, preflight, http.StatusNoContent, app, maxAge},
		{"allowed headers configured", func(c *config.Config) {
			c.Router.CORS.AllowedOrigins = []string{app}
			c.Router.CORS.AllowedHeaders = []string{"Content-Type"}
		}, preflight, http.StatusNoContent, "", ""},
		{"defaults: simple GET refused", nil, get("", ""), http.StatusBadRequest, "", ""},
		{"defaults: flagged GET runs", nil, get("Apollo-Require-Preflight", "true"), http.StatusOK, "", ""},
		{"CSRF headers emptied", func(c *config.Config) {
			c.Router.CSRF.RequiredHeaders = nil
		}, get("Apollo-Require-Preflight", "true"), http.StatusBadRequest, "", ""},
		{"CSRF unsafely disabled", func(c *config.Config) {
			c.Router.CSRF.UnsafeDisabled = true
		}, get("", ""), http.StatusOK, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := config.Default()
			cfg.DataDir = t.TempDir()
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			rt, err := NewRouter(context.Background(), cfg, map[string]string{}, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			rec := httptest.NewRecorder()
			rt.ServeHTTP(rec, tc.req())
			h := rec.Header()
			if rec.Code != tc.wantStatus || h.Get("Access-Control-Allow-Origin") != tc.wantOrigin || h.Get("Access-Control-Max-Age") != tc.wantMaxAge {
				t.Fatalf("got %d, origin %q, max age %q: %s", rec.Code, h.Get("Access-Control-Allow-Origin"), h.Get("Access-Control-Max-Age"), rec.Body)
			}
		})
	}
}
