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
	const issuer = "https://id.example:8443"
	tests := []struct {
		name       string
		playground bool
		issuer     string
		path       string
		status     int
		body       string
		// frames is X-Frame-Options; csp, what the policy must hold.
		frames string
		csp    []string
	}{
		{name: "home", playground: true, path: "/", status: 200, body: "app"},
		{name: "client route", playground: true, path: "/title/t0001", status: 200, body: "app"},
		{name: "asset", playground: true, path: "/assets/app-1.js", status: 200, body: "js"},
		{name: "playground", playground: true, path: "/playground", status: 200, body: "playground"},
		{name: "playground off", path: "/playground", status: 404},
		{name: "playground file off", path: "/playground/index.html", status: 404},
		{name: "app with playground off", path: "/", status: 200, body: "app"},
		{name: "sign-in callback without a provider", path: "/auth/callback", status: 200, body: "app"},
		{
			name: "sign-in callback", issuer: issuer, path: "/auth/callback", status: 200, body: "app", frames: "SAMEORIGIN",
			csp: []string{"connect-src 'self' ws://cinegraph.example:4000 wss://cinegraph.example:4000 " + issuer + ";", "frame-src 'self' " + issuer + ";", "frame-ancestors 'self'"},
		},
		{
			name: "app with a provider", issuer: issuer + "/realms/cinegraph", path: "/title/t0001", status: 200, body: "app",
			csp: []string{"connect-src 'self' ws://cinegraph.example:4000 wss://cinegraph.example:4000 " + issuer + ";", "frame-ancestors 'none'"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodGet, tc.path, nil)
			req.Host = "cinegraph.example:4000"
			frontendHandler(dir, tc.playground, tc.issuer).ServeHTTP(rec, req)
			if rec.Code != tc.status || tc.body != "" && rec.Body.String() != tc.body {
				t.Fatalf("status %d body %q, want %d %q", rec.Code, rec.Body.String(), tc.status, tc.body)
			}
			h := rec.Header()
			if tc.frames == "" {
				tc.frames = "DENY"
			}
			if tc.csp == nil {
				tc.csp = []string{"frame-ancestors 'none'", "frame-src 'self';", "connect-src 'self' ws://cinegraph.example:4000 wss://cinegraph.example:4000;"}
			}
			for name, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"Referrer-Policy":        "strict-origin-when-cross-origin",
				"X-Frame-Options":        tc.frames,
			} {
				if got := h.Get(name); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
			csp := h.Get("Content-Security-Policy")
			for _, want := range append(tc.csp, "script-src 'self';") {
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
			if csp := contentSecurityPolicy(host, "", false); !strings.Contains(csp, "connect-src 'self';") {
				t.Fatalf("host %q reached the policy: %s", host, csp)
			}
		})
	}
}

func TestIssuerOrigin(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ issuer, want string }{
		{"", ""},
		{"https://id.example", "https://id.example"},
		{"https://id.example:8443/realms/cinegraph/", "https://id.example:8443"},
		{"http://127.0.0.1:9000", "http://127.0.0.1:9000"},
		{"javascript:alert(1)", ""},
		{"https://id.example;script-src *", ""},
	} {
		t.Run(tc.issuer, func(t *testing.T) {
			if got := issuerOrigin(tc.issuer); got != tc.want {
				t.Fatalf("issuerOrigin(%q) = %q, want %q", tc.issuer, got, tc.want)
			}
		})
	}
}
