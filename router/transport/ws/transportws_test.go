package ws_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/router/transport/ws"
	"github.com/cinegraph/cinegraph/router/wire"
	"github.com/gorilla/websocket"
)

func TestTransportWSCloseCodes(t *testing.T) {
	t.Parallel()
	refuse := func(err error) func(*ws.Server) {
		return func(s *ws.Server) {
			s.OnConnect = func(context.Context, *http.Request, map[string]any) (http.Header, error) { return nil, err }
		}
	}
	tests := []struct {
		name      string
		configure func(*ws.Server)
		script    []string // sent in order; connection_ack is read after each connection_init that succeeds
		acked     bool
		wantCode  int
	}{
		{name: "init timeout", configure: func(s *ws.Server) { s.InitTimeout = 50 * time.Millisecond }, wantCode: ws.CloseInitTimeout},
		{name: "unauthorized hook", configure: refuse(ws.ErrUnauthorized), script: []string{`{"type":"connection_init"}`}, wantCode: ws.CloseUnauthorized},
		{name: "forbidden hook", configure: refuse(ws.ErrForbidden), script: []string{`{"type":"connection_init"}`}, wantCode: ws.CloseForbidden},
		{name: "subscribe before ack", script: []string{`{"id":"1","type":"subscribe","payload":{"query":"subscription{a}"}}`}, wantCode: ws.CloseUnauthorized},
		{name: "too many init requests", script: []string{`{"type":"connection_init"}`, `{"type":"connection_init"}`}, acked: true, wantCode: ws.CloseTooManyInitRequests},
		{name: "duplicate subscriber id", script: []string{`{"type":"connection_init"}`, `{"id":"1","type":"subscribe","payload":{"query":"subscription{a}"}}`, `{"id":"1","type":"subscribe","payload":{"query":"subscription{a}"}}`}, acked: true, wantCode: ws.CloseSubscriberExists},
		{name: "not json", script: []string{`{"type":`}, wantCode: ws.CloseInvalidMessage},
		{name: "no type", script: []string{`{"id":"1"}`}, wantCode: ws.CloseInvalidMessage},
		{name: "unknown type", script: []string{`{"type":"start"}`}, wantCode: ws.CloseInvalidMessage},
		{name: "subscribe without id", script: []string{`{"type":"connection_init"}`, `{"type":"subscribe","payload":{"query":"subscription{a}"}}`}, acked: true, wantCode: ws.CloseInvalidMessage},
		{name: "subscribe without query", script: []string{`{"type":"connection_init"}`, `{"id":"1","type":"subscribe","payload":{}}`}, acked: true, wantCode: ws.CloseInvalidMessage},
		{name: "message too big", configure: func(s *ws.Server) { s.MaxMessageBytes = 64 }, script: []string{`{"type":"connection_init","payload":{"x":"` + strings.Repeat("a", 100) + `"}}`}, wantCode: websocket.CloseMessageTooBig},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, tc.configure)
			c := f.dial(t, ws.ProtocolTransportWS)
			for i, m := range tc.script {
				c.send(m)
				if i == 0 && tc.acked {
					c.expect("connection_ack")
				}
			}
			if code, reason := c.closeCode(); code != tc.wantCode {
				t.Fatalf("close code %d (%q), want %d", code, reason, tc.wantCode)
			}
		})
	}
}

