package ws_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/router/request"
	"github.com/cinegraph/cinegraph/router/subscription"
	"github.com/cinegraph/cinegraph/router/transport/ws"
	"github.com/cinegraph/cinegraph/router/wire"
	"github.com/gorilla/websocket"
)

// feedUpstream is a subgraph stand-in: every subscription it opens emits
// what the test sends on feed, and ends when feed closes (with err).
type feedUpstream struct {
	feed chan *wire.SubgraphResponse
	err  error

	mu     sync.Mutex
	opened int
	closed int
}

func (u *feedUpstream) Open(ctx context.Context, _ string, _ *wire.SubgraphRequest, _ http.Header, emit func(*wire.SubgraphResponse)) error {
	u.mu.Lock()
	u.opened++
	u.mu.Unlock()
	defer func() {
		u.mu.Lock()
		u.closed++
		u.mu.Unlock()
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev, ok := <-u.feed:
			if !ok {
				return u.err
			}
			emit(ev)
		}
	}
}

func (u *feedUpstream) counts() (opened, closed int) {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.opened, u.closed
}

// testSubscriber answers "bad" with a rejection, queries with one result
// and anything else with the shared feed.
type testSubscriber struct{ m *subscription.Manager }

func (s testSubscriber) Subscribe(_ context.Context, req *request.Request) (*subscription.Stream, *subscription.Refusal) {
	switch {
	case req.Query == "bad":
		return nil, &subscription.Refusal{Response: &wire.Response{Errors: []*wire.Error{{Message: "Cannot query field bad", Extensions: map[string]any{"code": "BAD_USER_INPUT"}}}}, Outcome: request.Rejected}
	case strings.HasPrefix(req.Query, "query"):
		return subscription.Single(json.RawMessage(`{"data":{"ok":true}}`)), nil
	}
	return s.m.Subscribe(subscription.Source{
		Key:     req.Query,
		Request: &wire.SubgraphRequest{Query: req.Query},
		Complete: func(_ context.Context, ev *wire.SubgraphResponse) subscription.Result {
			raw, _ := json.Marshal(map[string]any{"data": ev.Data})
			return subscription.Result{Payload: raw}
		},
	}), nil
}

type fixture struct {
	srv      *ws.Server
	upstream *feedUpstream
	manager  *subscription.Manager
	url      string
}

func newFixture(t *testing.T, configure func(*ws.Server)) *fixture {
	t.Helper()
	return newBufferedFixture(t, 4, configure)
}

func newBufferedFixture(t *testing.T, buffer int, configure func(*ws.Server)) *fixture {
	t.Helper()
	up := &feedUpstream{feed: make(chan *wire.SubgraphResponse)}
	m := subscription.NewManager(up, buffer, nil)
	srv := &ws.Server{Subscriber: testSubscriber{m: m}, KeepAlive: -1}
	if configure != nil {
		configure(srv)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &fixture{srv: srv, upstream: up, manager: m, url: "ws" + strings.TrimPrefix(hs.URL, "http")}
}

type client struct {
	t    *testing.T
	conn *websocket.Conn
}

func (f *fixture) dial(t *testing.T, protocol string) *client {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{protocol}, HandshakeTimeout: 2 * time.Second}
	conn, _, err := d.Dial(f.url, nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return &client{t: t, conn: conn}
}

func (c *client) send(raw string) {
	c.t.Helper()
	if err := c.conn.WriteMessage(websocket.TextMessage, []byte(raw)); err != nil {
		c.t.Fatalf("send %s: %v", raw, err)
	}
}

type received struct {
	ID      string          `json:"id"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload"`
}

// next reads one message, failing the test on close or timeout.
func (c *client) next() received {
	c.t.Helper()
	_ = c.conn.SetReadDeadline(time.Now().Add(3 * time.Second))
	_, raw, err := c.conn.ReadMessage()
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	var m received
	if err := json.Unmarshal(raw, &m); err != nil {
		c.t.Fatalf("decode %s: %v", raw, err)
	}
	return m
}

func (c *client) expect(typ string) received {
	c.t.Helper()
	m := c.next()
	if m.Type != typ {
		c.t.Fatalf("got message %s (%s), want %s", m.Type, m.Payload, typ)
	}
	return m
}

// closeCode reads until the socket closes and returns the close code.
func (c *client) closeCode() (int, string) {
	c.t.Helper()
	_ = c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, _, err := c.conn.ReadMessage()
		if err == nil {
			continue
		}
		if ce, ok := err.(*websocket.CloseError); ok {
			return ce.Code, ce.Text
		}
		c.t.Fatalf("socket ended without a close frame: %v", err)
	}
}

// waitFor polls cond for up to 3 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
