package router

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jwt"

	"github.com/cinegraph/cinegraph/router/auth"
)

// issuer signs test tokens and knows the JWKS file that verifies them.
type issuer struct {
	key  jwk.Key
	jwks string
}

func newIssuer(t *testing.T) issuer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	key, _ := jwk.Import(priv)
	_ = key.Set(jwk.KeyIDKey, "test")
	_ = key.Set(jwk.AlgorithmKey, jwa.EdDSA())
	pub, _ := key.PublicKey()
	set := jwk.NewSet()
	_ = set.AddKey(pub)
	raw, _ := json.Marshal(set)
	path := filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return issuer{key: key, jwks: path}
}

func (i issuer) token(t *testing.T, profile, scope string) string {
	t.Helper()
	tok, _ := jwt.NewBuilder().Subject("sub-"+profile).Expiration(time.Now().Add(time.Hour)).
		Claim("profile", profile).Claim("scope", scope).Build()
	raw, err := jwt.Sign(tok, jwt.WithKey(jwa.EdDSA(), i.key))
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// identityRouter is a tally router that verifies tokens of iss and tells
// the subgraph the profile and scopes, with a secret of its own.
func identityRouter(t *testing.T, iss issuer) (*tally, string) {
	t.Helper()
	a, err := auth.New(t.Context(), auth.Config{KeySets: []auth.KeySet{{File: iss.jwks}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return tallyRouter(t, func(c *Config) {
		c.Auth = a
		c.Identity = IdentityConfig{ClaimHeaders: map[string]string{"profile": "X-Profile"}, ScopesHeader: "X-Scopes"}
		c.SubgraphHeaders = http.Header{"X-Router-Secret": {"s3cret"}}
		// A deployment that forwards a header it also sets: the router's
		// value wins.
		c.ForwardHeaders = []string{"X-Request-Id", "X-Profile", "X-Router-Secret"}
	})
}

// TestIdentityReachesSubgraphs: on every transport, a valid token's claims
// reach the subgraph in the configured headers beside the router's secret,
// and nothing the client sends can stand in for them.
func TestIdentityReachesSubgraphs(t *testing.T) {
	t.Parallel()
	iss := newIssuer(t)
	bearer := "Bearer " + iss.token(t, "profile-2", "viewer admin")
	forged := map[string]string{"Authorization": bearer, "X-Profile": "profile-9", "X-Router-Secret": "guess", "X-Request-Id": "r-1"}
	for k, v := range preflighted {
		forged[k] = v
	}
	clients := map[string]func(t *testing.T, endpoint, query string) answer{
		"POST":      httpClient(http.MethodPost, "", forged),
		"GET":       httpClient(http.MethodGet, "", forged),
		"SSE":       httpClient(http.MethodPost, "text/event-stream", forged),
		"multipart": httpClient(http.MethodPost, `multipart/mixed;subscriptionSpec="1.0", application/json`, forged),
		"websocket": wsOperation("graphql-transport-ws", "subscribe", map[string]any{"Authorization": bearer, "X-Profile": "profile-9", "X-Request-Id": "r-1"}),
	}
	for name, client := range clients {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sub, endpoint := identityRouter(t, iss)
			got := client(t, endpoint, `{ count }`)
			if got.status != 0 && got.status != http.StatusOK {
				t.Fatalf("status %d: %s", got.status, got.body)
			}
			reqs := sub.sg.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d fetches, want 1: %+v", len(reqs), got)
			}
			h := reqs[0].Header
			want := map[string]string{"X-Profile": "profile-2", "X-Scopes": "viewer admin", "X-Router-Secret": "s3cret", "X-Request-Id": "r-1", "Authorization": ""}
			for k, v := range want {
				if got := strings.Join(h.Values(k), ","); got != v {
					t.Errorf("%s %q, want %q", k, got, v)
				}
			}
		})
	}
}

// TestInvalidTokens: a token that is not valid is refused before anything
// runs, with 401 where the transport has a status and 4403 on a websocket;
// no token is an anonymous request that runs without identity.
func TestInvalidTokens(t *testing.T) {
	t.Parallel()
	iss := newIssuer(t)
	bad := map[string]string{"Authorization": "Bearer " + newIssuer(t).token(t, "profile-2", "viewer")}
	for k, v := range preflighted {
		bad[k] = v
	}
	clients := map[string]func(t *testing.T, endpoint, query string) answer{
		"POST":      httpClient(http.MethodPost, "", bad),
		"GET":       httpClient(http.MethodGet, "", bad),
		"SSE":       httpClient(http.MethodPost, "text/event-stream", bad),
		"multipart": httpClient(http.MethodPost, `multipart/mixed;subscriptionSpec="1.0", application/json`, bad),
	}
	for name, client := range clients {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sub, endpoint := identityRouter(t, iss)
			got := client(t, endpoint, `{ count }`)
			if got.status != http.StatusUnauthorized || !strings.Contains(got.body, "UNAUTHENTICATED") {
				t.Fatalf("got %d %s", got.status, got.body)
			}
			if n := len(sub.sg.Requests()); n != 0 {
				t.Fatalf("%d fetches", n)
			}
		})
	}
	t.Run("websocket", func(t *testing.T) {
		t.Parallel()
		sub, endpoint := identityRouter(t, iss)
		d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
		c, _, err := d.DialContext(t.Context(), "ws"+strings.TrimPrefix(endpoint, "http"), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if err := c.WriteJSON(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": bad["Authorization"]}}); err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		err = c.ReadJSON(&m)
		ce, ok := err.(*websocket.CloseError)
		if !ok || ce.Code != 4403 {
			t.Fatalf("got %v %v, want close 4403", m, err)
		}
		if sub.opened.Load() != 0 {
			t.Fatal("a subscription was opened")
		}
	})
	t.Run("anonymous", func(t *testing.T) {
		t.Parallel()
		sub, endpoint := identityRouter(t, iss)
		got := httpClient(http.MethodPost, "", map[string]string{"X-Profile": "profile-9"})(t, endpoint, `{ count }`)
		if got.status != http.StatusOK {
			t.Fatalf("got %d %s", got.status, got.body)
		}
		reqs := sub.sg.Requests()
		if len(reqs) != 1 || reqs[0].Header.Get("X-Profile") != "" || reqs[0].Header.Get("X-Router-Secret") != "s3cret" {
			t.Fatalf("fetches %d, headers %v", len(reqs), reqs[0].Header)
		}
	})
}
