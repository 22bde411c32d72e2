package demotoken

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jwt"
)

func TestOpenKeepsOneKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a, err := Open(dir, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, want 0600", info.Mode().Perm())
	}
	tok, err := a.Issue("profile-2", false)
	if err != nil {
		t.Fatal(err)
	}
	// A second process on the same directory signs with the same key, so
	// each verifies the other's tokens.
	b, err := Open(dir, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	set, err := jwk.ReadFile(b.KeySetFile())
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := jwt.ParseString(tok.Token, jwt.WithKeySet(set), jwt.WithIssuer(IssuerName), jwt.WithAudience(Audience))
	if err != nil {
		t.Fatal(err)
	}
	var profile, scope string
	_ = parsed.Get(ProfileClaim, &profile)
	_ = parsed.Get("scope", &scope)
	if profile != "profile-2" || scope != ViewerScope {
		t.Fatalf("claims profile %q scope %q", profile, scope)
	}
	if exp, _ := parsed.Expiration(); exp.Sub(time.Now()) > time.Hour+time.Second {
		t.Fatalf("expires %v, more than the TTL away", exp)
	}
	// The public set holds no private part.
	raw, _ := os.ReadFile(b.KeySetFile())
	if strings.Contains(string(raw), `"d"`) {
		t.Fatalf("public key set has a private key: %s", raw)
	}
}

func TestIssue(t *testing.T) {
	t.Parallel()
	iss, err := Open(t.TempDir(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		profile string
		admin   bool
		scopes  string
		bad     bool
	}{
		{"profile-1", false, "viewer", false},
		{"profile-5", true, "viewer admin", false},
		{"profile-6", false, "", true},
		{"", false, "", true},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			tok, err := iss.Issue(tc.profile, tc.admin)
			if tc.bad {
				if err == nil {
					t.Fatal("want an error")
				}
				return
			}
			if err != nil || strings.Join(tok.Scopes, " ") != tc.scopes {
				t.Fatalf("%+v %v", tok, err)
			}
		})
	}
}

func TestHandler(t *testing.T) {
	t.Parallel()
	iss, err := Open(t.TempDir(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	h := iss.Handler()
	for _, tc := range []struct {
		name, method, contentType, body string
		want                            int
	}{
		{"issues", http.MethodPost, "application/json", `{"profile":"profile-3"}`, http.StatusOK},
		{"unknown profile", http.MethodPost, "application/json", `{"profile":"profile-99"}`, http.StatusBadRequest},
		{"unknown field", http.MethodPost, "application/json", `{"profile":"profile-3","scope":"x"}`, http.StatusBadRequest},
		{"form post", http.MethodPost, "text/plain", `{"profile":"profile-3"}`, http.StatusUnsupportedMediaType},
		{"GET", http.MethodGet, "", "", http.StatusMethodNotAllowed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, "/auth/demo-token", strings.NewReader(tc.body))
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.want, rec.Body)
			}
			if tc.want == http.StatusOK && !strings.Contains(rec.Body.String(), `"token":"ey`) {
				t.Fatalf("body %s", rec.Body)
			}
			if rec.Header().Get("Cache-Control") != "no-store" {
				t.Fatal("token answers must not be cached")
			}
		})
	}
}
