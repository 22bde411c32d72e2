package chat

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/embedded"
	"github.com/cinegraph/cinegraph/internal/telemetry"
	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"
	"github.com/cinegraph/cinegraph/subgraphs/chat/store/chatsqlite"
)

// wsMessage is a graphql-transport-ws message as the subgraph writes it.
type wsMessage struct {
	ID      string `json:"id,omitempty"`
	Type    string `json:"type"`
	Payload struct {
		Data       map[string]any `json:"data"`
		Errors     []any          `json:"errors"`
		Extensions map[string]any `json:"extensions"`
	} `json:"payload"`
}

// rawSubscription is a subscription over a websocket read message by
// message, extensions included (gqlgen's client reads only data).
type rawSubscription struct {
	conn *websocket.Conn
}

func subscribeRaw(t *testing.T, url, query string, vars map[string]any) *rawSubscription {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(url, "http"), &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { _ = conn.CloseNow() })
	if err := wsjson.Write(ctx, conn, map[string]any{"type": "connection_init", "payload": viewertest.InitPayload("profile-4")}); err != nil {
		t.Fatal(err)
	}
	s := &rawSubscription{conn: conn}
	if m := s.read(t, ctx); m.Type != "connection_ack" {
		t.Fatalf("got %q, want connection_ack", m.Type)
	}
	if err := wsjson.Write(ctx, conn, map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": query, "variables": vars}}); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *rawSubscription) read(t *testing.T, ctx context.Context) wsMessage {
	t.Helper()
	for {
		var m wsMessage
		if err := wsjson.Read(ctx, s.conn, &m); err != nil {
			t.Fatalf("read: %v", err)
		}
		if m.Type == "ping" || m.Type == "pong" || m.Type == "ka" {
			continue
		}
		return m
	}
}

// next is the payload of the next event.
func (s *rawSubscription) next(t *testing.T) wsMessage {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m := s.read(t, ctx)
	if m.Type != "next" {
		t.Fatalf("got a %q message, want next", m.Type)
	}
	return m
}

// TestSubscriptionContinuesThePostsTrace follows one message: the post
// (continuing the router's trace), the outbox, the relay's publish, the
// hub and the subscription's next message, whose extensions carry the
// trace context of the delivery, in the post's trace, with tracing on and
// nothing with tracing off.
func TestSubscriptionContinuesThePostsTrace(t *testing.T) {
	t.Parallel()
	routerTrace := trace.TraceID{0xca, 0xfe, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}
	routerSpan := trace.SpanID{0xbe, 0xef, 1, 2, 3, 4, 5, 6}
	traceparent := "00-" + routerTrace.String() + "-" + routerSpan.String() + "-01"
	cases := []struct {
		name     string
		exporter string
	}{
		{"tracing on", config.TracingOTLPGRPC},
		{"tracing off", config.TracingNone},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			rec := tracetest.NewSpanRecorder()
			p, err := telemetry.New(ctx, config.Tracing{Exporter: tc.exporter, SamplingRatio: 1}, "test", telemetry.WithSpanProcessor(rec))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			bus, err := embedded.OpenWith(ctx, filepath.Join(dir, "events.db"), embedded.Options{Tracing: p})
			if err != nil {
				t.Fatal(err)
			}
			store, err := chatsqlite.Open(ctx, filepath.Join(dir, chatsqlite.FileName))
			if err != nil {
				t.Fatal(err)
			}
			sg, err := open(ctx, store, Options{DataDir: dir, Bus: bus, Logger: slog.New(slog.DiscardHandler)}, tuning{tracing: p})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				_ = sg.Close()
				_ = bus.Close()
			})
			srv := httptest.NewServer(viewertest.Handler(sg.Handler()))
			t.Cleanup(srv.Close)

			room := facts().fixture.Rooms[3]
			sub := subscribeRaw(t, srv.URL, `subscription($room: ID!) { messageAdded(roomId: $room) { id body } }`, map[string]any{"room": room.ID})
			waitFor(t, "the subscription to reach the hub", func() bool { return sg.hub.Subscribers(room.ID) == 1 })

			c := viewertest.Client(sg.Handler(), viewertest.As("profile-2"))
			resp, err := c.RawPost(postMutation, client.Var("room", room.ID), client.Var("body", "traced"),
				func(r *client.Request) { r.HTTP.Header.Set("traceparent", traceparent) })
			if err != nil || len(resp.Errors) > 0 {
				t.Fatalf("post: %v %s", err, resp.Errors)
			}
			if len(resp.Extensions) > 0 {
				t.Fatalf("a mutation's response has extensions %v; only subscription events carry trace context", resp.Extensions)
			}

			got := sub.next(t)
			if body := got.Payload.Data["messageAdded"].(map[string]any)["body"]; body != "traced" {
				t.Fatalf("event %v, want the posted message", got.Payload.Data)
			}
			ext := got.Payload.Extensions
			if tc.exporter == config.TracingNone {
				if ext != nil {
					t.Fatalf("extensions %v with tracing off, want none", ext)
				}
				if n := len(rec.Ended()); n != 0 {
					t.Fatalf("%d spans recorded with tracing off", n)
				}
				return
			}
			tp, _ := ext[events.HeaderTraceparent].(string)
			sc := trace.SpanContextFromContext(propagation.TraceContext{}.Extract(ctx, propagation.MapCarrier{"traceparent": tp}))
			if !sc.IsValid() || sc.TraceID() != routerTrace {
				t.Fatalf("extensions %v: traceparent %q is not in the post's trace %s", ext, tp, routerTrace)
			}
			if _, ok := ext[events.HeaderTracestate]; ok {
				t.Fatalf("extensions %v carry an empty tracestate", ext)
			}
			if len(ext) != 1 {
				t.Fatalf("extensions %v, want traceparent alone", ext)
			}
			// The traceparent names the delivery span, a child of the
			// relay's send in the post's trace.
			byID := map[trace.SpanID]string{}
			var deliver, send trace.SpanContext
			var deliverParent, sendParent trace.SpanContext
			for _, s := range rec.Ended() {
				byID[s.SpanContext().SpanID()] = s.Name()
				switch s.Name() {
				case "deliver messageAdded":
					deliver, deliverParent = s.SpanContext(), s.Parent()
				case "send " + events.TopicChatMessages:
					if s.SpanKind() != trace.SpanKindProducer {
						t.Errorf("send span kind %v", s.SpanKind())
					}
					send, sendParent = s.SpanContext(), s.Parent()
				}
			}
			if deliver.SpanID() != sc.SpanID() || deliver.TraceID() != routerTrace {
				t.Fatalf("traceparent %q names no delivery span of the trace (spans %v)", tp, byID)
			}
			if send.TraceID() != routerTrace || sendParent.TraceID() != routerTrace {
				t.Fatalf("the relay's send span %v (parent %v) is not in the post's trace", send, sendParent)
			}
			// The relay sends the event in a child of the post's context
			// (written with the outbox row) and passes the send on: the
			// delivery is the send's child.
			if byID[sendParent.SpanID()] != "Mutation.postMessage" {
				t.Fatalf("send's parent %s (%s), want the post's resolver", sendParent.SpanID(), byID[sendParent.SpanID()])
			}
			if deliverParent.SpanID() != send.SpanID() {
				t.Fatalf("delivery's parent %s (%s), want the send %s",
					deliverParent.SpanID(), byID[deliverParent.SpanID()], send.SpanID())
			}
		})
	}
}
