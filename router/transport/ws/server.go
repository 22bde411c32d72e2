// Package ws serves GraphQL over websockets for the router: the
// graphql-transport-ws protocol (the graphql-ws library, which Apollo
// Client's GraphQLWsLink uses) and the legacy subscriptions-transport-ws
// protocol (subprotocol "graphql-ws"), with init timeout, keep-alive, limits
// and the close codes the protocols define.
package ws

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/router/subscription"
)

// Subprotocols.
const (
	ProtocolTransportWS = "graphql-transport-ws"
	ProtocolLegacy      = "graphql-ws"
)

// Close codes of graphql-transport-ws.
const (
	CloseInvalidMessage      = 4400
	CloseUnauthorized        = 4401
	CloseForbidden           = 4403
	CloseSubprotocol         = 4406
	CloseInitTimeout         = 4408
	CloseSubscriberExists    = 4409
	CloseTooManyInitRequests = 4429
	// CloseTooManyRequests closes a connection refused by Admit (a rate
	// limit or a connection cap): graphql-transport-ws's code for a client
	// that asks too often, which clients already treat as "back off".
	CloseTooManyRequests = 4429
)

// Defaults.
const (
	DefaultInitTimeout      = 3 * time.Second
	DefaultKeepAlive        = 12 * time.Second
	DefaultMaxSubscriptions = 100
	DefaultMaxMessageBytes  = 64 << 10
	DefaultWriteTimeout     = 10 * time.Second
)

// Errors OnConnect returns to refuse a connection.
var (
	// ErrUnauthorized closes the socket with 4401.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden closes the socket with 4403; any other error does too.
	ErrForbidden = errors.New("forbidden")
)

// Server is the websocket endpoint. Its zero limits mean the defaults.
type Server struct {
	Subscriber subscription.Subscriber
	// OnConnect sees the upgrade request and the connection_init payload and
	// returns the headers operations on this connection run with; nil means
	// DefaultHeaders. Returning an error refuses the connection.
	OnConnect func(ctx context.Context, r *http.Request, payload map[string]any) (http.Header, error)
	// InitTimeout is how long a client may take to send connection_init.
	InitTimeout time.Duration
	// KeepAlive is the interval of server pings (graphql-transport-ws) or
	// "ka" messages (legacy); negative disables them.
	KeepAlive time.Duration
	// MaxSubscriptions bounds running operations per connection.
	MaxSubscriptions int
	// MaxMessageBytes bounds one client message; larger ones close the
	// socket with 1009.
	MaxMessageBytes int64
	// WriteTimeout is how long one write may block on a client that does not
	// read before its socket is dropped.
	WriteTimeout time.Duration
	// CheckOrigin nil accepts every origin.
	CheckOrigin func(r *http.Request) bool
	// Admit, when set, decides whether an upgraded connection may stay
	// (rate limits, connection caps): an error closes it with
	// CloseTooManyRequests and the error as reason; release is called when
	// an admitted connection ends.
	Admit func(r *http.Request) (release func(), err error)
	// Open, when set, goes up when a socket is admitted and down when it
	// closes (a Prometheus gauge fits).
	Open interface {
		Inc()
		Dec()
	}
	// Tracer, when set, spans each result written within a traced
	// subscription event (tracing.StartWrite).
	Tracer trace.Tracer

	upgraderOnce sync.Once
	upgrader     websocket.Upgrader

	mu       sync.Mutex
	conns    map[*conn]struct{}
	shutdown bool
}

// IsUpgrade reports whether r asks for a websocket.
func IsUpgrade(r *http.Request) bool { return websocket.IsWebSocketUpgrade(r) }

// writeBuffers lets idle connections hold no write buffer.
var writeBuffers = &sync.Pool{}

func (s *Server) init() {
	s.upgraderOnce.Do(func() {
		check := s.CheckOrigin
		if check == nil {
			check = func(*http.Request) bool { return true }
		}
		s.upgrader = websocket.Upgrader{
			Subprotocols:    []string{ProtocolTransportWS, ProtocolLegacy},
			ReadBufferSize:  1024,
			WriteBufferSize: 8192, // pooled: held only while writing
			WriteBufferPool: writeBuffers,
			CheckOrigin:     check,
		}
	})
}

