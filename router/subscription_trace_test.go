package router_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/router"
	"github.com/cinegraph/cinegraph/router/compose"
	"github.com/cinegraph/cinegraph/router/tracing"
	"github.com/cinegraph/cinegraph/router/wire"
)

// oneEvent is a subgraph subscription that sends one event, with the
// extensions given, and then stays open.
type oneEvent struct{ extensions map[string]any }

func (o oneEvent) Open(ctx context.Context, _ string, _ *wire.SubgraphRequest, _ http.Header, emit func(*wire.SubgraphResponse)) error {
	ext := map[string]any{}
	for k, v := range o.extensions {
		ext[k] = v
	}
	emit(&wire.SubgraphResponse{Data: map[string]any{"messageAdded": map[string]any{"text": "hi"}}, Extensions: ext})
	<-ctx.Done()
	return nil
}

// firstResult subscribes over transport and returns the first result's
// JSON.
func firstResult(t *testing.T, srv *httptest.Server, transport string) string {
	t.Helper()
	const query = `subscription { messageAdded { text } }`
	switch transport {
	case "websocket":
		c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/graphql", http.Header{"Sec-WebSocket-Protocol": {"graphql-transport-ws"}})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		for _, m := range []map[string]any{{"type": "connection_init"}, {"type": "subscribe", "id": "1", "payload": map[string]any{"query": query}}} {
			if err := c.WriteJSON(m); err != nil {
				t.Fatal(err)
			}
		}
		for {
			var m struct {
				Type    string          `json:"type"`
				Payload json.RawMessage `json:"payload"`
			}
			if err := c.ReadJSON(&m); err != nil {
				t.Fatal(err)
			}
			if m.Type == "next" {
				return string(m.Payload)
			}
		}
	case "sse":
		body, _ := json.Marshal(map[string]string{"query": query})
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "text/event-stream")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				return data
			}
		}
		t.Fatalf("no event: %v", sc.Err())
	}
	t.Fatalf("unknown transport %s", transport)
	return ""
}

// A subscription event whose subgraph sent the trace context it was
// produced under (a chat message's post) continues that trace through the
// router: the event's span is a child of the subgraph's, the write to the
// client a child of the event's, and the client never sees the keys.
func TestSubscriptionEventContinuesItsTrace(t *testing.T) {
	t.Parallel()
	sdl, err := compose.Compose([]compose.Subgraph{{Name: "chat", URL: "http://chat.invalid/graphql", SDL: `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Message { text: String! }
type Query { ping: String }
type Subscription { messageAdded: Message! }
`}})
	if err != nil {
		t.Fatal(err)
	}
	produced := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{7, 7, 7}, SpanID: trace.SpanID{8, 8, 8}, TraceFlags: trace.FlagsSampled, Remote: true,
	})
	traceparent := "00-" + produced.TraceID().String() + "-" + produced.SpanID().String() + "-01"
	tests := []struct {
		name       string
		transport  string
		extensions map[string]any
		tracingOn  bool
		// continued: the event's span is a child of produced.
		continued bool
	}{
		{name: "websocket, traced", transport: "websocket", extensions: map[string]any{"traceparent": traceparent, "tracestate": "k=v"}, tracingOn: true, continued: true},
		{name: "sse, traced", transport: "sse", extensions: map[string]any{"traceparent": traceparent}, tracingOn: true, continued: true},
		{name: "no context sent", transport: "websocket", tracingOn: true},
		{name: "malformed context", transport: "sse", extensions: map[string]any{"traceparent": "00-nonsense"}, tracingOn: true},
		{name: "router not tracing", transport: "websocket", extensions: map[string]any{"traceparent": traceparent}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := tracetest.NewSpanRecorder()
			exporter := config.TracingNone
			if tc.tracingOn {
				exporter = config.TracingOTLPHTTP
			}
			p := provider(t, exporter, 1, rec)
			rt, err := router.New(router.Config{
				SupergraphSDL: sdl,
				// Even an operator passing every extension on must not
				// hand the trace context to clients.
				PropagateExtensions: []string{tracing.EventTraceParent, tracing.EventTraceState},
				Tracing:             tracing.New(p.TracerProvider(), p.Propagator(), tracing.Options{}),
				Subscriptions:       router.SubscriptionConfig{Upstream: oneEvent{extensions: tc.extensions}},
			})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(rt)
			defer srv.Close()
			if got := firstResult(t, srv, tc.transport); got != `{"data":{"messageAdded":{"text":"hi"}}}` {
				t.Errorf("client got %s", got)
			}
			srv.CloseClientConnections()
			// The write span ends after the client has the result, the
			// request's when its stream or socket closes.
			var spans spanTree
			deadline := time.Now().Add(3 * time.Second)
			for {
				spans = spanTree{t: t, spans: rec.Ended()}
				if !tc.tracingOn || (len(spans.all(tracing.SpanWrite)) > 0 && requestSpan(spans) != nil) || time.Now().After(deadline) {
					break
				}
				time.Sleep(5 * time.Millisecond)
			}
			if !tc.tracingOn {
				if len(spans.spans) != 0 {
					t.Errorf("spans recorded with tracing off: %v", spans.names())
				}
				return
			}
			event, write := spans.one(tracing.SpanEvent), spans.one(tracing.SpanWrite)
			spans.childOf(write, event)
			if v := attr(write, tracing.AttrTransport).AsString(); v != tc.transport {
				t.Errorf("write span transport %q, want %q", v, tc.transport)
			}
			if tc.continued {
				if event.Parent().SpanID() != produced.SpanID() || event.SpanContext().TraceID() != produced.TraceID() {
					t.Errorf("event span's parent %v, want the subgraph's span %v", event.Parent(), produced)
				}
				if tc.extensions["tracestate"] != nil && event.SpanContext().TraceState().String() != "k=v" {
					t.Errorf("tracestate %q, want k=v", event.SpanContext().TraceState())
				}
			} else if event.Parent().IsValid() {
				t.Errorf("event span has parent %v, want a trace of its own", event.Parent())
			}
			if links := event.Links(); len(links) != 1 {
				t.Errorf("event span links %v, want the subscribing request's span", links)
			} else if req := requestSpan(spans); req == nil || links[0].SpanContext.SpanID() != req.SpanContext().SpanID() {
				t.Errorf("event span links %v, want the subscribing request's span", links)
			}
		})
	}
}

// requestSpan is the router's server span of the subscribing request.
func requestSpan(s spanTree) sdktrace.ReadOnlySpan {
	for _, sp := range s.spans {
		if sp.SpanKind() == trace.SpanKindServer {
			return sp
		}
	}
	return nil
}
