package app

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFrontendHandler(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, body := range map[string]string{
		"index.html":            "app",
		"playground/index.html": "playground",
		"assets/app-1.js":       "js",
	} {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name       string
		playground bool
		path       string
		status     int
		body       string
	}{
		{"home", true, "/", 200, "app"},
		{"client route", true, "/title/t0001", 200, "app"},
		{"asset", true, "/assets/app-1.js", 200, "js"},
		{"playground", true, "/playground", 200, "playground"},
		{"playground off", false, "/playground", 404, ""},
		{"playground file off", false, "/playground/index.html", 404, ""},
		{"app with playground off", false, "/", 200, "app"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodGet, tc.path, nil)
			req.Host = "cinegraph.example:4000"
			frontendHandler(dir, tc.playground).ServeHTTP(rec, req)
			if rec.Code != tc.status || tc.body != "" && rec.Body.String() != tc.body {
				t.Fatalf("status %d body %q, want %d %q", rec.Code, rec.Body.String(), tc.status, tc.body)
			}
			h := rec.Header()
			for name, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"Referrer-Policy":        "strict-origin-when-cross-origin",
				"X-Frame-Options":        "DENY",
			} {
				if got := h.Get(name); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"frame-ancestors 'none'", "script-src 'self';", "connect-src 'self' ws://cinegraph.example:4000 wss://cinegraph.example:4000;"} {
				if !strings.Contains(csp, want) {
					t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
				}
			}
		})
	}
}

func TestContentSecurityPolicyHost(t *testing.T) {
	t.Parallel()
	for _, host := range []string{"", "evil; script-src *", "a b"} {
		t.Run(host, func(t *testing.T) {
			if csp := contentSecurityPolicy(host); !strings.Contains(csp, "connect-src 'self';") {
				t.Fatalf("host %q reached the policy: %s", host, csp)
			}
		})
	}
}
