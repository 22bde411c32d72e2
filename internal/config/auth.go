package config

import (
	"net/url"
	"time"
)

// Auth configures how the router authenticates clients and what it tells
// subgraphs about them. Clients send a JSON Web Token as
// "Authorization: Bearer <token>" (on websockets, the same key in the
// connection_init payload); requests without one are anonymous.
type Auth struct {
	// JWKSFiles, JWKSURLs and OIDCIssuers are where the keys that sign
	// valid tokens come from: JWKS documents on disk, JWKS URLs refreshed
	// in the background, and OpenID Connect issuers whose discovery
	// document names their JWKS URL.
	JWKSFiles   []string `koanf:"jwks_files" yaml:"jwks_files"`
	JWKSURLs    []string `koanf:"jwks_urls" yaml:"jwks_urls"`
	OIDCIssuers []string `koanf:"oidc_issuers" yaml:"oidc_issuers"`
	// JWKSRefresh is the shortest interval between refreshes of a URL's
	// keys.
	JWKSRefresh time.Duration `koanf:"jwks_refresh" yaml:"jwks_refresh"`
	// Issuers and Audiences, when set, are the accepted iss and aud.
	Issuers   []string `koanf:"issuers" yaml:"issuers"`
	Audiences []string `koanf:"audiences" yaml:"audiences"`
	// Leeway is the clock skew allowed on exp, nbf and iat.
	Leeway time.Duration `koanf:"leeway" yaml:"leeway"`
	// ScopeClaim names the claim holding the client's scopes.
	ScopeClaim string `koanf:"scope_claim" yaml:"scope_claim"`
	// ProfileClaim names the claim holding the viewer's profile id, passed
	// to subgraphs in X-Cinegraph-Profile.
	ProfileClaim string `koanf:"profile_claim" yaml:"profile_claim"`
	// DemoTokens, in the demo profile only, signs tokens for the seeded
	// profiles with a key kept in the data directory: `cinegraph token`
	// prints one and the web app gets one from /auth/demo-token. The
	// router accepts them beside any configured key set.
	DemoTokens bool `koanf:"demo_tokens" yaml:"demo_tokens"`
	// DemoTokenTTL is how long a demo token is valid.
	DemoTokenTTL time.Duration `koanf:"demo_token_ttl" yaml:"demo_token_ttl"`
}

func defaultAuth() Auth {
	return Auth{
		JWKSRefresh: 15 * time.Minute,
		Leeway:      30 * time.Second,
		ScopeClaim:  "scope",
		// Not OpenID Connect's "profile" claim, which is a web page's URL.
		ProfileClaim: "profile_id",
		DemoTokens:   true,
		DemoTokenTTL: 12 * time.Hour,
	}
}

func (a Auth) problems(profile string, check func(ok bool, format string, args ...any)) {
	for _, u := range append(append([]string{}, a.JWKSURLs...), a.OIDCIssuers...) {
		p, err := url.Parse(u)
		check(err == nil && (p.Scheme == "https" || p.Scheme == "http") && p.Host != "", "auth: %q is not an http(s) URL", u)
	}
	check(a.JWKSRefresh > 0, "auth.jwks_refresh: must be positive, got %s", a.JWKSRefresh)
	check(a.Leeway >= 0 && a.Leeway <= 5*time.Minute, "auth.leeway: must be between 0 and 5m, got %s", a.Leeway)
	check(a.ScopeClaim != "", "auth.scope_claim: must not be empty")
	check(a.ProfileClaim != "", "auth.profile_claim: must not be empty")
	check(a.DemoTokenTTL > 0, "auth.demo_token_ttl: must be positive, got %s", a.DemoTokenTTL)
	check(!(a.DemoTokens && profile == ProfileProduction), "auth.demo_tokens: not available in the production profile")
}
