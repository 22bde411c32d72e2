package app

import (
	"crypto/tls"
	"errors"
	"fmt"
	"os"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/router/persisted"
	"github.com/cinegraph/cinegraph/router/supergraph"
)

// CheckFiles reports, all at once, what would stop a process from starting
// with cfg among the files it names: a supergraph that does not read or
// parse, a persisted-operation manifest that does not load, a JWKS file that
// is not a key set, a TLS certificate and key that do not pair. It reaches
// no server: what cfg says about engines and remote key sets is checked by
// cfg.Validate alone.
func CheckFiles(cfg config.Config) error {
	var errs []error
	if path := cfg.Router.Supergraph; path != "" {
		raw, err := os.ReadFile(path)
		if err == nil {
			_, err = supergraph.Parse(string(raw))
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("router.supergraph: %w", err))
		}
	}
	if path := cfg.Router.PersistedQueries.Manifest; path != "" {
		if _, err := persisted.LoadManifest(path); err != nil {
			errs = append(errs, fmt.Errorf("router.persisted_queries.manifest: %w", err))
		}
	}
	for _, path := range cfg.Auth.JWKSFiles {
		if _, err := jwk.ReadFile(path); err != nil {
			errs = append(errs, fmt.Errorf("auth.jwks_files: %s: %w", path, err))
		}
	}
	if t := cfg.Server.TLS; t.Enabled() {
		if _, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile); err != nil {
			errs = append(errs, fmt.Errorf("server.tls: %w", err))
		}
	}
	return errors.Join(errs...)
}
