// Package auth authenticates the router's clients. It verifies JSON Web
// Tokens against JSON Web Key Sets, read from files, fetched from URLs and
// refreshed, or found through OpenID Connect discovery, and turns a token's
// claims into the Identity the router authorizes with and passes on to
// subgraphs.
package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lestrrat-go/httprc/v3"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
	"github.com/lestrrat-go/jwx/v3/jwt"
)

// Config says which tokens are valid.
type Config struct {
	// KeySets are where signing keys come from; a token is valid when any
	// of their keys verifies it. At least one is needed.
	KeySets []KeySet
	// Issuers, when set, are the accepted values of the iss claim.
	// Discovered issuers are always accepted.
	Issuers []string
	// Audiences, when set, must meet the token's aud claim.
	Audiences []string
	// Leeway is the clock skew allowed when checking exp, nbf and iat.
	Leeway time.Duration
	// ScopeClaim names the claim holding scopes, a space-separated string
	// (OAuth's "scope") or an array of strings ("scp"); "" means "scope".
	ScopeClaim string
	// Client fetches key sets and discovery documents; nil means a client
	// with a 10-second timeout.
	Client *http.Client
}

// KeySet is one source of keys; exactly one field of File, URL and Issuer
// is set.
type KeySet struct {
	// File is a JWKS document on disk, read once.
	File string
	// URL is a JWKS document fetched at start and refreshed in the
	// background.
	URL string
	// Issuer is an OpenID Connect issuer: its discovery document names the
	// JWKS URL, handled like URL, and the issuer is accepted as iss.
	Issuer string
	// Refresh is the shortest interval between refreshes of a URL's keys;
	// 0 means 15 minutes. The cache also honours the server's caching
	// headers and refetches on demand when a token names an unknown key.
	Refresh time.Duration
}

// DefaultRefresh is KeySet.Refresh's default.
const DefaultRefresh = 15 * time.Minute

// Identity is who a verified token says the client is.
type Identity struct {
	Subject string
	Scopes  []string
	Claims  map[string]any
}

// HasScope reports whether the identity holds scope.
func (id *Identity) HasScope(scope string) bool {
	return id != nil && slices.Contains(id.Scopes, scope)
}

// Claim returns a claim as a header value: a string as is, a number in
// decimal, an array of strings joined by spaces; false when absent or of
// another shape.
func (id *Identity) Claim(name string) (string, bool) {
	if id == nil {
		return "", false
	}
	switch v := id.Claims[name].(type) {
	case string:
		return v, true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case json.Number:
		return v.String(), true
	case []any:
		parts := make([]string, 0, len(v))
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				return "", false
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, " "), true
	case []string:
		return strings.Join(v, " "), true
	}
	return "", false
}

// ErrInvalidToken is wrapped by every verification failure; the text after
// it says why in terms fit for the client.
var ErrInvalidToken = errors.New("invalid token")

// Authenticator verifies tokens.
type Authenticator struct {
	cfg     Config
	sets    []jwk.Set
	issuers []string
	cache   *jwk.Cache
	cancel  context.CancelFunc
}

// New loads the key sets, fetching those behind URLs and discovery once,
// and keeps refreshing them until Close.
func New(ctx context.Context, cfg Config) (*Authenticator, error) {
	if len(cfg.KeySets) == 0 {
		return nil, errors.New("auth: no key sets configured")
	}
	if cfg.ScopeClaim == "" {
		cfg.ScopeClaim = "scope"
	}
	client := cfg.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	a := &Authenticator{cfg: cfg, issuers: append([]string(nil), cfg.Issuers...)}
	for i, ks := range cfg.KeySets {
		if n := btoi(ks.File != "") + btoi(ks.URL != "") + btoi(ks.Issuer != ""); n != 1 {
			return nil, errors.Join(fmt.Errorf("auth: key set %d: set exactly one of file, url and issuer", i), a.Close())
		}
		if ks.File != "" {
			set, err := jwk.ReadFile(ks.File)
			if err != nil {
				return nil, errors.Join(fmt.Errorf("auth: key set %s: %w", ks.File, err), a.Close())
			}
			a.sets = append(a.sets, set)
			continue
		}
		u := ks.URL
		if ks.Issuer != "" {
			discovered, err := discover(ctx, client, ks.Issuer)
			if err != nil {
				return nil, errors.Join(fmt.Errorf("auth: %w", err), a.Close())
			}
			u = discovered
			a.issuers = append(a.issuers, ks.Issuer)
		}
		set, err := a.remote(ctx, client, u, ks.Refresh)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("auth: key set %s: %w", u, err), a.Close())
		}
		a.sets = append(a.sets, set)
	}
	return a, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// remote registers u with the refreshing cache, started on first use.
