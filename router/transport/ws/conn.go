package ws

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"go.opentelemetry.io/otel/codes"

	"github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/router/request"
	"github.com/cinegraph/cinegraph/router/subscription"
	"github.com/cinegraph/cinegraph/router/tracing"
	"github.com/cinegraph/cinegraph/router/wire"
)

// message is a protocol message in either direction.
type message struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// incoming keeps id optional so a missing id can be told from an empty one.
type incoming struct {
	ID      *string         `json:"id"`
	Type    *string         `json:"type"`
	Payload json.RawMessage `json:"payload"`
}

// protocol is what differs between graphql-transport-ws and the legacy
// protocol.
type protocol interface {
	// check says whether the protocol takes m, a decoded message with a
	// type: nil, or why not.
	check(m incoming) *messageError
	// handle acts on a message check took.
	handle(c *conn, m incoming)
	// result wraps one execution result of operation id.
	result(id string, payload json.RawMessage) message
	// refused says operation id was rejected before it ran.
	refused(id string, errs []*wire.Error) message
	// done says operation id ended.
	done(id string) message
	keepAlive() message
	legacy() bool
}

// conn is one client socket.
type conn struct {
	srv    *Server
	ws     *websocket.Conn
	req    *http.Request
	ctx    context.Context
	cancel context.CancelFunc
	proto  protocol

	wmu sync.Mutex // one writer at a time, as gorilla requires

	mu        sync.Mutex
	pending   map[string]*op
	initSeen  bool
	acked     bool
	header    http.Header
	closed    bool
	initTimer *time.Timer
	kaTimer   *time.Timer
}

// op is one running operation.
type op struct {
	cancel context.CancelFunc
	mu     sync.Mutex
	stream *subscription.Stream
	gone   bool // the client completed it
}

func (c *conn) serve() {
	defer c.teardown()
	c.ws.SetReadLimit(c.srv.maxMessageBytes())
	c.mu.Lock()
	c.pending = map[string]*op{}
	c.initTimer = time.AfterFunc(c.srv.initTimeout(), func() {
		c.mu.Lock()
		seen := c.initSeen
		c.mu.Unlock()
		if !seen {
			c.close(CloseInitTimeout, "Connection initialisation timeout")
		}
	})
	c.mu.Unlock()
	for {
		kind, raw, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		m, bad := decodeMessage(c.proto, kind, raw)
		if bad != nil {
			c.invalid(bad.ID, bad.Reason)
			continue
		}
		c.proto.handle(c, m)
	}
}

// messageError is a client message the protocol cannot take: ID is the
// message's id where one could be read, Reason what the client is told.
type messageError struct {
	ID     *string
	Reason string
}

func (e *messageError) Error() string { return e.Reason }

// decodeMessage reads one client message, a websocket frame of kind with
// data raw, for protocol p: a text frame holding a JSON object whose type
// p knows, with the id p requires for that type. Anything else is a
// *messageError, which the connection answers as refusal says. Only the
// first JSON value in raw is read.
func decodeMessage(p protocol, kind int, raw []byte) (incoming, *messageError) {
	var m incoming
	if kind != websocket.TextMessage {
		return m, &messageError{Reason: "messages must be text"}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&m); err != nil || m.Type == nil {
		return m, &messageError{ID: m.ID, Reason: "Invalid message received"}
	}
	if bad := p.check(m); bad != nil {
		return m, bad
	}
	return m, nil
}

// needsID is the error for a message of type typ sent without the id the
// protocol requires on it.
func needsID(typ string) *messageError { return &messageError{Reason: typ + " needs an id"} }

// unknownType is the error for a message whose type p does not know.
func unknownType(m incoming) *messageError {
	return &messageError{ID: m.ID, Reason: "Invalid message type " + *m.Type}
}

// refusal is what a connection of protocol p does with a message it cannot
// take: graphql-transport-ws closes the socket with code
// CloseInvalidMessage (reply is then unused); the legacy protocol sends
// reply, an error carrying the message's id, and goes on (code 0).
func refusal(p protocol, e *messageError) (code int, reply message) {
	if !p.legacy() {
		return CloseInvalidMessage, message{}
	}
	opID := ""
	if e.ID != nil {
		opID = *e.ID
	}
	payload, _ := json.Marshal(map[string]string{"message": e.Reason})
	return 0, message{ID: opID, Type: "error", Payload: payload}
}

// invalid handles a malformed message as refusal says.
func (c *conn) invalid(id *string, reason string) {
	code, reply := refusal(c.proto, &messageError{ID: id, Reason: reason})
	if code != 0 {
		c.close(code, reason)
		return
	}
	c.write(reply)
}

func (c *conn) teardown() {
	c.cancel()
	c.mu.Lock()
	c.closed = true
	if c.initTimer != nil {
		c.initTimer.Stop()
	}
	if c.kaTimer != nil {
		c.kaTimer.Stop()
	}
	pending := c.pending
	c.pending = map[string]*op{}
	c.mu.Unlock()
	for _, o := range pending {
		o.stop()
	}
	_ = c.ws.Close()
}

// close sends a close frame and drops the socket, which ends serve.
func (c *conn) close(code int, reason string) {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, trimReason(reason)), time.Now().Add(time.Second))
	_ = c.ws.Close()
}

