package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestResilienceLayers(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "cinegraph.yaml")
	yaml := `router:
  resilience:
    breaker:
      open_for: 30s
    subgraphs:
      catalog:
        timeout: 2s
        health_url: http://catalog:8080/health
`
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path, []string{
		"CINEGRAPH_ROUTER_RESILIENCE_REQUIRED=catalog, video",
		"CINEGRAPH_ROUTER_RESILIENCE_RETRY_MAX_ATTEMPTS=3",
		"CINEGRAPH_ROUTER_RESILIENCE_SUBGRAPHS_VIDEO_BULKHEAD_MAX_CONCURRENT=8",
		"CINEGRAPH_ROUTER_RESILIENCE_SUBGRAPHS_VIDEO_RETRY_MAX_BACKOFF=1s",
		"CINEGRAPH_ROUTER_RESILIENCE_SUBGRAPHS_CATALOG_BREAKER_OPEN_FOR=1m",
	})
	if err != nil {
		t.Fatal(err)
	}
	r := cfg.Router.Resilience
	checks := []struct {
		name      string
		got, want any
	}{
		{"file default", r.Breaker.OpenFor, 30 * time.Second},
		{"default kept", r.Breaker.ConsecutiveFailures, DefaultConsecutiveFailures},
		{"env default", r.Retry.MaxAttempts, 3},
		{"env list", strings.Join(r.Required, "|"), "catalog|video"},
		{"file override", r.Subgraphs["catalog"].Timeout, 2 * time.Second},
		{"file override string", r.Subgraphs["catalog"].HealthURL, "http://catalog:8080/health"},
		{"env override beside file override", r.Subgraphs["catalog"].Breaker.OpenFor, time.Minute},
		{"env override", r.Subgraphs["video"].Bulkhead.MaxConcurrent, 8},
		{"env override, longest field", r.Subgraphs["video"].Retry.MaxBackoff, time.Second},
		{"override zero keeps default", r.Subgraphs["video"].Retry.Backoff, time.Duration(0)},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Fatalf("got %v, want %v", c.got, c.want)
			}
		})
	}
}

func TestResilienceProblems(t *testing.T) {
	t.Parallel()
	_, err := Load("", []string{
		"CINEGRAPH_ROUTER_RESILIENCE_BREAKER_FAILURE_RATE=0",
		"CINEGRAPH_ROUTER_RESILIENCE_BULKHEAD_MAX_CONCURRENT=0",
		"CINEGRAPH_ROUTER_RESILIENCE_RETRY_JITTER=1.5",
		"CINEGRAPH_ROUTER_RESILIENCE_HEALTH_INTERVAL=0s",
		"CINEGRAPH_ROUTER_RESILIENCE_SUBGRAPHS_VIDEO_TIMEOUT=-1s",
		"CINEGRAPH_ROUTER_RESILIENCE_SUBGRAPHS_VIDEO_BREAKER_FAILURE_RATE=101",
		"CINEGRAPH_ROUTER_RESILIENCE_SUBGRAPHS_VIDEO_HEALTH_URL=video:8080",
		"CINEGRAPH_ROUTER_RESILIENCE_SUBGRAPHS_VIDEO_NO_SUCH_SETTING=1",
	})
	var invalid *Invalid
	if !errors.As(err, &invalid) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{
		"router.resilience.breaker.failure_rate:",
		"router.resilience.bulkhead.max_concurrent:",
		"router.resilience.retry.jitter:",
		"router.resilience.health.interval:",
		"router.resilience.subgraphs.video.timeout:",
		"router.resilience.subgraphs.video.breaker.failure_rate:",
		"router.resilience.subgraphs.video.health_url:",
		"CINEGRAPH_ROUTER_RESILIENCE_SUBGRAPHS_VIDEO_NO_SUCH_SETTING",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing problem %q in:\n%v", want, err)
		}
	}
}