// DefaultHeaders are the upgrade request's headers overlaid with the init
// payload's string fields and its "headers" object, the two ways clients
// send credentials over websockets.
func DefaultHeaders(r *http.Request, payload map[string]any) http.Header {
	h := r.Header.Clone()
	for _, name := range []string{"Upgrade", "Connection", "Sec-Websocket-Key", "Sec-Websocket-Version", "Sec-Websocket-Extensions", "Sec-Websocket-Protocol"} {
		h.Del(name)
	}
	set := func(m map[string]any) {
		for k, v := range m {
			if s, ok := v.(string); ok {
				h.Set(k, s)
			}
		}
	}
	set(payload)
	if inner, ok := payload["headers"].(map[string]any); ok {
		set(inner)
	}
	return h
}

// ServeHTTP upgrades the request and serves the connection until it ends.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.init()
	s.mu.Lock()
	down := s.shutdown
	s.mu.Unlock()
	if down {
		http.Error(w, "the server is shutting down", http.StatusServiceUnavailable)
		return
	}
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered
	}
	// The request's context ends when ServeHTTP returns; the socket lives on.
	ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
	c := &conn{srv: s, ws: ws, req: r, ctx: ctx, cancel: cancel}
	switch ws.Subprotocol() {
	case ProtocolTransportWS:
		c.proto = transportWS{}
	case ProtocolLegacy:
		c.proto = legacy{}
	default:
		cancel()
		c.close(CloseSubprotocol, "Subprotocol not acceptable")
		return
	}
	release := func() {}
	if s.Admit != nil {
		// After the upgrade, so the refusal reaches the client as a close
		// code it understands rather than a failed handshake.
		var err error
		if release, err = s.Admit(r); err != nil {
			cancel()
			c.close(CloseTooManyRequests, err.Error())
			return
		}
	}
	if !s.track(c) {
		release()
		cancel()
		c.close(websocket.CloseServiceRestart, ShutdownReason)
		return
	}
	// Serve on a fresh goroutine and return: net/http's connection state
	// (its buffers, the handler goroutine's deep stack) is then freed
	// instead of living as long as the socket, which matters with
	// thousands of idle subscriptions.
	go func() {
		defer s.untrack(c)
		defer release() // first, so a place is free once Connections drops
		c.serve()
	}()
}

func (s *Server) track(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shutdown {
		return false
	}
	if s.conns == nil {
		s.conns = map[*conn]struct{}{}
	}
	s.conns[c] = struct{}{}
	if s.Open != nil {
		s.Open.Inc()
	}
	return true
}

func (s *Server) untrack(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	if s.Open != nil {
		s.Open.Dec()
	}
}

// Connections returns how many sockets are open.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// ShutdownReason is the reason of the close frame Shutdown sends.
const ShutdownReason = "the server is restarting: reconnect and resume"

// Shutdown closes every socket with 1012 (service restart) and refuses new
// ones: graphql-ws and Apollo Client take 1012 as a reason to reconnect, to
// another instance behind the same address, and subscribe again (from
// their cursor, where the subscription takes one). Operations are not
// completed first, so clients do not take them as finished.
func (s *Server) Shutdown() {
	s.mu.Lock()
	s.shutdown = true
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.close(websocket.CloseServiceRestart, ShutdownReason)
	}
}

func (s *Server) initTimeout() time.Duration {
	if s.InitTimeout > 0 {
		return s.InitTimeout
	}
	return DefaultInitTimeout
}

func (s *Server) keepAlive() time.Duration {
	switch {
	case s.KeepAlive < 0:
		return 0
	case s.KeepAlive == 0:
		return DefaultKeepAlive
	}
	return s.KeepAlive
}

func (s *Server) writeTimeout() time.Duration {
	if s.WriteTimeout > 0 {
		return s.WriteTimeout
	}
	return DefaultWriteTimeout
}

func (s *Server) maxSubscriptions() int {
	if s.MaxSubscriptions > 0 {
		return s.MaxSubscriptions
	}
	return DefaultMaxSubscriptions
}

func (s *Server) maxMessageBytes() int64 {
	if s.MaxMessageBytes > 0 {
		return s.MaxMessageBytes
	}
	return DefaultMaxMessageBytes
}

func trimReason(reason string) string {
	// A close frame's reason must fit in 123 bytes.
	if len(reason) > 120 {
		reason = reason[:120]
	}
	return strings.ToValidUTF8(reason, "")
}