func TestTransportWSLifecycle(t *testing.T) {
	t.Parallel()
	t.Run("ping pong", func(t *testing.T) {
		t.Parallel()
		c := newFixture(t, nil).dial(t, ws.ProtocolTransportWS)
		c.send(`{"type":"connection_init"}`)
		c.expect("connection_ack")
		c.send(`{"type":"ping"}`)
		c.expect("pong")
	})
	t.Run("server keep-alive pings", func(t *testing.T) {
		t.Parallel()
		c := newFixture(t, func(s *ws.Server) { s.KeepAlive = 20 * time.Millisecond }).dial(t, ws.ProtocolTransportWS)
		c.send(`{"type":"connection_init"}`)
		c.expect("connection_ack")
		c.expect("ping")
		c.send(`{"type":"pong"}`)
		c.expect("ping")
	})
	t.Run("next then complete from the server", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		c := f.dial(t, ws.ProtocolTransportWS)
		c.send(`{"type":"connection_init","payload":{"profile":"p1"}}`)
		c.expect("connection_ack")
		c.send(`{"id":"s1","type":"subscribe","payload":{"query":"subscription{a}"}}`)
		waitFor(t, "upstream open", func() bool { o, _ := f.upstream.counts(); return o == 1 })
		f.upstream.feed <- &wire.SubgraphResponse{Data: map[string]any{"a": 1}}
		m := c.expect("next")
		if m.ID != "s1" || string(m.Payload) != `{"data":{"a":1}}` {
			t.Fatalf("next = %s %s", m.ID, m.Payload)
		}
		close(f.upstream.feed)
		if m := c.expect("complete"); m.ID != "s1" {
			t.Fatalf("complete for %q", m.ID)
		}
	})
	t.Run("upstream failure is an error result then complete", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		f.upstream.err = context.DeadlineExceeded
		c := f.dial(t, ws.ProtocolTransportWS)
		c.send(`{"type":"connection_init"}`)
		c.expect("connection_ack")
		c.send(`{"id":"s1","type":"subscribe","payload":{"query":"subscription{a}"}}`)
		waitFor(t, "upstream open", func() bool { o, _ := f.upstream.counts(); return o == 1 })
		close(f.upstream.feed)
		m := c.expect("next")
		if !strings.Contains(string(m.Payload), `"errors"`) {
			t.Fatalf("next payload %s has no errors", m.Payload)
		}
		c.expect("complete")
	})
	t.Run("complete from the client stops the upstream", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		c := f.dial(t, ws.ProtocolTransportWS)
		c.send(`{"type":"connection_init"}`)
		c.expect("connection_ack")
		c.send(`{"id":"s1","type":"subscribe","payload":{"query":"subscription{a}"}}`)
		waitFor(t, "upstream open", func() bool { o, _ := f.upstream.counts(); return o == 1 })
		c.send(`{"id":"s1","type":"complete"}`)
		waitFor(t, "upstream close", func() bool { _, cl := f.upstream.counts(); return cl == 1 })
		// The id is free again, and the connection still works.
		c.send(`{"id":"s1","type":"subscribe","payload":{"query":"query{ok}"}}`)
		if m := c.expect("next"); string(m.Payload) != `{"data":{"ok":true}}` {
			t.Fatalf("query result %s", m.Payload)
		}
		c.expect("complete")
	})
	t.Run("rejected operation is an error message", func(t *testing.T) {
		t.Parallel()
		c := newFixture(t, nil).dial(t, ws.ProtocolTransportWS)
		c.send(`{"type":"connection_init"}`)
		c.expect("connection_ack")
		c.send(`{"id":"x","type":"subscribe","payload":{"query":"bad"}}`)
		m := c.expect("error")
		var errs []map[string]any
		if err := json.Unmarshal(m.Payload, &errs); err != nil || len(errs) != 1 || m.ID != "x" {
			t.Fatalf("error message %s %s", m.ID, m.Payload)
		}
	})
	t.Run("too many subscriptions", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, func(s *ws.Server) { s.MaxSubscriptions = 1 })
		c := f.dial(t, ws.ProtocolTransportWS)
		c.send(`{"type":"connection_init"}`)
		c.expect("connection_ack")
		c.send(`{"id":"1","type":"subscribe","payload":{"query":"subscription{a}"}}`)
		c.send(`{"id":"2","type":"subscribe","payload":{"query":"subscription{b}"}}`)
		if m := c.expect("error"); m.ID != "2" || !strings.Contains(string(m.Payload), "too many") {
			t.Fatalf("error %s %s", m.ID, m.Payload)
		}
	})
	t.Run("shutdown closes with 1012 and a reason", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		c := f.dial(t, ws.ProtocolTransportWS)
		c.send(`{"type":"connection_init"}`)
		c.expect("connection_ack")
		waitFor(t, "connection tracked", func() bool { return f.srv.Connections() == 1 })
		f.srv.Shutdown()
		if code, reason := c.closeCode(); code != websocket.CloseServiceRestart || reason != ws.ShutdownReason {
			t.Fatalf("close %d %q, want 1012 %q", code, reason, ws.ShutdownReason)
		}
		// A socket opened after Shutdown is refused before its upgrade.
		d := websocket.Dialer{Subprotocols: []string{ws.ProtocolTransportWS}, HandshakeTimeout: 2 * time.Second}
		conn, resp, err := d.Dial(f.url, nil)
		if err == nil {
			conn.Close()
			t.Fatal("a socket was accepted after Shutdown")
		}
		if resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("dial after Shutdown: %v %v, want HTTP 503", resp, err)
		}
	})
	t.Run("unknown subprotocol", func(t *testing.T) {
		t.Parallel()
		c := newFixture(t, nil).dial(t, "mqtt")
		if code, _ := c.closeCode(); code != ws.CloseSubprotocol {
			t.Fatalf("close code %d, want %d", code, ws.CloseSubprotocol)
		}
	})
}

func TestSlowClientIsDroppedWithoutStallingOthers(t *testing.T) {
	t.Parallel()
	// A write timeout longer than the test: the slow client is to be dropped
	// by its full buffer, not by a blocked write.
	f := newBufferedFixture(t, 64, func(s *ws.Server) { s.WriteTimeout = time.Minute })
	slow := f.dial(t, ws.ProtocolTransportWS)
	fast := f.dial(t, ws.ProtocolTransportWS)
	for _, c := range []*client{slow, fast} {
		c.send(`{"type":"connection_init"}`)
		c.expect("connection_ack")
		c.send(`{"id":"1","type":"subscribe","payload":{"query":"subscription{a}"}}`)
	}
	waitFor(t, "both clients subscribed", func() bool { return f.manager.Clients() == 2 })
	// The slow client never reads: its buffer (64) fills once the kernel's
	// socket buffers do (a few MiB on loopback), which padded results make
	// quick.
	big := strings.Repeat("x", 32<<10)
	const events = 600
	// The feed stays at most a few results ahead of the fast client, so
	// only the slow one can fall behind, however loaded the machine is.
	received := make(chan struct{}, events)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range events {
			if i >= 8 {
				<-received
			}
			f.upstream.feed <- &wire.SubgraphResponse{Data: map[string]any{"a": i, "pad": big}}
		}
	}()
	for i := range events {
		m := fast.expect("next")
		var p struct {
			Data struct{ A int } `json:"data"`
		}
		if err := json.Unmarshal(m.Payload, &p); err != nil || p.Data.A != i {
			t.Fatalf("fast client event %d: got %d (%v) %.300s", i, p.Data.A, err, m.Payload)
		}
		received <- struct{}{}
	}
	<-done
	// The slow client now reads: some results, then the too-slow error and
	// complete.
	for {
		m := slow.next()
		if m.Type == "complete" {
			t.Fatal("complete without the too-slow error")
		}
		if strings.Contains(string(m.Payload), "fell more than") {
			slow.expect("complete")
			return
		}
	}
}
