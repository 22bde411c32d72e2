package subgraph

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/internal/config"
)

// fake is a Subgraph that remembers how it was opened.
type fake struct{ mode string }

func (fake) Handler() http.Handler       { return http.NotFoundHandler() }
func (fake) Seed(context.Context) error  { return nil }
func (fake) Ready(context.Context) error { return nil }
func (fake) Close() error                { return nil }

func TestModuleOpensInTheConfiguredMode(t *testing.T) {
	broken := errors.New("engine down")
	m := Module{
		Name: "demo",
		OpenEmbedded: func(_ context.Context, d EmbeddedDeps) (Subgraph, error) {
			if d.DataDir == "" {
				return nil, broken
			}
			return fake{ModeEmbedded + ":" + string(d.SQLite.Synchronous)}, nil
		},
		OpenCluster: func(_ context.Context, d ClusterDeps) (Subgraph, error) {
			if d.Storage.Postgres.DSN == "" {
				return nil, broken
			}
			return fake{ModeCluster}, nil
		},
	}
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	for _, tc := range []struct {
		name    string
		edit    func(*config.Config)
		want    string
		wantErr string
	}{
		{name: "embedded", edit: func(*config.Config) {}, want: ModeEmbedded + ":normal"},
		{name: "embedded, every commit synced", edit: func(c *config.Config) { c.Storage.SQLite.Synchronous = "full" }, want: ModeEmbedded + ":full"},
		{name: "cluster", edit: func(c *config.Config) { c.Storage.Mode = ModeCluster }, want: ModeCluster},
		{name: "embedded failure names the subgraph", edit: func(c *config.Config) { c.DataDir = "" }, wantErr: "open demo subgraph: engine down"},
		{name: "cluster failure names the engines", edit: func(c *config.Config) {
			c.Storage.Mode = ModeCluster
			c.Storage.Postgres.DSN = ""
		}, wantErr: "open demo subgraph on the cluster engines: engine down"},
		{name: "unknown mode", edit: func(c *config.Config) { c.Storage.Mode = "tape" }, wantErr: `storage mode "tape"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := cfg
			tc.edit(&cfg)
			sg, err := m.Open(context.Background(), cfg, nil, nil)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := sg.(fake).mode; got != tc.want {
				t.Fatalf("opened %s, want %s", got, tc.want)
			}
		})
	}
}

// store stands in for a subgraph's store interface.
type store interface{ Get() string }

type plain struct{}

func (plain) Get() string { return "plain" }

type wrapped struct{ store }

func (w wrapped) Get() string { return "wrapped " + w.store.Get() }

func TestDecorate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		wrap    func(store) store
		want    string
		wantErr string
	}{
		{name: "no hook", want: "plain"},
		{name: "hook", wrap: func(s store) store { return wrapped{s} }, want: "wrapped plain"},
		{name: "hook returning nil", wrap: func(store) store { return nil }, wantErr: "demo store wrapper returned nil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Decorate[store]("demo store", plain{}, tc.wrap)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Get() != tc.want {
				t.Fatalf("got %q, want %q", got.Get(), tc.want)
			}
		})
	}
}
