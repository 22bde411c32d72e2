package config

import (
	"net/url"
	"strings"
	"time"
)

// CORS lets pages on other origins use the router; by default none may
// (only the router's own origin, such as the web app `serve` hosts).
type CORS struct {
	// AllowedOrigins are scheme://host[:port] origins whose pages may call
	// the router, read its answers and open websockets to it; "*" is any
	// origin, and one "*" inside an entry a wildcard (https://*.example.com).
	AllowedOrigins []string `koanf:"allowed_origins" yaml:"allowed_origins"`
	// AllowCredentials lets those pages send cookies and HTTP authentication.
	AllowCredentials bool `koanf:"allow_credentials" yaml:"allow_credentials"`
	// AllowedHeaders are the request headers those pages may set; empty
	// means those the router reads (Accept, Content-Type, forward_headers,
	// plan_header and the CSRF headers).
	AllowedHeaders []string `koanf:"allowed_headers" yaml:"allowed_headers"`
	// MaxAge is how long browsers may cache a preflight's answer.
	MaxAge time.Duration `koanf:"max_age" yaml:"max_age"`
}

// CSRF configures the router's cross-site request forgery rule: a GET or
// POST a browser sends without a preflight (no Content-Type such as
// application/json, none of RequiredHeaders) is refused with 400.
type CSRF struct {
	// RequiredHeaders mark a request as sent by script; empty means none
	// (then a GET must carry Content-Type: application/json).
	RequiredHeaders []string `koanf:"required_headers" yaml:"required_headers"`
	// UnsafeDisabled turns the rule off: any page on any origin can then run
	// operations as the browser's ambient identity.
	UnsafeDisabled bool `koanf:"unsafe_disabled" yaml:"unsafe_disabled"`
}

// DefaultCORSMaxAge is how long browsers may cache a preflight when CORS is
// on: long enough to spare a round trip per operation, short enough for a
// policy change to reach open tabs soon (Chromium caps it at two hours).
const DefaultCORSMaxAge = 10 * time.Minute

// defaultCORS allows no other origin.
func defaultCORS() CORS {
	return CORS{AllowedOrigins: []string{}, AllowedHeaders: []string{}, MaxAge: DefaultCORSMaxAge}
}

// defaultCSRF requires Apollo's header names, which its clients already
// send (the router's own defaults, request.DefaultCSRFHeaders).
func defaultCSRF() CSRF {
	return CSRF{RequiredHeaders: []string{"X-Apollo-Operation-Name", "Apollo-Require-Preflight"}}
}

func (c CORS) problems(check func(ok bool, format string, args ...any)) {
	for _, o := range c.AllowedOrigins {
		check(validOrigin(o), `router.cors.allowed_origins: %q is not an origin (scheme://host[:port], "*" or one "*" wildcard)`, o)
		check(o != "*" || !c.AllowCredentials, `router.cors.allowed_origins: "*" with allow_credentials lets every site act as the viewer; name the origins`)
	}
	for _, h := range c.AllowedHeaders {
		check(h == "*" || validHeaderName(h), "router.cors.allowed_headers: %q is not a header name", h)
	}
	check(c.MaxAge >= 0, "router.cors.max_age: must not be negative, got %s", c.MaxAge)
}

func (c CSRF) problems(check func(ok bool, format string, args ...any)) {
	for _, h := range c.RequiredHeaders {
		check(validHeaderName(h), "router.csrf.required_headers: %q is not a header name", h)
	}
}

// validOrigin reports whether o is "*" or scheme://host[:port], the host
// possibly holding one "*".
func validOrigin(o string) bool {
	if o == "*" {
		return true
	}
	if strings.Count(o, "*") > 1 {
		return false
	}
	u, err := url.Parse(strings.Replace(o, "*", "x", 1))
	return err == nil && u.Scheme != "" && u.Host != "" && u.Path == "" && u.RawQuery == "" && u.Fragment == "" && u.User == nil
}
