package config

import (
	"errors"
	"strings"
	"testing"
)

// TestObservabilitySettings checks the access log and timings settings:
// their defaults, and the problems reported for values that cannot work.
func TestObservabilitySettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		env     []string
		problem string // "" means valid
	}{
		{"defaults", nil, ""},
		{"access log at info", []string{"CINEGRAPH_LOG_ACCESS=true"}, ""},
		{"access log at debug", []string{"CINEGRAPH_LOG_ACCESS=true", "CINEGRAPH_LOG_LEVEL=debug"}, ""},
		{"access log dropped by warn", []string{"CINEGRAPH_LOG_ACCESS=true", "CINEGRAPH_LOG_LEVEL=warn"}, "log.access:"},
		{"warn without access log", []string{"CINEGRAPH_LOG_LEVEL=warn"}, ""},
		{"timings for anyone", []string{"CINEGRAPH_ROUTER_TIMINGS_SCOPE="}, ""},
		{"timings scope of two words", []string{"CINEGRAPH_ROUTER_TIMINGS_SCOPE=admin ops"}, "router.timings_scope:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := Load("", tc.env)
			if tc.problem == "" {
				if err != nil {
					t.Fatalf("unexpected problem: %v", err)
				}
				return
			}
			var invalid *Invalid
			if !errors.As(err, &invalid) || !strings.Contains(err.Error(), tc.problem) {
				t.Fatalf("err = %v, want a problem with %q (config %+v)", err, tc.problem, cfg.Log)
			}
		})
	}
	cfg, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Log.Access || cfg.Router.TimingsScope != "admin" {
		t.Fatalf("defaults: log.access %v, router.timings_scope %q", cfg.Log.Access, cfg.Router.TimingsScope)
	}
}
