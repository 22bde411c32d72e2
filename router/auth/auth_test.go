package auth

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jwt"
)

// signer is a key pair with a kid, and the public JWKS document.
type signer struct {
	priv jwk.Key
	jwks []byte
}

func newSigner(t *testing.T, kid string) signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	key, err := jwk.Import(priv)
	if err != nil {
		t.Fatal(err)
	}
	_ = key.Set(jwk.KeyIDKey, kid)
	_ = key.Set(jwk.AlgorithmKey, jwa.EdDSA())
	pub, err := key.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	set := jwk.NewSet()
	_ = set.AddKey(pub)
	raw, _ := json.Marshal(set)
	return signer{priv: key, jwks: raw}
}

func (s signer) sign(t *testing.T, edit func(*jwt.Builder) *jwt.Builder) string {
	t.Helper()
	now := time.Now()
	b := jwt.NewBuilder().Issuer("https://issuer.example").Audience([]string{"cinegraph"}).Subject("user-1").
		IssuedAt(now).Expiration(now.Add(time.Hour)).Claim("scope", "viewer admin").Claim("profile", "profile-2")
	if edit != nil {
		b = edit(b)
	}
	tok, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := jwt.Sign(tok, jwt.WithKey(jwa.EdDSA(), s.priv))
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

func writeJWKS(t *testing.T, raw []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestVerify(t *testing.T) {
	t.Parallel()
	trusted := newSigner(t, "trusted")
	stranger := newSigner(t, "stranger")
	a, err := New(context.Background(), Config{
		KeySets:   []KeySet{{File: writeJWKS(t, trusted.jwks)}},
		Issuers:   []string{"https://issuer.example"},
		Audiences: []string{"cinegraph"},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	past := time.Now().Add(-2 * time.Hour)
	cases := []struct {
		name    string
		token   string
		wantErr string
	}{
		{"valid", trusted.sign(t, nil), ""},
		{"expired", trusted.sign(t, func(b *jwt.Builder) *jwt.Builder { return b.IssuedAt(past).Expiration(past.Add(time.Minute)) }), "expired"},
		{"not yet valid", trusted.sign(t, func(b *jwt.Builder) *jwt.Builder { return b.NotBefore(time.Now().Add(time.Hour)) }), "not yet valid"},
		{"another key", stranger.sign(t, nil), "not signed by a trusted key"},
		{"another issuer", trusted.sign(t, func(b *jwt.Builder) *jwt.Builder { return b.Issuer("https://evil.example") }), "issuer"},
		{"another audience", trusted.sign(t, func(b *jwt.Builder) *jwt.Builder { return b.Audience([]string{"other"}) }), "audience"},
		{"garbage", "not.a.token", "malformed"},
		{"unsigned", unsigned(t), "malformed"},
		{"tampered", tamper(trusted.sign(t, nil)), "not signed by a trusted key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			id, err := a.Verify(context.Background(), tc.token)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if id.Subject != "user-1" || !id.HasScope("admin") || !id.HasScope("viewer") {
					t.Fatalf("identity %+v", id)
				}
				if p, _ := id.Claim("profile"); p != "profile-2" {
					t.Fatalf("profile claim %q", p)
				}
				return
			}
			if !errors.Is(err, ErrInvalidToken) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err %v, want %q", err, tc.wantErr)
			}
		})
	}
}

// unsigned is a token with alg "none".
func unsigned(t *testing.T) string {
	t.Helper()
	tok, _ := jwt.NewBuilder().Subject("user-1").Expiration(time.Now().Add(time.Hour)).Build()
	raw, err := jwt.NewSerializer().Serialize(tok)
	if err != nil {
		t.Fatal(err)
	}
	return "eyJhbGciOiJub25lIn0." + strings.TrimRight(strings.Split(string(raw), ".")[0], "=") + "."
}

// tamper changes the payload of a signed token.
func tamper(tok string) string {
	parts := strings.Split(tok, ".")
	payload := []byte(parts[1])
	payload[len(payload)/2] ^= 1
	parts[1] = string(payload)
	return strings.Join(parts, ".")
}

// TestKeySetsFromURLAndDiscovery serves a JWKS and an OpenID Connect
// discovery document, rotates the key, and checks the refresh picks the new
// one up.
func TestKeySetsFromURLAndDiscovery(t *testing.T) {
	t.Parallel()
	first, second := newSigner(t, "first"), newSigner(t, "second")
	var current atomic.Pointer[[]byte]
	current.Store(&first.jwks)
	var fetches atomic.Int32
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(*current.Load())
	})
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": srv.URL, "jwks_uri": srv.URL + "/jwks"})
	})

	t.Run("discovery", func(t *testing.T) {
		a, err := New(context.Background(), Config{KeySets: []KeySet{{Issuer: srv.URL}}})
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		if _, err := a.Verify(context.Background(), first.sign(t, func(b *jwt.Builder) *jwt.Builder { return b.Issuer(srv.URL) })); err != nil {
			t.Fatal(err)
		}
		// Discovery pins the issuer: another iss is refused.
		if _, err := a.Verify(context.Background(), first.sign(t, nil)); err == nil || !strings.Contains(err.Error(), "issuer") {
			t.Fatalf("another issuer: %v", err)
		}
	})

	t.Run("rotation", func(t *testing.T) {
		a, err := New(context.Background(), Config{KeySets: []KeySet{{URL: srv.URL + "/jwks", Refresh: time.Second}}})
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		if _, err := a.Verify(context.Background(), first.sign(t, nil)); err != nil {
			t.Fatal(err)
		}
		current.Store(&second.jwks)
		before := fetches.Load()
		// The cache refreshes on its own after the interval; wait for a
		// fetch rather than for time.
		deadline := time.Now().Add(30 * time.Second)
		for fetches.Load() == before && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		var verr error
		for time.Now().Before(deadline) {
			if _, verr = a.Verify(context.Background(), second.sign(t, nil)); verr == nil {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if verr != nil {
			t.Fatalf("rotated key never accepted: %v", verr)
		}
	})

	t.Run("a discovery document naming another issuer", func(t *testing.T) {
		_, err := New(context.Background(), Config{KeySets: []KeySet{{Issuer: srv.URL + "/other"}}})
		if err == nil {
			t.Fatal("want an error")
		}
	})
}

func TestConfigProblems(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"no key sets", Config{}},
		{"two sources in one key set", Config{KeySets: []KeySet{{File: "a", URL: "http://b"}}}},
		{"missing file", Config{KeySets: []KeySet{{File: filepath.Join(t.TempDir(), "none.json")}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := New(context.Background(), tc.cfg); err == nil {
				t.Fatal("want an error")
			}
		})
	}
}

func TestToken(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		header, want string
		bad          bool
	}{
		{"", "", false},
		{"Bearer abc", "abc", false},
		{"bearer  abc ", "abc", false},
		{"Basic dXNlcg==", "", true},
		{"Bearer", "", true},
		{"Bearer ", "", true},
	} {
		t.Run(tc.header, func(t *testing.T) {
			h := http.Header{}
			if tc.header != "" {
				h.Set("Authorization", tc.header)
			}
			got, err := Token(h)
			if (err != nil) != tc.bad || got != tc.want {
				t.Fatalf("got %q, %v", got, err)
			}
		})
	}
}