// write sends m; a failed write closes the connection.
func (c *conn) write(m message) bool {
	raw, err := json.Marshal(m)
	if err != nil {
		return false
	}
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return false
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(c.srv.writeTimeout()))
	if err := c.ws.WriteMessage(websocket.TextMessage, raw); err != nil {
		_ = c.ws.Close()
		return false
	}
	return true
}

// connectionInit runs OnConnect once; false means the socket was closed.
func (c *conn) connectionInit(payload json.RawMessage) bool {
	c.mu.Lock()
	if c.initSeen {
		c.mu.Unlock()
		c.close(CloseTooManyInitRequests, "Too many initialisation requests")
		return false
	}
	c.initSeen = true
	c.mu.Unlock()
	var p map[string]any
	if len(payload) > 0 && string(payload) != "null" {
		if err := json.Unmarshal(payload, &p); err != nil {
			c.invalid(nil, "connection_init payload must be an object")
			return false
		}
	}
	if p == nil {
		p = map[string]any{}
	}
	var header http.Header
	var err error
	if c.srv.OnConnect != nil {
		header, err = c.srv.OnConnect(c.ctx, c.req, p)
	} else {
		header = DefaultHeaders(c.req, p)
	}
	if err != nil {
		code, reason := CloseForbidden, "Forbidden"
		if errors.Is(err, ErrUnauthorized) {
			code, reason = CloseUnauthorized, "Unauthorized"
		}
		if c.proto.legacy() {
			msg, _ := json.Marshal(map[string]string{"message": reason})
			c.write(message{Type: "connection_error", Payload: msg})
		}
		c.close(code, reason)
		return false
	}
	c.mu.Lock()
	c.header, c.acked = header, true
	c.req = nil // only OnConnect needs it
	c.initTimer.Stop()
	c.mu.Unlock()
	if !c.write(message{Type: "connection_ack"}) {
		return false
	}
	c.startKeepAlive()
	return true
}

func (c *conn) startKeepAlive() {
	every := c.srv.keepAlive()
	if every <= 0 {
		return
	}
	if c.proto.legacy() {
		c.write(c.proto.keepAlive())
	}
	var tick func()
	tick = func() {
		if !c.write(c.proto.keepAlive()) {
			return
		}
		c.mu.Lock()
		if !c.closed {
			c.kaTimer = time.AfterFunc(every, tick)
		}
		c.mu.Unlock()
	}
	c.mu.Lock()
	c.kaTimer = time.AfterFunc(every, tick)
	c.mu.Unlock()
}

// subscribe starts operation id. Duplicates are the protocol's call: the
// caller checks them first.
func (c *conn) subscribe(id string, raw json.RawMessage) {
	c.mu.Lock()
	header := c.header
	c.mu.Unlock()
	req, err := request.FromPayload(raw, header)
	if err != nil {
		c.invalid(&id, err.Error())
		return
	}
	c.mu.Lock()
	if len(c.pending) >= c.srv.maxSubscriptions() {
		c.mu.Unlock()
		c.write(c.proto.refused(id, []*wire.Error{{
			Message:    fmt.Sprintf("too many operations on this connection (at most %d)", c.srv.maxSubscriptions()),
			Extensions: map[string]any{"code": string(errs.BadUserInput)},
		}}))
		return
	}
	ctx, cancel := context.WithCancel(c.ctx)
	o := &op{cancel: cancel}
	c.pending[id] = o
	c.mu.Unlock()
	go c.run(ctx, id, o, req)
}

func (c *conn) run(ctx context.Context, id string, o *op, req *request.Request) {
	st, refused := c.srv.Subscriber.Subscribe(ctx, req)
	if refused != nil {
		o.cancel()
		if c.forget(id, o) {
			c.write(c.proto.refused(id, refused.Response.Errors))
		}
		return
	}
	o.mu.Lock()
	o.stream = st
	gone := o.gone
	o.mu.Unlock()
	if gone {
		o.cancel()
		st.Close()
		return
	}
	// Subscribe's call chain grew this goroutine's stack; a fresh one
	// waits for results with a small stack.
	go c.forward(id, o, st)
}

// forward writes the results of operation id until its stream ends.
func (c *conn) forward(id string, o *op, st *subscription.Stream) {
	defer o.cancel()
	for res := range st.C {
		span := tracing.StartWrite(c.srv.Tracer, res.Trace, "websocket")
		ok := c.write(c.proto.result(id, res.Payload))
		if !ok {
			span.SetStatus(codes.Error, "client gone")
		}
		span.End()
		if !ok {
			st.Close()
			return
		}
	}
	if !c.forget(id, o) {
		return // the client completed it: no complete back
	}
	if final := st.Final(); final != nil {
		c.write(c.proto.result(id, final))
	}
	c.write(c.proto.done(id))
}

// forget removes operation id if it is still o; false means the client
// already completed it.
func (c *conn) forget(id string, o *op) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pending[id] != o {
		return false
	}
	delete(c.pending, id)
	return true
}

// complete handles the client ending operation id.
func (c *conn) complete(id string) {
	c.mu.Lock()
	o := c.pending[id]
	delete(c.pending, id)
	c.mu.Unlock()
	if o != nil {
		o.stop()
	}
}

func (c *conn) running(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.pending[id]
	return ok
}

func (o *op) stop() {
	o.mu.Lock()
	o.gone = true
	st := o.stream
	o.mu.Unlock()
	o.cancel()
	if st != nil {
		st.Close()
	}
}
