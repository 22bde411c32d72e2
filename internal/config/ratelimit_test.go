package config

import (
	"strings"
	"testing"
)

func TestRateLimitSettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		yaml string
		env  []string
		// check inspects a valid configuration.
		check func(t *testing.T, r RateLimit)
		// problems are expected in an invalid one, every one reported.
		problems []string
	}{
		{name: "off from the environment", env: []string{"CINEGRAPH_ROUTER_RATE_LIMIT_ENABLED=false"}, check: func(t *testing.T, r RateLimit) {
			if r.Enabled || r.PerClient.Rate != DefaultRatePerClient {
				t.Fatalf("got %+v, want disabled with the default rates kept", r)
			}
		}},
		{name: "nested values from the environment", env: []string{
			"CINEGRAPH_ROUTER_RATE_LIMIT_PER_CLIENT_RATE=2.5",
			"CINEGRAPH_ROUTER_RATE_LIMIT_WEBSOCKET_MAX_PER_CLIENT=7",
			"CINEGRAPH_ROUTER_RATE_LIMIT_KEY_HEADERS=X-Verified-Identity",
		}, check: func(t *testing.T, r RateLimit) {
			if r.PerClient.Rate != 2.5 || r.PerClient.Burst != DefaultBurstPerClient || r.WebSocket.MaxPerClient != 7 || strings.Join(r.KeyHeaders, ",") != "X-Verified-Identity" {
				t.Fatalf("got %+v", r)
			}
		}},
		{name: "per operation from a file", yaml: "router:\n  rate_limit:\n    per_operation:\n      Search: {rate: 5, burst: 10}\n", check: func(t *testing.T, r RateLimit) {
			if got := r.PerOperation["Search"]; got != (Rate{Rate: 5, Burst: 10}) {
				t.Fatalf("per_operation.Search = %+v", got)
			}
		}},
		{name: "per client off with zeros", env: []string{"CINEGRAPH_ROUTER_RATE_LIMIT_PER_CLIENT_RATE=0", "CINEGRAPH_ROUTER_RATE_LIMIT_PER_CLIENT_BURST=0"}, check: func(t *testing.T, r RateLimit) {
			if r.PerClient != (Rate{}) {
				t.Fatalf("per_client = %+v", r.PerClient)
			}
		}},
		{
			name: "every problem at once",
			yaml: "router:\n  rate_limit:\n    per_operation:\n      Search: {rate: 0, burst: 0}\n      Feed: {rate: 1, burst: -1}\n",
			env: []string{
				"CINEGRAPH_ROUTER_RATE_LIMIT_PER_CLIENT_RATE=-1",
				"CINEGRAPH_ROUTER_RATE_LIMIT_KEY_HEADERS=Bad Header",
				"CINEGRAPH_ROUTER_RATE_LIMIT_WEBSOCKET_MAX_PER_CLIENT=-1",
				"CINEGRAPH_ROUTER_RATE_LIMIT_WEBSOCKET_MAX_TOTAL=-2",
			},
			problems: []string{
				"router.rate_limit.per_client.rate:",
				`router.rate_limit.key_headers: "Bad Header"`,
				"router.rate_limit.per_operation.Search.rate:",
				"router.rate_limit.per_operation.Search.burst:",
				"router.rate_limit.per_operation.Feed.burst:",
				"router.rate_limit.websocket.max_per_client:",
				"router.rate_limit.websocket.max_total:",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := loadYAML(t, tc.yaml, tc.env)
			if tc.problems == nil {
				if err != nil {
					t.Fatal(err)
				}
				tc.check(t, cfg.Router.RateLimit)
				return
			}
			checkProblems(t, err, tc.problems)
		})
	}
}
