package ws_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/router/transport/ws"
	"github.com/cinegraph/cinegraph/router/wire"
	"github.com/gorilla/websocket"
)

func TestLegacyProtocol(t *testing.T) {
	t.Parallel()
	t.Run("ack, keep-alive, data, complete from the server", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, func(s *ws.Server) { s.KeepAlive = time.Hour })
		c := f.dial(t, ws.ProtocolLegacy)
		c.send(`{"type":"connection_init","payload":{}}`)
		c.expect("connection_ack")
		c.expect("ka")
		c.send(`{"id":"1","type":"start","payload":{"query":"subscription{a}"}}`)
		waitFor(t, "subscribed", func() bool { return f.manager.Clients() == 1 })
		f.upstream.feed <- &wire.SubgraphResponse{Data: map[string]any{"a": "x"}}
		if m := c.expect("data"); m.ID != "1" || string(m.Payload) != `{"data":{"a":"x"}}` {
			t.Fatalf("data %s %s", m.ID, m.Payload)
		}
		close(f.upstream.feed)
		c.expect("complete")
	})
	t.Run("stop from the client", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		c := f.dial(t, ws.ProtocolLegacy)
		c.send(`{"type":"connection_init"}`)
		c.expect("connection_ack")
		c.send(`{"id":"1","type":"start","payload":{"query":"subscription{a}"}}`)
		waitFor(t, "subscribed", func() bool { return f.manager.Clients() == 1 })
		c.send(`{"id":"1","type":"stop"}`)
		waitFor(t, "upstream closed", func() bool { _, cl := f.upstream.counts(); return cl == 1 })
	})
	t.Run("restart under the same id replaces the operation", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		c := f.dial(t, ws.ProtocolLegacy)
		c.send(`{"type":"connection_init"}`)
		c.expect("connection_ack")
		c.send(`{"id":"1","type":"start","payload":{"query":"subscription{a}"}}`)
		waitFor(t, "subscribed", func() bool { return f.manager.Clients() == 1 })
		c.send(`{"id":"1","type":"start","payload":{"query":"query{ok}"}}`)
		if m := c.expect("data"); string(m.Payload) != `{"data":{"ok":true}}` {
			t.Fatalf("data %s", m.Payload)
		}
		c.expect("complete")
		waitFor(t, "first upstream closed", func() bool { _, cl := f.upstream.counts(); return cl == 1 })
	})
	t.Run("invalid message is an error, not a close", func(t *testing.T) {
		t.Parallel()
		c := newFixture(t, nil).dial(t, ws.ProtocolLegacy)
		c.send(`{"type":"connection_init"}`)
		c.expect("connection_ack")
		c.send(`{"type":"subscribe"}`)
		c.expect("error")
		c.send(`{"id":"2","type":"start","payload":{"query":"bad"}}`)
		if m := c.expect("error"); m.ID != "2" || !strings.Contains(string(m.Payload), "Cannot query field") {
			t.Fatalf("error %s %s", m.ID, m.Payload)
		}
	})
	t.Run("refused connection", func(t *testing.T) {
		t.Parallel()
		c := newFixture(t, func(s *ws.Server) {
			s.OnConnect = func(context.Context, *http.Request, map[string]any) (http.Header, error) { return nil, ws.ErrForbidden }
		}).dial(t, ws.ProtocolLegacy)
		c.send(`{"type":"connection_init"}`)
		c.expect("connection_error")
		if code, _ := c.closeCode(); code != ws.CloseForbidden {
			t.Fatalf("close code %d", code)
		}
	})
	t.Run("init timeout", func(t *testing.T) {
		t.Parallel()
		c := newFixture(t, func(s *ws.Server) { s.InitTimeout = 50 * time.Millisecond }).dial(t, ws.ProtocolLegacy)
		if code, _ := c.closeCode(); code != ws.CloseInitTimeout {
			t.Fatalf("close code %d", code)
		}
	})
	t.Run("connection_terminate", func(t *testing.T) {
		t.Parallel()
		c := newFixture(t, nil).dial(t, ws.ProtocolLegacy)
		c.send(`{"type":"connection_init"}`)
		c.expect("connection_ack")
		c.send(`{"type":"connection_terminate"}`)
		if code, _ := c.closeCode(); code != websocket.CloseNormalClosure {
			t.Fatalf("close code %d", code)
		}
	})
	t.Run("shutdown closes with 1012", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		c := f.dial(t, ws.ProtocolLegacy)
		c.send(`{"type":"connection_init"}`)
		c.expect("connection_ack")
		waitFor(t, "tracked", func() bool { return f.srv.Connections() == 1 })
		f.srv.Shutdown()
		if code, _ := c.closeCode(); code != websocket.CloseServiceRestart {
			t.Fatalf("close code %d, want 1012", code)
		}
	})
}
