package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/internal/config"
)

func TestCheckFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	notSDL := write("not.graphql", "this is not a supergraph")
	notJSON := write("keys.json", "{")
	missing := filepath.Join(dir, "missing")

	tests := []struct {
		name  string
		edit  func(*config.Config)
		wants []string // substrings of the error; none: valid
	}{
		{name: "defaults", edit: func(*config.Config) {}},
		{name: "the shipped supergraph and manifest", edit: func(c *config.Config) {
			c.Router.Supergraph = "../schema/supergraph.graphql"
			c.Router.PersistedQueries.Manifest = "../frontend/persisted-query-manifest.json"
		}},
		{name: "supergraph missing", edit: func(c *config.Config) { c.Router.Supergraph = missing },
			wants: []string{"router.supergraph", "no such file"}},
		{name: "supergraph not one", edit: func(c *config.Config) { c.Router.Supergraph = notSDL },
			wants: []string{"router.supergraph", "parse supergraph"}},
		{name: "manifest missing", edit: func(c *config.Config) { c.Router.PersistedQueries.Manifest = missing },
			wants: []string{"router.persisted_queries.manifest"}},
		{name: "key set not JSON", edit: func(c *config.Config) { c.Auth.JWKSFiles = []string{notJSON} },
			wants: []string{"auth.jwks_files", notJSON}},
		{name: "TLS files missing", edit: func(c *config.Config) {
			c.Server.TLS.CertFile, c.Server.TLS.KeyFile = missing, missing
		}, wants: []string{"server.tls"}},
		{name: "every problem at once", edit: func(c *config.Config) {
			c.Router.Supergraph = notSDL
			c.Auth.JWKSFiles = []string{missing}
		}, wants: []string{"router.supergraph", "auth.jwks_files"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Default()
			tt.edit(&cfg)
			err := CheckFiles(cfg)
			if len(tt.wants) == 0 {
				if err != nil {
					t.Fatalf("CheckFiles = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("CheckFiles = nil, want an error naming %q", tt.wants)
			}
			for _, want := range tt.wants {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("CheckFiles = %v, want it to name %q", err, want)
				}
			}
		})
	}
}
