package config

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestDefaultsGolden(t *testing.T) {
	cfg, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := cfg.Masked()
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "defaults.golden.yaml")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatalf("defaults changed; run go test ./internal/config -update if intended\n%s", got)
	}
}

func TestLoadLayers(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "cinegraph.yaml")
	yaml := "listen: 127.0.0.1:5000\ndata_dir: /var/lib/cinegraph\nrouter:\n  subgraph_urls:\n    catalog: http://catalog:8080/graphql\n  csrf:\n    required_headers: [X-Custom]\n"
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path, []string{
		"CINEGRAPH_LISTEN=127.0.0.1:6000",
		"CINEGRAPH_LOG_LEVEL=debug",
		"CINEGRAPH_ROUTER_FORWARD_HEADERS=Authorization, X-Trace",
		"CINEGRAPH_ROUTER_SUBGRAPH_URLS_VIDEO=http://video:8080/graphql",
		"CINEGRAPH_ROUTER_AUTH_TOKEN=s3cret",
		"CINEGRAPH_ROUTER_PLAN_HEADER=",
		"CINEGRAPH_ROUTER_INIT_PAYLOAD_HEADERS_TOKEN=Authorization",
		"CINEGRAPH_SUBGRAPH_LISTEN_CATALOG=127.0.0.1:5001",
		"CINEGRAPH_ROUTER_LIMITS_MAX_DEPTH=12",
		"CINEGRAPH_ROUTER_LIMITS_WARN_ONLY=true",
		"CINEGRAPH_ROUTER_LIMITS_REQUEST_TIMEOUT=5s",
		"CINEGRAPH_ROUTER_CORS_ALLOWED_ORIGINS=https://app.example, http://127.0.0.1:5173",
		"CINEGRAPH_ROUTER_CORS_MAX_AGE=1h",
		"CINEGRAPH_ROUTER_PERSISTED_QUERIES_APQ=off",
		"CINEGRAPH_ROUTER_PERSISTED_QUERIES_CACHE_SIZE=50",
		"HOME=/root",
		// Names the file (the flags' default), not a setting.
		"CINEGRAPH_CONFIG=" + path,
	})
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"env beats file", cfg.Listen, "127.0.0.1:6000"},
		{"file beats default", cfg.DataDir, "/var/lib/cinegraph"},
		{"env scalar", cfg.Log.Level, "debug"},
		{"env list", strings.Join(cfg.Router.ForwardHeaders, "|"), "Authorization|X-Trace"},
		{"file map", cfg.Router.SubgraphURLs["catalog"], "http://catalog:8080/graphql"},
		{"env map entry", cfg.Router.SubgraphURLs["video"], "http://video:8080/graphql"},
		{"default kept", cfg.Storage.Mode, "embedded"},
		{"env nested scalar", fmt.Sprint(cfg.Router.Limits.MaxDepth, cfg.Router.Limits.WarnOnly, cfg.Router.Limits.RequestTimeout), "12 true 5s"},
		{"nested default kept", fmt.Sprint(cfg.Router.Limits.MaxFields), "1000"},
		{"env empties a default", cfg.Router.PlanHeader, ""},
		{"env map entry changes one default", cfg.Subgraph.Listen["catalog"] + "|" + cfg.Subgraph.Listen["chat"], "127.0.0.1:5001|127.0.0.1:4003"},
		{"env map entry in an empty default", fmt.Sprint(cfg.Router.InitPayloadHeaders), "map[token:Authorization]"},
		{"nested env list", strings.Join(cfg.Router.CORS.AllowedOrigins, "|"), "https://app.example|http://127.0.0.1:5173"},
		{"nested env duration", cfg.Router.CORS.MaxAge.String(), "1h0m0s"},
		{"nested file list", strings.Join(cfg.Router.CSRF.RequiredHeaders, "|"), "X-Custom"},
		{"env key with underscores", fmt.Sprintf("%s %d", cfg.Router.PersistedQueries.APQ, cfg.Router.PersistedQueries.CacheSize), "off 50"},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Fatalf("got %q, want %q", c.got, c.want)
			}
		})
	}
	masked, err := cfg.Masked()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(masked), "s3cret") {
		t.Fatal("secret printed")
	}
}

