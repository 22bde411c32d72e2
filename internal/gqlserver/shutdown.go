package gqlserver

import (
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// CloseServiceRestart is the close code (RFC 6455: service restart) a
// subgraph's websockets get when its server shuts down: routers and clients
// reopen their subscriptions elsewhere and resume them from their cursor.
const CloseServiceRestart = 1012

// ShutdownReason is the reason of that close frame.
const ShutdownReason = "the subgraph is restarting: reconnect and resume"

// sockets wraps gqlgen's websocket implementation to remember the sockets
// each http.Server accepted, and closes them with CloseServiceRestart when
// that server shuts down: net/http neither closes nor waits for hijacked
// connections, and a socket cut without a close frame looks like a crash.
type sockets struct {
	impl transport.WebsocketImplementation

	mu      sync.Mutex
	servers map[*http.Server]*serverSockets
}

// serverSockets are the sockets of one http.Server.
type serverSockets struct {
	open map[*socket]struct{}
	down bool
}

func newSockets(impl transport.WebsocketImplementation) *sockets {
	return &sockets{impl: impl, servers: map[*http.Server]*serverSockets{}}
}

// Accept implements transport.WebsocketImplementation.
func (s *sockets) Accept(w http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	conn, err := s.impl.Accept(w, r, opts)
	srv, _ := r.Context().Value(http.ServerContextKey).(*http.Server)
	if err != nil || srv == nil {
		return conn, err
	}
	sock := &socket{WebsocketConn: conn}
	if !s.track(srv, sock) {
		// Upgraded, so that the refusal reaches the client as a close code
		// it knows to retry on; gqlgen's first read then fails.
		_ = conn.WriteClose(CloseServiceRestart, ShutdownReason)
	}
	return sock, nil
}

// track adds sock to srv's sockets, registering the shutdown hook on the
// server's first socket; false means srv is shutting down.
func (s *sockets) track(srv *http.Server, sock *socket) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.servers[srv]
	if ss == nil {
		ss = &serverSockets{open: map[*socket]struct{}{}}
		s.servers[srv] = ss
		srv.RegisterOnShutdown(func() { s.shutdown(srv) })
	}
	if ss.down {
		return false
	}
	ss.open[sock] = struct{}{}
	sock.untrack = func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(ss.open, sock)
	}
	return true
}

// shutdown closes every socket of srv with CloseServiceRestart and refuses
// new ones. The close handshakes finish in the background; the server's
// owner waits for the connections to close (app.Serve does).
func (s *sockets) shutdown(srv *http.Server) {
	s.mu.Lock()
	ss := s.servers[srv]
	if ss == nil {
		s.mu.Unlock()
		return
	}
	ss.down = true
	open := make([]*socket, 0, len(ss.open))
	for sock := range ss.open {
		open = append(open, sock)
	}
	s.mu.Unlock()
	for _, sock := range open {
		_ = sock.WriteClose(CloseServiceRestart, ShutdownReason)
	}
}

// socket is one tracked websocket; it keeps the optional interfaces of the
// connection it wraps (read limit, read deadline).
type socket struct {
	transport.WebsocketConn
	once    sync.Once
	untrack func()
}

func (c *socket) Close() error {
	c.once.Do(func() {
		if c.untrack != nil {
			c.untrack()
		}
	})
	return c.WebsocketConn.Close()
}

func (c *socket) SetReadLimit(limit int64) {
	if l, ok := c.WebsocketConn.(transport.WebsocketReadLimiter); ok {
		l.SetReadLimit(limit)
	}
}

func (c *socket) SetReadDeadline(t time.Time) error {
	if d, ok := c.WebsocketConn.(transport.WebsocketReadDeadliner); ok {
		return d.SetReadDeadline(t)
	}
	return nil
}
