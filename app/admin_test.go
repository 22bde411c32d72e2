package app

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/router/resilience"
)

func TestAdminHandler(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Frontend.Dir = t.TempDir()
	cfg.Router.AuthToken = "do-not-show-me"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p, err := Open(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	srv := httptest.NewServer(p.AdminHandler())
	defer srv.Close()

	get := func(t *testing.T, method, path string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	t.Run("configuration, secrets masked", func(t *testing.T) {
		status, body := get(t, http.MethodGet, "/config")
		if status != http.StatusOK || !strings.Contains(body, "auth_token:") || strings.Contains(body, "do-not-show-me") {
			t.Fatalf("%d %s", status, body)
		}
	})
	t.Run("subgraphs with their breakers", func(t *testing.T) {
		status, body := get(t, http.MethodGet, "/subgraphs")
		var report map[string]resilience.InstanceReport
		if status != http.StatusOK || json.Unmarshal([]byte(body), &report) != nil {
			t.Fatalf("%d %s", status, body)
		}
		for _, name := range config.Subgraphs {
			r, ok := report[name]
			if !ok || len(r.Breakers) != 2 || r.Breaker != "closed" {
				t.Fatalf("%s: %+v", name, r)
			}
		}
	})
	t.Run("work shared in flight", func(t *testing.T) {
		serveOnce(t, p.Handler(), `{"query":"{ genres { name } }"}`)
		status, body := get(t, http.MethodGet, "/dedupe")
		var report map[string]map[string]uint64
		if status != http.StatusOK || json.Unmarshal([]byte(body), &report) != nil {
			t.Fatalf("%d %s", status, body)
		}
		if report["fetches"]["sent"] == 0 || report["operations"]["executed"] == 0 {
			t.Fatalf("a query went through the router, yet %s", body)
		}
	})
	t.Run("profiles only with admin.pprof", func(t *testing.T) {
		if status, _ := get(t, http.MethodGet, "/debug/pprof/"); status != http.StatusNotFound {
			t.Fatalf("profiles served with admin.pprof off: %d", status)
		}
		on := cfg
		on.DataDir = t.TempDir()
		on.Admin.Pprof = true
		q, err := Open(ctx, on, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		defer q.Close()
		rec := httptest.NewRecorder()
		q.AdminHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/debug/pprof/heap?debug=1", nil))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "heap profile") {
			t.Fatalf("%d %.200s", rec.Code, rec.Body)
		}
	})
	t.Run("readiness", func(t *testing.T) {
		if status, body := get(t, http.MethodGet, "/health/ready"); status != http.StatusOK {
			t.Fatalf("%d %s", status, body)
		}
	})
	t.Run("read-only", func(t *testing.T) {
		for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
			if status, _ := get(t, m, "/config"); status != http.StatusMethodNotAllowed {
				t.Fatalf("%s: %d", m, status)
			}
		}
	})
	t.Run("off unless configured", func(t *testing.T) {
		stop, err := ServeAdmin(ctx, cfg, p.AdminHandler(), slog.New(slog.DiscardHandler))
		if err != nil || stop() != nil {
			t.Fatal(err)
		}
	})
}