func (a *Authenticator) remote(ctx context.Context, client *http.Client, u string, refresh time.Duration) (jwk.Set, error) {
	if a.cache == nil {
		// The cache's goroutines live until Close, not until ctx ends.
		cctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		cache, err := jwk.NewCache(cctx, httprc.NewClient())
		if err != nil {
			cancel()
			return nil, err
		}
		a.cache, a.cancel = cache, cancel
	}
	if refresh <= 0 {
		refresh = DefaultRefresh
	}
	if err := a.cache.Register(ctx, u, jwk.WithHTTPClient(client), jwk.WithMinInterval(refresh)); err != nil {
		return nil, err
	}
	return a.cache.CachedSet(u)
}

// discover reads an OpenID Connect issuer's discovery document and returns
// its jwks_uri.
func discover(ctx context.Context, client *http.Client, issuer string) (string, error) {
	u := strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", fmt.Errorf("discovery %s: %w", u, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("discovery %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("discovery %s: HTTP %d", u, resp.StatusCode)
	}
	var doc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&doc); err != nil {
		return "", fmt.Errorf("discovery %s: %w", u, err)
	}
	if doc.Issuer != issuer || doc.JWKSURI == "" {
		return "", fmt.Errorf("discovery %s: issuer %q (want %q), jwks_uri %q", u, doc.Issuer, issuer, doc.JWKSURI)
	}
	return doc.JWKSURI, nil
}

// Close stops refreshing remote key sets.
func (a *Authenticator) Close() error {
	if a.cancel != nil {
		a.cancel()
		return a.cache.Shutdown(context.Background())
	}
	return nil
}

// Verify checks raw's signature against the key sets and its time, issuer
// and audience claims, and returns the identity it carries.
func (a *Authenticator) Verify(ctx context.Context, raw string) (*Identity, error) {
	opts := []jwt.ParseOption{
		jwt.WithContext(ctx),
		jwt.WithValidate(true),
		jwt.WithAcceptableSkew(a.cfg.Leeway),
	}
	for _, set := range a.sets {
		// Keys without an alg are matched by their type; a token's alg
		// header never chooses the algorithm on its own.
		opts = append(opts, jwt.WithKeySet(set, jws.WithInferAlgorithmFromKey(true)))
	}
	tok, err := jwt.ParseString(raw, opts...)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrInvalidToken, reason(err))
	}
	if len(a.issuers) > 0 {
		iss, _ := tok.Issuer()
		if !slices.Contains(a.issuers, iss) {
			return nil, fmt.Errorf("%w: issuer not accepted", ErrInvalidToken)
		}
	}
	if len(a.cfg.Audiences) > 0 {
		aud, _ := tok.Audience()
		if !slices.ContainsFunc(aud, func(s string) bool { return slices.Contains(a.cfg.Audiences, s) }) {
			return nil, fmt.Errorf("%w: audience not accepted", ErrInvalidToken)
		}
	}
	id := &Identity{Claims: map[string]any{}}
	id.Subject, _ = tok.Subject()
	for _, k := range tok.Keys() {
		var v any
		if err := tok.Get(k, &v); err == nil {
			id.Claims[k] = v
		}
	}
	if s, ok := id.Claim(a.cfg.ScopeClaim); ok {
		id.Scopes = strings.Fields(s)
	}
	return id, nil
}

// reason says why a token failed, without echoing the library's detail.
func reason(err error) string {
	switch {
	case errors.Is(err, jwt.TokenExpiredError()):
		return "expired"
	case errors.Is(err, jwt.TokenNotYetValidError()):
		return "not yet valid"
	case errors.Is(err, jwt.InvalidIssuedAtError()):
		return "issued in the future"
	case errors.Is(err, jwt.ValidateError()):
		return "claims not valid"
	}
	return "malformed or not signed by a trusted key"
}

// Token returns the bearer token of an Authorization header value: "" when
// there is none, an error when the header is not a bearer token.
func Token(h http.Header) (string, error) {
	v := strings.TrimSpace(h.Get("Authorization"))
	if v == "" {
		return "", nil
	}
	scheme, tok, ok := strings.Cut(v, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return "", fmt.Errorf("%w: the Authorization header must be \"Bearer <token>\"", ErrInvalidToken)
	}
	return strings.TrimSpace(tok), nil
}
