package gqlserver

import (
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// tickSchema is a schema whose only subscription sends one event and then
// runs until its client leaves.
func tickSchema() graphql.ExecutableSchema {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: `
		type Query { ok: Boolean }
		type Subscription { tick: Int }
	`})
	return &graphql.ExecutableSchemaMock{
		SchemaFunc: func() *ast.Schema { return schema },
		ComplexityFunc: func(context.Context, string, string, int, map[string]any) (int, bool) {
			return 0, false
		},
		ExecFunc: func(ctx context.Context) graphql.ResponseHandler {
			sent := false
			return func(ctx context.Context) *graphql.Response {
				if !sent {
					sent = true
					return &graphql.Response{Data: []byte(`{"tick":1}`)}
				}
				<-ctx.Done()
				return nil
			}
		},
	}
}

// TestShutdownClosesWebsocketsWith1012 checks both protocols: a subgraph's
// websocket, with a subscription running, closes with 1012 and the reason
// when its http.Server shuts down.
func TestShutdownClosesWebsocketsWith1012(t *testing.T) {
	t.Parallel()
	tests := []struct {
		protocol  string
		subscribe map[string]any
		next      string
	}{
		{"graphql-transport-ws", map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": "subscription { tick }"}}, "next"},
		{"graphql-ws", map[string]any{"id": "1", "type": "start", "payload": map[string]any{"query": "subscription { tick }"}}, "data"},
	}
	for _, tc := range tests {
		t.Run(tc.protocol, func(t *testing.T) {
			t.Parallel()
			h := New(tickSchema(), Options{Name: "test", Logger: slog.New(slog.DiscardHandler)})
			srv := httptest.NewServer(h)
			t.Cleanup(srv.Close)
			d := websocket.Dialer{Subprotocols: []string{tc.protocol}, HandshakeTimeout: 5 * time.Second}
			conn, _, err := d.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			read := func(want string) {
				t.Helper()
				for {
					var m struct{ Type string }
					if err := conn.ReadJSON(&m); err != nil {
						t.Fatalf("waiting for %s: %v", want, err)
					}
					if m.Type == want {
						return
					}
				}
			}
			if err := conn.WriteJSON(map[string]any{"type": "connection_init"}); err != nil {
				t.Fatal(err)
			}
			read("connection_ack")
			if err := conn.WriteJSON(tc.subscribe); err != nil {
				t.Fatal(err)
			}
			read(tc.next)

			shutdown := make(chan error, 1)
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				shutdown <- srv.Config.Shutdown(ctx)
			}()
			for {
				_, _, err := conn.ReadMessage()
				if err == nil {
					continue
				}
				var ce *websocket.CloseError
				if !errors.As(err, &ce) || ce.Code != CloseServiceRestart || ce.Text != ShutdownReason {
					t.Fatalf("socket ended with %v, want close 1012 %q", err, ShutdownReason)
				}
				break
			}
			if err := <-shutdown; err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestSocketsKeepOptionalInterfaces: gqlgen enforces its read limit and pong
// timeout only on connections with these methods.
func TestSocketsKeepOptionalInterfaces(t *testing.T) {
	t.Parallel()
	var c transport.WebsocketConn = &socket{}
	if _, ok := c.(transport.WebsocketReadLimiter); !ok {
		t.Error("a tracked socket lost SetReadLimit")
	}
	if _, ok := c.(transport.WebsocketReadDeadliner); !ok {
		t.Error("a tracked socket lost SetReadDeadline")
	}
}
