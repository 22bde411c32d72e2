package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFileProblemsReportedAtOnce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		{"type errors", "listen: 12\nrouter:\n  fetch_timeout: banana\n", []string{
			`listen: "12" is not a host:port address`,
			"router.fetch_timeout: banana is not of the setting's type",
		}},
		{"unknown keys with their paths", "lisen: 127.0.0.1:1\nrouter:\n  limits:\n    max_dept: 3\nserver:\n  tls:\n    certfile: c.pem\n", []string{
			"lisen: no such setting", "router.limits.max_dept: no such setting", "server.tls.certfile: no such setting",
		}},
		{"unknown field of a map of structs", "router:\n  resilience:\n    subgraphs:\n      catalog:\n        breaker:\n          open_fr: 1s\n", []string{
			"router.resilience.subgraphs.catalog.breaker.open_fr: no such setting",
		}},
		{"write timeout under the request timeout", "server:\n  write_timeout: 20s\n", []string{
			"server.write_timeout: 20s must exceed router.limits.request_timeout (30s)",
		}},
		{"unknown, type and value problems together", "nope: 1\nrouter:\n  max_request_bytes: lots\nserver:\n  idle_timeout: -1s\n", []string{
			"nope: no such setting", "router.max_request_bytes: lots is not of the setting's type", "server.idle_timeout: must be positive",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "cinegraph.yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path, nil)
			var invalid *Invalid
			if !errors.As(err, &invalid) {
				t.Fatalf("err = %v", err)
			}
			if len(invalid.Problems) != len(tc.want) {
				t.Errorf("%d problems, want %d:\n%v", len(invalid.Problems), len(tc.want), err)
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("missing %q in:\n%v", want, err)
				}
			}
		})
	}
}

func TestFileKnownKeysAccepted(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "cinegraph.yaml")
	yaml := "router:\n  subgraph_urls:\n    catalog: http://c/graphql\n  resilience:\n    subgraphs:\n      video:\n        breaker:\n          open_for: 2s\n  forward_headers: [Authorization]\nsubgraph:\n  listen:\n    chat: 127.0.0.1:5003\n"
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path, nil); err != nil {
		t.Fatal(err)
	}
}

func TestProfile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		yaml    string
		environ []string
		// introspection, plan header, playground, expose subgraph errors
		want string
	}{
		{"demo", "", nil, "true X-Cinegraph-Plan true false"},
		{"production", "profile: production\n", nil, "false  false false"},
		{"production from the environment", "", []string{"CINEGRAPH_PROFILE=production"}, "false  false false"},
		{"production keeps what the file sets", "profile: production\nrouter:\n  introspection: true\n  plan_header: X-Plan\n", nil, "true X-Plan false false"},
		{"production keeps what the environment sets", "profile: production\n", []string{"CINEGRAPH_FRONTEND_PLAYGROUND=true", "CINEGRAPH_ROUTER_EXPOSE_SUBGRAPH_ERRORS=true"}, "false  true true"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := ""
			if tc.yaml != "" {
				path = filepath.Join(t.TempDir(), "cinegraph.yaml")
				if err := os.WriteFile(path, []byte(tc.yaml), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			cfg, err := Load(path, tc.environ)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join([]string{boolString(cfg.Router.Introspection), cfg.Router.PlanHeader, boolString(cfg.Frontend.Playground), boolString(cfg.Router.ExposeSubgraphErrors)}, " ")
			if got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
	if _, err := Load("", []string{"CINEGRAPH_PROFILE=staging"}); err == nil || !strings.Contains(err.Error(), `profile: "staging"`) {
		t.Fatalf("err = %v", err)
	}
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
