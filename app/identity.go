package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/demotoken"
	"github.com/cinegraph/cinegraph/internal/subgraph"
	"github.com/cinegraph/cinegraph/internal/viewer"
	"github.com/cinegraph/cinegraph/router"
	"github.com/cinegraph/cinegraph/router/auth"
)

// RouterTokenFile is where, in the demo profile, a router and subgraphs
// running as separate processes on one data directory find the secret they
// share when router.auth_token is not set.
const RouterTokenFile = "router-token"

// RouterToken is the secret the router proves itself to subgraphs with:
// router.auth_token, else in the demo profile the one kept in the data
// directory (made on first use). The production profile needs it set.
func RouterToken(cfg config.Config) (string, error) {
	if cfg.Router.AuthToken != "" {
		return cfg.Router.AuthToken, nil
	}
	if cfg.Profile == config.ProfileProduction {
		return "", errors.New("router.auth_token: required in the production profile when the router and subgraphs run as separate processes")
	}
	path := filepath.Join(cfg.DataDir, RouterTokenFile)
	raw, err := os.ReadFile(path)
	if err == nil && len(strings.TrimSpace(string(raw))) > 0 {
		return strings.TrimSpace(string(raw)), nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("router token: %w", err)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return "", fmt.Errorf("router token: %w", err)
	}
	token := randomToken()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		// Another process made it first.
		return RouterToken(cfg)
	}
	if err != nil {
		return "", fmt.Errorf("router token: %w", err)
	}
	_, werr := f.WriteString(token + "\n")
	if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
		return "", fmt.Errorf("router token: %w", err)
	}
	return token, nil
}

// randomToken is 256 random bits in hex.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return hex.EncodeToString(b)
}

// SubgraphHandler is a subgraph's endpoint as deployed: it believes the
// identity headers only from a router holding token.
func SubgraphHandler(sg subgraph.Subgraph, token string) http.Handler {
	return viewer.Trust{RouterToken: token}.Middleware(sg.Handler())
}

// identity is the router's authentication as configured: the authenticator
// (nil when no key set is configured and demo tokens are off), the demo
// token issuer (nil outside the demo profile), what subgraphs are told,
// and how the web app signs in (/auth/config).
type identity struct {
	auth     *auth.Authenticator
	issuer   *demotoken.Issuer
	config   router.IdentityConfig
	subgraph http.Header
	web      config.WebAuth
}

func openIdentity(ctx context.Context, cfg config.Config, token string, logger *slog.Logger) (*identity, error) {
	id := &identity{
		config: router.IdentityConfig{
			ClaimHeaders: map[string]string{cfg.Auth.ProfileClaim: viewer.Header},
			ScopesHeader: viewer.ScopesHeader,
		},
		subgraph: http.Header{viewer.RouterTokenHeader: {token}},
		web:      cfg.Auth.Web,
	}
	a := cfg.Auth
	ac := auth.Config{
		Issuers:    append([]string(nil), a.Issuers...),
		Audiences:  append([]string(nil), a.Audiences...),
		Leeway:     a.Leeway,
		ScopeClaim: a.ScopeClaim,
	}
	for _, f := range a.JWKSFiles {
		ac.KeySets = append(ac.KeySets, auth.KeySet{File: f})
	}
	for _, u := range a.JWKSURLs {
		ac.KeySets = append(ac.KeySets, auth.KeySet{URL: u, Refresh: a.JWKSRefresh})
	}
	for _, iss := range a.OIDCIssuers {
		ac.KeySets = append(ac.KeySets, auth.KeySet{Issuer: iss, Refresh: a.JWKSRefresh})
	}
	if a.DemoTokens && cfg.Profile == config.ProfileDemo {
		issuer, err := demotoken.Open(cfg.DataDir, a.DemoTokenTTL)
		if err != nil {
			return nil, err
		}
		id.issuer = issuer
		ac.KeySets = append(ac.KeySets, auth.KeySet{File: issuer.KeySetFile()})
		// Issuers, listed or discovered, pin iss: demo tokens' own is
		// accepted beside them.
		if len(ac.Issuers) > 0 || len(a.OIDCIssuers) > 0 {
			ac.Issuers = append(ac.Issuers, demotoken.IssuerName)
		}
		if len(ac.Audiences) > 0 {
			ac.Audiences = append(ac.Audiences, demotoken.Audience)
		}
	}
	if len(ac.KeySets) == 0 {
		logger.Warn("no auth key sets configured: every request is anonymous", "settings", "auth.jwks_files, auth.jwks_urls, auth.oidc_issuers")
		return id, nil
	}
	authn, err := auth.New(ctx, ac)
	if err != nil {
		return nil, err
	}
	id.auth = authn
	return id, nil
}

// Close stops refreshing remote key sets.
func (id *identity) Close() error {
	if id == nil || id.auth == nil {
		return nil
	}
	return id.auth.Close()
}

// DemoTokenPath is where the demo profile hands out tokens.
const DemoTokenPath = "/auth/demo-token"

// Mount registers the router's public endpoints on mux: /graphql, how the
// web app signs in (/auth/config), and in the demo profile the demo token
// endpoint.
func (r *Router) Mount(mux *http.ServeMux) {
	mux.Handle("/graphql", r)
	mux.Handle(AuthConfigPath, authConfigHandler(r.identity))
	if r.identity != nil && r.identity.issuer != nil {
		mux.Handle(DemoTokenPath, r.identity.issuer.Handler())
	}
}
