package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/router/resilience"
)

// The typed config's defaults and the router's own must not drift apart.
func TestResilienceDefaultsMatchTheRouters(t *testing.T) {
	t.Parallel()
	cfg := resilienceConfig(config.Default().Router)
	for _, name := range config.Subgraphs {
		if got, want := cfg.For(name), resilience.Defaults(); got != want {
			t.Errorf("%s: config gives\n%+v\nthe router defaults to\n%+v", name, got, want)
		}
	}
	want := resilience.Health{Interval: resilience.DefaultHealthInterval, Timeout: resilience.DefaultHealthTimeout}
	if cfg.Health != want {
		t.Errorf("health checks: config gives %+v, the router defaults to %+v", cfg.Health, want)
	}
	if len(cfg.Required) != 0 {
		t.Errorf("required by default: %v, want none", cfg.Required)
	}
}

func TestReadinessListsEverySubgraph(t *testing.T) {
	in := start(t, t.TempDir())
	defer in.stop()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(in.url + "/health/ready")
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Details struct {
				Subgraphs map[string]resilience.InstanceReport `json:"subgraphs"`
			} `json:"details"`
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d: %v", resp.StatusCode, err)
		}
		up := 0
		for _, name := range config.Subgraphs {
			r := body.Details.Subgraphs[name]
			if r.Breaker != "closed" {
				t.Fatalf("%s reported as %+v, want its breaker closed", name, r)
			}
			if r.Status == resilience.StatusUp {
				up++
			}
		}
		if up == len(config.Subgraphs) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not every subgraph is up: %+v", body.Details.Subgraphs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestResilienceNamesRoutedSubgraphs(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Router.Resilience.Required = []string{"catalgo"}
	if _, err := NewRouter(context.Background(), cfg, nil, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "catalgo") {
		t.Fatalf("err = %v, want the unknown subgraph named", err)
	}
}
