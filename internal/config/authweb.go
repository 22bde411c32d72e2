package config

import (
	"net"
	"net/url"
	"slices"
	"strings"
)

// WebAuth is the web app's public OpenID Connect client: the web app
// signs viewers in at Issuer with the authorization code flow and PKCE
// (no client secret: a browser cannot keep one) and sends the access
// token it gets to the router, which verifies it like any other. The web
// app reads these settings from GET /auth/config.
type WebAuth struct {
	// Issuer is the OpenID Connect provider's issuer URL, exactly as its
	// discovery document names it; empty means no OpenID Connect sign-in.
	// It must be one of auth.oidc_issuers, so that the router trusts the
	// tokens the web app gets.
	Issuer string `koanf:"issuer" yaml:"issuer"`
	// ClientID is the web app's client at the provider: a public client
	// (no secret) allowing the authorization code flow with PKCE and the
	// web app's address as a redirect URI.
	ClientID string `koanf:"client_id" yaml:"client_id"`
	// Scopes are asked for at sign-in; openid among them.
	Scopes []string `koanf:"scopes" yaml:"scopes"`
	// Audience, when set, is asked for as the audience (or resource)
	// parameter, which some providers need before they issue JWT access
	// tokens for an API; list it in auth.audiences.
	Audience string `koanf:"audience" yaml:"audience"`
}

func defaultWebAuth() WebAuth {
	return WebAuth{Scopes: []string{"openid", "profile"}}
}

// Enabled reports whether the web app signs in with OpenID Connect.
func (w WebAuth) Enabled() bool { return w.Issuer != "" }

func (w WebAuth) problems(a Auth, check func(ok bool, format string, args ...any)) {
	if !w.Enabled() {
		return
	}
	check(secureIssuer(w.Issuer), "auth.web.issuer: %q is not an https URL (http only on 127.0.0.1 or localhost)", w.Issuer)
	check(slices.Contains(a.OIDCIssuers, w.Issuer), "auth.web.issuer: %q is not one of auth.oidc_issuers, so the router would refuse the tokens the web app gets", w.Issuer)
	check(w.ClientID != "", "auth.web.client_id: required with auth.web.issuer")
	check(slices.Contains(w.Scopes, "openid"), "auth.web.scopes: must include openid, got %v", w.Scopes)
	for _, s := range w.Scopes {
		check(s != "" && !strings.ContainsAny(s, " \t\r\n"), "auth.web.scopes: %q is not a scope", s)
	}
	check(w.Audience == "" || len(a.Audiences) == 0 || slices.Contains(a.Audiences, w.Audience),
		"auth.web.audience: %q is not one of auth.audiences, so the router would refuse the tokens the web app asks for", w.Audience)
}

// secureIssuer reports whether u is an https URL, or an http one on a
// loopback host, without query or fragment.
func secureIssuer(u string) bool {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" || p.User != nil || p.RawQuery != "" || p.Fragment != "" {
		return false
	}
	switch p.Scheme {
	case "https":
		return true
	case "http":
		ip := net.ParseIP(p.Hostname())
		return p.Hostname() == "localhost" || ip != nil && ip.IsLoopback()
	}
	return false
}
