package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/health"
)

// Serve answers on ln with h until ctx is done, then stops as a rolling
// deploy needs:
//
//  1. readiness turns to draining (checker), and for sc.DrainDelay the
//     server goes on accepting and serving, answering with
//     "Connection: close" so clients and balancers move their connections
//     elsewhere, while they notice and stop sending new work;
//  2. the listener closes and the requests in flight finish, within
//     timeout; the server's shutdown hooks (http.Server.RegisterOnShutdown)
//     close websockets with 1012 and end streams;
//  3. Serve waits, within what is left of timeout, until every connection
//     handed over to a websocket is closed, so close frames are sent
//     before the process exits.
//
// The server's timeouts, header bound and TLS come from sc.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, checker *health.Checker, sc config.Server, timeout time.Duration, logger *slog.Logger) error {
	var drained func() <-chan time.Time
	if sc.DrainDelay > 0 {
		drained = func() <-chan time.Time { return time.After(sc.DrainDelay) }
	}
	return serve(ctx, ln, h, checker, sc, timeout, logger, drained)
}

// serve is Serve with the end of the drain delay given by drained (none
// when nil): Serve's is a timer of sc.DrainDelay.
func serve(ctx context.Context, ln net.Listener, h http.Handler, checker *health.Checker, sc config.Server, timeout time.Duration, logger *slog.Logger, drained func() <-chan time.Time) error {
	draining := &atomic.Bool{}
	srv := newServer(ctx, closeWhileDraining(h, draining), sc, logger)
	conns := trackConns(ln)
	errc := make(chan error, 1)
	scheme := "http://"
	if sc.TLS.Enabled() {
		scheme = "https://"
		go func() { errc <- srv.ServeTLS(conns, sc.TLS.CertFile, sc.TLS.KeyFile) }()
	} else {
		go func() { errc <- srv.Serve(conns) }()
	}
	logger.Info("listening", "addr", scheme+ln.Addr().String())
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	if checker != nil {
		checker.Drain()
	}
	draining.Store(true)
	if drained != nil {
		logger.Info("draining: unready, still serving", "drain_delay", sc.DrainDelay)
		select {
		case err := <-errc:
			return fmt.Errorf("serve: %w", err)
		case <-drained():
		}
	}
	logger.Info("shutting down", "timeout", timeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		conns.closeAll()
		return fmt.Errorf("shutdown: %w", err)
	}
	if n := conns.wait(shutdownCtx); n > 0 {
		logger.Warn("websockets still open at the shutdown timeout; cut", "connections", n)
	}
	return nil
}

// closeWhileDraining asks clients to close their connection after each
// response once draining is set (net/http closes it; over HTTP/2 it sends
// GOAWAY), so keep-alive connections leave a stopping process without a
// request ever racing their close. Streams keep their connection.
func closeWhileDraining(h http.Handler, draining *atomic.Bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if draining.Load() && !isStream(r) {
			w.Header().Set("Connection", "close")
		}
		h.ServeHTTP(w, r)
	})
}

// connSet is a listener that remembers its open connections, hijacked ones
// (websockets) included, which http.Server.Shutdown neither closes nor
// waits for.
type connSet struct {
	net.Listener
	mu    sync.Mutex
	open  map[*trackedConn]struct{}
	empty chan struct{} // closed when open empties; nil while none waits
}

func trackConns(ln net.Listener) *connSet {
	return &connSet{Listener: ln, open: map[*trackedConn]struct{}{}}
}

func (s *connSet) Accept() (net.Conn, error) {
	c, err := s.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &trackedConn{Conn: c, set: s}
	s.mu.Lock()
	s.open[tc] = struct{}{}
	s.mu.Unlock()
	return tc, nil
}

func (s *connSet) remove(c *trackedConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.open, c)
	if len(s.open) == 0 && s.empty != nil {
		close(s.empty)
		s.empty = nil
	}
}

// wait blocks until every connection is closed or ctx ends; then it closes
// those left and returns how many there were.
func (s *connSet) wait(ctx context.Context) int {
	s.mu.Lock()
	if len(s.open) == 0 {
		s.mu.Unlock()
		return 0
	}
	empty := make(chan struct{})
	s.empty = empty
	s.mu.Unlock()
	select {
	case <-empty:
		return 0
	case <-ctx.Done():
		return s.closeAll()
	}
}

// closeAll closes every open connection and returns how many there were.
func (s *connSet) closeAll() int {
	s.mu.Lock()
	left := make([]*trackedConn, 0, len(s.open))
	for c := range s.open {
		left = append(left, c)
	}
	s.mu.Unlock()
	for _, c := range left {
		_ = c.Close()
	}
	return len(left)
}

// trackedConn leaves its connSet when closed.
type trackedConn struct {
	net.Conn
	set  *connSet
	once sync.Once
}

func (c *trackedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.set.remove(c) })
	return err
}

// ReadFrom keeps net/http's sendfile path for files it serves.
func (c *trackedConn) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{c.Conn}, r)
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
