package config

import (
	"maps"
	"net/url"
	"slices"
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
	// Policies grant the supergraph's @policy names, by name: a client with
	// a valid token is granted a policy when it holds every scope the
	// policy lists and each claim it lists has one of its allowed values.
	// A policy not listed here is never granted, and anonymous clients are
	// granted none.
	Policies map[string]Policy `koanf:"policies" yaml:"policies"`
	// Web is the web app's OpenID Connect sign-in (authweb.go).
	Web WebAuth `koanf:"web" yaml:"web"`
}

// Policy is what a client must hold to be granted one @policy name.
type Policy struct {
	// Scopes must all be held (auth.scope_claim).
	Scopes []string `koanf:"scopes" yaml:"scopes"`
	// Claims name token claims and their allowed values: each must hold
	// one of them (a claim that is a list of strings: contain one).
	Claims map[string][]string `koanf:"claims" yaml:"claims"`
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
		Policies:     map[string]Policy{},
		Web:          defaultWebAuth(),
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
	for _, name := range slices.Sorted(maps.Keys(a.Policies)) {
		check(name != "", "auth.policies: a policy name must not be empty")
		a.Policies[name].problems("auth.policies."+name, check)
	}
	a.Web.problems(a, check)
}

func (p Policy) problems(key string, check func(ok bool, format string, args ...any)) {
	check(len(p.Scopes)+len(p.Claims) > 0, "%s: must list scopes or claims (a policy granted to every signed-in client is @authenticated)", key)
	for _, s := range p.Scopes {
		check(s != "", "%s.scopes: a scope must not be empty", key)
	}
	for _, c := range slices.Sorted(maps.Keys(p.Claims)) {
		check(c != "", "%s.claims: a claim name must not be empty", key)
		check(len(p.Claims[c]) > 0, "%s.claims.%s: must list at least one allowed value", key, c)
	}
}
