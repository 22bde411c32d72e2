package app

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/depguard"
	"github.com/cinegraph/cinegraph/internal/health"
)

// AdminHandler is the read-only admin surface of a process running the
// router:
//
//	GET /config      the effective configuration, secrets masked (YAML)
//	GET /subgraphs   each subgraph instance's health and circuit breakers
//	GET /dedupe      the fetches and queries shared in flight (router.dedupe)
//	GET /metrics     Prometheus metrics, with metrics.enabled on (metrics.go)
//	GET /debug/pprof/... Go's profiles, with admin.pprof on
//	GET /health/...  liveness and readiness, as on the public listener
//
// Every other method is refused: nothing here changes the process. Both
// show what is in force now, after any reload.
func AdminHandler(rt *LiveRouter, checker *health.Checker) http.Handler {
	return adminHandler(rt, checker, nil)
}

// adminHandler is AdminHandler, with GET /dependencies when deps is set:
// the guards of the dependencies of the subgraphs the process runs, by
// name (depguard.Report).
func adminHandler(rt *LiveRouter, checker *health.Checker, deps func() map[string]depguard.Report) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /config", func(w http.ResponseWriter, _ *http.Request) {
		cfg := rt.Config()
		raw, err := cfg.Masked()
		if err != nil {
			http.Error(w, "cannot print the configuration", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write(raw)
	})
	mux.HandleFunc("GET /subgraphs", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(rt.Report())
	})
	mux.HandleFunc("GET /dedupe", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(rt.Dedupe())
	})
	if rt.Config().Admin.Pprof {
		mux.HandleFunc("GET /debug/pprof/", pprof.Index)
		mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	}
	if h := rt.Metrics().Handler(); h != nil {
		mux.Handle("GET "+MetricsPath, h)
	}
	if deps != nil {
		mux.HandleFunc("GET /dependencies", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			_ = enc.Encode(deps())
		})
	}
	checker.Register(mux)
	return readOnly(mux)
}

// SubgraphAdminHandler is the admin surface of a process serving one
// subgraph (`cinegraph subgraph <name>`): /health/live, /health/ready and,
// with metrics on (m not nil), GET /metrics. Like the router's, it is
// read-only.
func SubgraphAdminHandler(checker *health.Checker, m *Metrics) http.Handler {
	mux := http.NewServeMux()
	if h := m.Handler(); h != nil {
		mux.Handle("GET "+MetricsPath, h)
	}
	checker.Register(mux)
	return readOnly(mux)
}

// readOnly answers 405 to anything but GET and HEAD.
func readOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "the admin listener is read-only", http.StatusMethodNotAllowed)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// ServeAdmin starts the admin listener at cfg.Admin.Listen, if set, and
// returns the function that stops it; the listener is plain HTTP under the
// server settings otherwise.
func ServeAdmin(ctx context.Context, cfg config.Config, h http.Handler, logger *slog.Logger) (stop func() error, err error) {
	if cfg.Admin.Listen == "" {
		return func() error { return nil }, nil
	}
	ln, err := net.Listen("tcp", cfg.Admin.Listen)
	if err != nil {
		return nil, fmt.Errorf("admin listener: %w", err)
	}
	sc := cfg.Server
	sc.TLS = config.TLS{}
	sc.DrainDelay = 0 // it stops after the public listener has drained
	actx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan error, 1)
	go func() { done <- Serve(actx, ln, h, nil, sc, cfg.ShutdownTimeout, logger.With("listener", "admin")) }()
	return func() error {
		cancel()
		return <-done
	}, nil
}

// AdminHandler is the platform's admin surface: AdminHandler's, and
//
//	GET /dependencies  each subgraph dependency's guard: breaker state,
//	                   call counts and fallback uses (Platform.Dependencies)
func (p *Platform) AdminHandler() http.Handler {
	return adminHandler(p.router, p.health, p.Dependencies)
}
