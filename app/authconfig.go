package app

import (
	"encoding/json"
	"net/http"
)

// AuthConfigPath is where the web app learns how to sign viewers in.
const AuthConfigPath = "/auth/config"

// AuthConfig is the body of GET /auth/config: whether /auth/demo-token
// hands out demo tokens, and the OpenID Connect client the web app signs
// in with (nil when auth.web.issuer is not set). It holds nothing secret:
// the client is a public one, using PKCE instead of a secret.
type AuthConfig struct {
	DemoTokens bool        `json:"demoTokens"`
	OIDC       *OIDCClient `json:"oidc"`
}

// OIDCClient is auth.web as the web app reads it. The web app finds the
// provider's endpoints in Issuer's discovery document
// (/.well-known/openid-configuration).
type OIDCClient struct {
	Issuer   string   `json:"issuer"`
	ClientID string   `json:"clientId"`
	Scopes   []string `json:"scopes"`
	// Audience is nil when the provider is not to be asked for one.
	Audience *string `json:"audience"`
}

func authConfig(id *identity) AuthConfig {
	var out AuthConfig
	if id == nil {
		return out
	}
	out.DemoTokens = id.issuer != nil
	if w := id.web; w.Enabled() {
		c := &OIDCClient{Issuer: w.Issuer, ClientID: w.ClientID, Scopes: append([]string{}, w.Scopes...)}
		if w.Audience != "" {
			aud := w.Audience
			c.Audience = &aud
		}
		out.OIDC = c
	}
	return out
}

// authConfigHandler answers GET (and HEAD) with authConfig(id). The body
// is fixed for the process's life, but not cached: a restart with other
// settings must reach open tabs.
func authConfigHandler(id *identity) http.Handler {
	// Strings, bools and lists of strings always encode.
	body, _ := json.Marshal(authConfig(id))
	body = append(body, '\n')
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Type", "application/json")
		h.Set("X-Content-Type-Options", "nosniff")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			w.WriteHeader(http.StatusMethodNotAllowed)
			_, _ = w.Write([]byte(`{"errors":[{"message":"use GET","extensions":{"code":"BAD_REQUEST"}}]}` + "\n"))
			return
		}
		if r.Method == http.MethodHead {
			return
		}
		_, _ = w.Write(body)
	})
}