func TestEveryProblemReported(t *testing.T) {
	t.Parallel()
	_, err := Load("", []string{
		"CINEGRAPH_LISTEN=nowhere",
		"CINEGRAPH_LOG_LEVEL=loud",
		"CINEGRAPH_STORAGE_MODE=mainframe",
		"CINEGRAPH_ROUTER_SUBGRAPH_URLS_CATALOG=ftp://x",
		"CINEGRAPH_ROUTER_LIMITS_MAX_FIELDS=0",
		"CINEGRAPH_ROUTER_LIMITS_REQUEST_TIMEOUT=-1s",
		"CINEGRAPH_ROUTER_PLAN_HEADER=X Plan",
		"CINEGRAPH_ROUTER_INIT_PAYLOAD_HEADERS_PROFILE=X-Profile:",
		"CINEGRAPH_ROUTER_CORS_ALLOWED_ORIGINS=*,https://app.example/path",
		"CINEGRAPH_ROUTER_CORS_ALLOW_CREDENTIALS=true",
		"CINEGRAPH_ROUTER_CORS_ALLOWED_HEADERS=X Bad",
		"CINEGRAPH_ROUTER_CORS_MAX_AGE=-1s",
		"CINEGRAPH_ROUTER_CSRF_REQUIRED_HEADERS=Bad Header",
		"CINEGRAPH_ROUTER_PERSISTED_QUERIES_APQ=maybe",
		"CINEGRAPH_ROUTER_PERSISTED_QUERIES_TTL=-1s",
		"CINEGRAPH_ROUTER_PERSISTED_QUERIES_SAFELIST=true",
		"CINEGRAPH_NO_SUCH_THING=1",
	})
	var invalid *Invalid
	if !errors.As(err, &invalid) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"listen:", "log.level:", "storage.mode:", "router.subgraph_urls.catalog:", "router.limits.max_fields:", "router.limits.request_timeout:", "router.plan_header:", "router.init_payload_headers.profile:", "CINEGRAPH_NO_SUCH_THING",
		`router.cors.allowed_origins: "https://app.example/path"`, `router.cors.allowed_origins: "*" with allow_credentials`,
		"router.cors.allowed_headers:", "router.cors.max_age:", "router.csrf.required_headers:",
		"router.persisted_queries.apq:", "router.persisted_queries.ttl:", "router.persisted_queries.safelist: needs a manifest"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing problem %q in:\n%v", want, err)
		}
	}
}

func TestValidOrigin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		origin string
		want   bool
	}{
		{"*", true},
		{"https://app.example", true},
		{"http://127.0.0.1:5173", true},
		{"https://*.example.com", true},
		{"app.example", false},
		{"https://app.example/", false},
		{"https://app.example?x=1", false},
		{"https://user@app.example", false},
		{"https://*.*.example", false},
		{"", false},
	}
	for _, tc := range tests {
		t.Run(tc.origin, func(t *testing.T) {
			t.Parallel()
			if got := validOrigin(tc.origin); got != tc.want {
				t.Fatalf("validOrigin(%q) = %v, want %v", tc.origin, got, tc.want)
			}
		})
	}
}

func TestMaskDSN(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"postgres://app:pw@db:5432/x?sslmode=disable", "postgres://app:********@db:5432/x?sslmode=disable"},
		{"host=db user=app password=pw dbname=x", "host=db user=app password=******** dbname=x"},
		{"postgres://db/x", "postgres://db/x"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			if got := maskDSN(tc.in); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestClusterModeChecks(t *testing.T) {
	t.Parallel()
	_, err := Load("", []string{
		"CINEGRAPH_STORAGE_MODE=cluster",
		"CINEGRAPH_STORAGE_CASSANDRA_CONSISTENCY=SOMETIMES",
		"CINEGRAPH_STORAGE_KAFKA_BROKERS=",
	})
	if err == nil {
		t.Fatal("want error")
	}
	for _, want := range []string{"storage.cassandra.consistency", "storage.kafka.brokers"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}

func TestDrainDelay(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		env     string // CINEGRAPH_SERVER_DRAIN_DELAY; "" leaves the default
		want    time.Duration
		problem string // in the error; "" for none
	}{
		{name: "default stops at once", want: 0},
		{name: "a few probe periods", env: "2s", want: 2 * time.Second},
		{name: "zero", env: "0s", want: 0},
		{name: "negative", env: "-1s", problem: "server.drain_delay: must not be negative"},
		{name: "too long", env: "6m", problem: "server.drain_delay: at most 5m0s"},
		{name: "not a duration", env: "soon", problem: "server.drain_delay"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var env []string
			if tc.env != "" {
				env = []string{"CINEGRAPH_SERVER_DRAIN_DELAY=" + tc.env}
			}
			cfg, err := Load("", env)
			if tc.problem != "" {
				if err == nil || !strings.Contains(err.Error(), tc.problem) {
					t.Fatalf("err = %v, want a problem %q", err, tc.problem)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Server.DrainDelay != tc.want {
				t.Errorf("server.drain_delay = %s, want %s", cfg.Server.DrainDelay, tc.want)
			}
		})
	}
}

// loadYAML loads the configuration from yaml (no file when empty) and env.
func loadYAML(t *testing.T, yaml string, env []string) (Config, error) {
	t.Helper()
	path := ""
	if yaml != "" {
		path = filepath.Join(t.TempDir(), "config.yaml")
		if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return Load(path, env)
}

// checkProblems fails t unless err lists exactly as many problems as want,
// each containing one of want.
func checkProblems(t *testing.T, err error, want []string) {
	t.Helper()
	var invalid *Invalid
	if !errors.As(err, &invalid) {
		t.Fatalf("err = %v, want problems", err)
	}
	if len(invalid.Problems) != len(want) {
		t.Errorf("%d problems, want %d:\n%v", len(invalid.Problems), len(want), err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("missing problem %q in:\n%v", w, err)
		}
	}
}
