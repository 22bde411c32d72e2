package insights_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/embedded"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/internal/telemetry"
	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"
	"github.com/cinegraph/cinegraph/subgraphs/insights"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
)

// nextPayload opens a graphql-transport-ws subscription to url and
// returns the payload of its first next message, extensions included
// (gqlgen's client reads only data); publish runs once it is subscribed.
func nextPayload(t *testing.T, url, query string, vars map[string]any, subscribed func() bool, publish func()) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(url, "http"), &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer conn.CloseNow()
	read := func() map[string]any {
		for {
			var m map[string]any
			if err := wsjson.Read(ctx, conn, &m); err != nil {
				t.Fatalf("read: %v", err)
			}
			if m["type"] != "ping" && m["type"] != "pong" {
				return m
			}
		}
	}
	if err := wsjson.Write(ctx, conn, map[string]any{"type": "connection_init", "payload": viewertest.InitPayload("profile-1")}); err != nil {
		t.Fatal(err)
	}
	if m := read(); m["type"] != "connection_ack" {
		t.Fatalf("got %v, want connection_ack", m)
	}
	if err := wsjson.Write(ctx, conn, map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": query, "variables": vars}}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the subscription to reach the hub", subscribed)
	publish()
	m := read()
	if m["type"] != "next" {
		t.Fatalf("got %v, want a next message", m)
	}
	payload, _ := m["payload"].(map[string]any)
	return payload
}

// TestInsightContinuesTheMessagesTrace follows a chat message's event
// from the bus: the consumer's process span continues the trace its
// headers carry, the insight is published in a send span under it, and
// the insightAdded event's extensions carry the delivery span's trace
// context, in that same trace; with tracing off, no extensions.
func TestInsightContinuesTheMessagesTrace(t *testing.T) {
	t.Parallel()
	post := trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{0xab, 1}, SpanID: trace.SpanID{0xcd, 2}, TraceFlags: trace.FlagsSampled})
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
			rec := tracetest.NewSpanRecorder()
			p, err := telemetry.New(context.Background(), config.Tracing{Exporter: tc.exporter, SamplingRatio: 1}, "test", telemetry.WithSpanProcessor(rec))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			bus, err := embedded.OpenWith(context.Background(), filepath.Join(dir, "events.db"), embedded.Options{Tracing: p})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = bus.Close() })
			sg := open(t, insights.Options{DataDir: dir, Bus: bus, Tracing: p})
			srv := httptest.NewServer(viewertest.Handler(sg.Handler()))
			t.Cleanup(srv.Close)

			titleID := fixture().Titles[0].ID
			room := seed.RoomID(titleID)
			ev := chatEvent(t, "traced-1", insightsservice.ChatMessagePosted{ID: "traced-1", RoomID: room, TitleID: titleID, AuthorID: "profile-2", Body: "What a wonderful scene!", SentAt: seed.Epoch()})
			// As the chat relay publishes it: with the posting request's
			// trace context, written with the outbox row.
			ev.Headers = map[string]string{events.HeaderTraceparent: "00-" + post.TraceID().String() + "-" + post.SpanID().String() + "-01"}

			payload := nextPayload(t, srv.URL, `subscription($room: ID!) { insightAdded(roomId: $room) { message { id } } }`, map[string]any{"room": room},
				func() bool { return sg.LiveSubscribers(room) == 1 },
				func() { publish(t, bus, ev) })
			ext, _ := payload["extensions"].(map[string]any)
			if tc.exporter == config.TracingNone {
				if _, ok := payload["extensions"]; ok {
					t.Fatalf("extensions %v with tracing off", payload["extensions"])
				}
				return
			}
			tp, _ := ext[events.HeaderTraceparent].(string)
			sc := trace.SpanContextFromContext(propagation.TraceContext{}.Extract(context.Background(), propagation.MapCarrier{"traceparent": tp}))
			if sc.TraceID() != post.TraceID() {
				t.Fatalf("extensions %v: not in the message's trace %s", ext, post.TraceID())
			}
			// post → send chat.messages → process chat.messages → send
			// insights.results → deliver insightAdded
			parentOf := map[string]trace.SpanContext{}
			idOf := map[string]trace.SpanContext{}
			for _, s := range rec.Ended() {
				parentOf[s.Name()], idOf[s.Name()] = s.Parent(), s.SpanContext()
			}
			chain := []struct{ span, parent string }{
				{"send " + events.TopicChatMessages, ""},
				{"process " + events.TopicChatMessages, "send " + events.TopicChatMessages},
				{"send " + events.TopicInsights, "process " + events.TopicChatMessages},
				{"deliver insightAdded", "send " + events.TopicInsights},
			}
			for _, link := range chain {
				want := post.SpanID()
				if link.parent != "" {
					want = idOf[link.parent].SpanID()
				}
				if got := parentOf[link.span]; got.SpanID() != want || idOf[link.span].TraceID() != post.TraceID() {
					t.Fatalf("%s has parent %v, want %s in trace %s (spans %v)", link.span, got, want, post.TraceID(), idOf)
				}
			}
			if idOf["deliver insightAdded"].SpanID() != sc.SpanID() {
				t.Fatalf("traceparent %s does not name the delivery span %v", tp, idOf["deliver insightAdded"])
			}
		})
	}
}
