package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/health"
)

// Serve answers on ln with h until ctx is done, then stops taking requests
// (readiness turns to draining first) and drains those in flight within
// timeout. The server's timeouts, header bound and TLS come from sc.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, checker *health.Checker, sc config.Server, timeout time.Duration, logger *slog.Logger) error {
	srv := newServer(ctx, h, sc, logger)
	errc := make(chan error, 1)
	scheme := "http://"
	if sc.TLS.Enabled() {
		scheme = "https://"
		go func() { errc <- srv.ServeTLS(ln, sc.TLS.CertFile, sc.TLS.KeyFile) }()
	} else {
		go func() { errc <- srv.Serve(ln) }()
	}
	logger.Info("listening", "addr", scheme+ln.Addr().String())
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down", "timeout", timeout)
	if checker != nil {
		checker.Drain()
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// newServer is the http.Server every Cinegraph listener runs. With TLS,
// net/http negotiates HTTP/2 itself and every response carries HSTS.
func newServer(ctx context.Context, h http.Handler, sc config.Server, logger *slog.Logger) *http.Server {
	if sc.TLS.Enabled() {
		h = strictTransport(h)
	}
	return &http.Server{
		Handler:           unboundedStreams(h),
		ReadHeaderTimeout: sc.ReadHeaderTimeout,
		ReadTimeout:       sc.ReadTimeout,
		WriteTimeout:      sc.WriteTimeout,
		IdleTimeout:       sc.IdleTimeout,
		MaxHeaderBytes:    sc.MaxHeaderBytes,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
		// Handshake failures and the like are the clients' doing.
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelDebug),
	}
}

// hstsMaxAge is two years, the span browsers' preload lists ask for.
const hstsMaxAge = "max-age=63072000; includeSubDomains"

func strictTransport(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Strict-Transport-Security", hstsMaxAge)
		h.ServeHTTP(w, r)
	})
}

// unboundedStreams lifts the server's read and write deadlines from
// subscriptions (SSE, multipart, and websockets, which net/http also frees
// when they are hijacked): they last as long as the client listens, and a
// connection deadline would cut them (a read deadline passing even cancels
// the request's context). Every other request keeps the server's timeouts.
func unboundedStreams(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isStream(r) {
			rc := http.NewResponseController(w)
			// Errors mean the connection has no deadlines to lift.
			_ = rc.SetReadDeadline(time.Time{})
			_ = rc.SetWriteDeadline(time.Time{})
		}
		h.ServeHTTP(w, r)
	})
}

// isStream reports whether r asks for a long-lived response: a websocket
// upgrade, or an SSE or multipart/mixed stream.
func isStream(r *http.Request) bool {
	if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		return true
	}
	for _, accept := range r.Header.Values("Accept") {
		a := strings.ToLower(accept)
		if strings.Contains(a, "text/event-stream") || strings.Contains(a, "multipart/mixed") {
			return true
		}
	}
	return false
}
