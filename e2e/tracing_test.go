package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/cinegraph/cinegraph/internal/enginetest"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/router/tracing"
)

// zipkinSpan is a span as Zipkin's API returns it.
type zipkinSpan struct {
	TraceID       string            `json:"traceId"`
	ID            string            `json:"id"`
	ParentID      string            `json:"parentId"`
	Kind          string            `json:"kind"`
	Name          string            `json:"name"`
	Timestamp     int64             `json:"timestamp"` // µs since the epoch
	Duration      int64             `json:"duration"`  // µs
	Tags          map[string]string `json:"tags"`
	LocalEndpoint struct {
		ServiceName string `json:"serviceName"`
	} `json:"localEndpoint"`
}

// zipkinTrace indexes one trace read back from Zipkin.
type zipkinTrace struct {
	t        *testing.T
	spans    []zipkinSpan
	children map[string][]zipkinSpan
}

func newZipkinTrace(t *testing.T, spans []zipkinSpan) zipkinTrace {
	tr := zipkinTrace{t: t, spans: spans, children: map[string][]zipkinSpan{}}
	for _, s := range spans {
		tr.children[s.ParentID] = append(tr.children[s.ParentID], s)
	}
	return tr
}

// child is the one child of parent the predicate accepts.
func (z zipkinTrace) child(parent zipkinSpan, what string, ok func(zipkinSpan) bool) zipkinSpan {
	z.t.Helper()
	var found []zipkinSpan
	for _, s := range z.children[parent.ID] {
		if ok(s) {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		z.t.Fatalf("%d children of %q (%s) are %s, want 1; its children: %v", len(found), parent.Name, parent.ID, what, z.names(z.children[parent.ID]))
	}
	return found[0]
}

// descendant is a span under parent, at any depth, the predicate accepts.
func (z zipkinTrace) descendant(parent zipkinSpan, what string, ok func(zipkinSpan) bool) zipkinSpan {
	z.t.Helper()
	queue := slices.Clone(z.children[parent.ID])
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if ok(s) {
			return s
		}
		queue = append(queue, z.children[s.ID]...)
	}
	z.t.Fatalf("no %s under %q; the trace: %v", what, parent.Name, z.names(z.spans))
	return zipkinSpan{}
}

func (z zipkinTrace) names(spans []zipkinSpan) []string {
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = s.Name + "<" + s.ParentID + ">" + s.ID
	}
	return out
}

func named(name string) func(zipkinSpan) bool {
	// Zipkin lower-cases span names.
	return func(s zipkinSpan) bool { return strings.EqualFold(s.Name, name) }
}

func tagged(key, value string) func(zipkinSpan) bool {
	return func(s zipkinSpan) bool { return s.Tags[key] == value }
}

func both(a, b func(zipkinSpan) bool) func(zipkinSpan) bool {
	return func(s zipkinSpan) bool { return a(s) && b(s) }
}

// readTrace polls Zipkin until the trace holds every span ready asks for
// (spans arrive in batches from each process) and returns it.
func readTrace(ctx context.Context, t *testing.T, zipkin, traceID string, ready func([]zipkinSpan) bool) []zipkinSpan {
	t.Helper()
	var spans []zipkinSpan
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, zipkin+"/api/v2/trace/"+traceID, nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			if resp.StatusCode == http.StatusOK {
				spans = nil
				err = json.NewDecoder(resp.Body).Decode(&spans)
			}
			resp.Body.Close()
		}
		if err == nil && ready(spans) {
			return spans
		}
		if time.Now().After(deadline) {
			names := make([]string, len(spans))
			for i, s := range spans {
				names[i] = s.Name
			}
			t.Fatalf("trace %s in Zipkin incomplete after 20 s (last error %v): %v", traceID, err, names)
		}
	}
}

// traceparent starts a client trace: the W3C header naming a new trace
// and the client's span in it.
func traceparent(t *testing.T) (header, traceID, spanID string) {
	t.Helper()
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	traceID, spanID = hex.EncodeToString(b[:16]), hex.EncodeToString(b[16:])
	return "00-" + traceID + "-" + spanID + "-01", traceID, spanID
}

// tracedServe starts cinegraph serve exporting every span to Zipkin,
// continuing the traces clients start, under a service name of its own.
func tracedServe(ctx context.Context, t *testing.T, bin, zipkin string) (*process, string) {
	t.Helper()
	service := fmt.Sprintf("cinegraph-e2e-%d", time.Now().UnixNano())
	env := []string{
		"CINEGRAPH_TRACING_EXPORTER=zipkin",
		"CINEGRAPH_TRACING_ENDPOINT=" + zipkin + "/api/v2/spans",
		"CINEGRAPH_TRACING_SERVICE_NAME=" + service,
		"CINEGRAPH_TRACING_ACCEPT_CLIENT_CONTEXT=true",
		// Export batches every 100 ms, not every 5 s.
		"OTEL_BSP_SCHEDULE_DELAY=100",
	}
	return start(ctx, t, bin, servingAt, env, "serve", "--listen", "127.0.0.1:0", "--data-dir", filepath.Join(t.TempDir(), "data")), service
}

// One federated query, exported by the real Zipkin exporter to a real
// Zipkin server and read back from its API, is one span tree: the
// router's request, its stages, the execution with one fetch per subgraph
// (catalog and chat, then video for the titles' videos), each
// subgraph's server span under its fetch, and the store calls under the
// subgraph's operation.
func TestFederatedQueryTraceInZipkin(t *testing.T) {
	bin := prepare(t)
	zipkin := enginetest.Zipkin(t)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	serve, service := tracedServe(ctx, t, bin, zipkin)

	header, traceID, clientSpan := traceparent(t)
	const query = `query TraceTree { title(id: "t0001") { name videos { id } } activeRooms(first: 2) { id } }`
	body, _ := json.Marshal(map[string]string{"query": query})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, serve.url+"/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Traceparent", header)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Data   map[string]any `json:"data"`
		Errors []any          `json:"errors"`
	}
	err = json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	if err != nil || len(out.Errors) > 0 || out.Data["title"] == nil {
		t.Fatalf("query: %v %v %v", err, out.Errors, out.Data)
	}

	storeSpans := func(spans []zipkinSpan) int {
		n := 0
		for _, s := range spans {
			if s.Tags["db.system.name"] != "" {
				n++
			}
		}
		return n
	}
	spans := readTrace(ctx, t, zipkin, traceID, func(spans []zipkinSpan) bool {
		fetches := 0
		for _, s := range spans {
			if strings.HasPrefix(s.Name, "fetch ") {
				fetches++
			}
		}
		return fetches == 3 && storeSpans(spans) >= 3
	})
	tr := newZipkinTrace(t, spans)
	for _, s := range spans {
		if s.LocalEndpoint.ServiceName != service {
			t.Errorf("span %q from service %q, want %q", s.Name, s.LocalEndpoint.ServiceName, service)
		}
	}
	root := tr.child(zipkinSpan{ID: clientSpan}, "the router's request", func(s zipkinSpan) bool { return s.Kind == "SERVER" })
	if root.Name != "post /graphql" || root.Tags["graphql.operation.name"] != "TraceTree" || root.Tags["http.response.status_code"] != "200" {
		t.Errorf("request span %q %v", root.Name, root.Tags)
	}
	for _, stage := range []string{"graphql.parse", "graphql.validate", "graphql.plan"} {
		tr.child(root, stage, named(stage))
	}
	exec := tr.child(root, "the execution", named("query tracetree"))
	fetch := map[string]zipkinSpan{}
	for _, sg := range []string{"catalog", "chat", "video"} {
		fetch[sg] = tr.child(exec, "the fetch from "+sg, both(named("fetch "+sg), func(s zipkinSpan) bool { return s.Kind == "CLIENT" }))
		server := tr.child(fetch[sg], sg+"'s server span", both(tagged("cinegraph.subgraph.name", sg), func(s zipkinSpan) bool { return s.Kind == "SERVER" }))
		op := tr.child(server, sg+"'s operation", func(s zipkinSpan) bool { return strings.HasPrefix(s.Name, "query") })
		store := tr.descendant(op, sg+"'s store call", tagged("db.system.name", "sqlite"))
		if store.Kind != "CLIENT" || store.Tags["db.operation.name"] == "" {
			t.Errorf("%s store span %q %s %v", sg, store.Name, store.Kind, store.Tags)
		}
	}
	// The video fetch needs the catalog's answer (the titles' keys), so it
	// starts once that fetch has ended.
	if v, c := fetch["video"], fetch["catalog"]; v.Timestamp < c.Timestamp+c.Duration {
		t.Errorf("the video fetch started before the catalog fetch it depends on ended")
	}
}

// One chat message, from the request that posts it to the websocket
// write that delivers it to another client, is one trace in Zipkin: the
// router's request and its fetch from chat, chat's operation storing the
// message with its outbox event, the event's send onto the bus, and from
// there two branches. One, chat's own messageAdded subscription: the
// delivery, the router's execution of the event and its websocket write.
// The other, the insights consumer scoring the message, its
// insights.results event, and the insightAdded delivery, event execution
// and websocket write.
func TestChatMessageTraceInZipkin(t *testing.T) {
	bin := prepare(t)
	zipkin := enginetest.Zipkin(t)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	serve, _ := tracedServe(ctx, t, bin, zipkin)
	var rooms struct {
		ActiveRooms []struct{ ID string } `json:"activeRooms"`
	}
	api(ctx, t, serve.url, `{ activeRooms(first: 1) { id } }`, nil, &rooms)
	if len(rooms.ActiveRooms) == 0 {
		t.Fatal("the seeded data has no chat room")
	}
	room := rooms.ActiveRooms[0].ID

	// The other client: one websocket, both subscriptions on the room.
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
	conn, _, err := d.DialContext(ctx, "ws"+strings.TrimPrefix(serve.url, "http")+"/graphql", nil)
	if err != nil {
		t.Fatalf("dial router: %v", err)
	}
	defer conn.Close()
	if err := conn.WriteJSON(map[string]any{"type": "connection_init"}); err != nil {
		t.Fatal(err)
	}
	var ack map[string]any
	if err := conn.ReadJSON(&ack); err != nil || ack["type"] != "connection_ack" {
		t.Fatalf("connection_ack: %v %v", ack, err)
	}
	for id, q := range map[string]string{
		"messages": `subscription($room: ID!) { messageAdded(roomId: $room) { id body } }`,
		"insights": `subscription($room: ID!) { insightAdded(roomId: $room) { message { id } sentiment { label } } }`,
	} {
		if err := conn.WriteJSON(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": q, "variables": map[string]any{"room": room}}}); err != nil {
			t.Fatal(err)
		}
	}
	type next struct {
		ID      string
		Type    string
		Payload struct {
			Data struct {
				MessageAdded *struct{ ID, Body string }
				InsightAdded *struct{ Message struct{ ID string } }
			}
			Errors []any
		}
	}
	// One reader for the socket: a read deadline would break the
	// connection for the reads after it.
	frames := make(chan next, 64)
	go func() {
		defer close(frames)
		for {
			var m next
			if err := conn.ReadJSON(&m); err != nil {
				return
			}
			frames <- m
		}
	}()
	// received waits for both deliveries of the message with body, giving
	// up (false) after wait.
	received := func(body string, wait time.Duration) (string, bool) {
		var messageID string
		insights := map[string]bool{}
		timeout := time.After(wait)
		for {
			var m next
			select {
			case <-timeout:
				return messageID, false
			case f, ok := <-frames:
				if !ok {
					t.Fatal("the websocket closed")
				}
				m = f
			}
			if m.Type != "next" || len(m.Payload.Errors) > 0 {
				t.Fatalf("subscription %s: %+v", m.ID, m)
			}
			if a := m.Payload.Data.MessageAdded; a != nil && a.Body == body {
				messageID = a.ID
			}
			if a := m.Payload.Data.InsightAdded; a != nil {
				insights[a.Message.ID] = true
			}
			if messageID != "" && insights[messageID] {
				return messageID, true
			}
		}
	}
	token := demoToken(ctx, t, serve.url)
	post := func(body, traceparent string) {
		t.Helper()
		b, _ := json.Marshal(map[string]any{
			"query":     `mutation Post($room: ID!, $body: String!) { postMessage(roomId: $room, body: $body) { id } }`,
			"variables": map[string]any{"room": room, "body": body},
		})
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, serve.url+"/graphql", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		if traceparent != "" {
			req.Header.Set("Traceparent", traceparent)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct{ Errors []any }
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK || len(out.Errors) > 0 {
			t.Fatalf("postMessage: %d %v %v", resp.StatusCode, err, out.Errors)
		}
	}
	// Subscriptions start asynchronously: post untraced messages until one
	// comes back on both, then the traced one.
	for i := 0; ; i++ {
		body := fmt.Sprintf("warm-up %d", i)
		post(body, "")
		if _, ok := received(body, 3*time.Second); ok {
			break
		}
		if i == 5 {
			t.Fatal("the subscriptions delivered no message in 18 s")
		}
	}
	header, traceID, clientSpan := traceparent(t)
	body := "traced " + traceID[:8]
	post(body, header)
	messageID, ok := received(body, 20*time.Second)
	if !ok {
		t.Fatalf("the traced message (%q) was not delivered on both subscriptions", messageID)
	}

	count := func(spans []zipkinSpan, name string) int {
		n := 0
		for _, s := range spans {
			if strings.EqualFold(s.Name, name) {
				n++
			}
		}
		return n
	}
	spans := readTrace(ctx, t, zipkin, traceID, func(spans []zipkinSpan) bool {
		return count(spans, tracing.SpanWrite) >= 2 && count(spans, "deliver insightAdded") >= 1 && count(spans, "deliver messageAdded") >= 1
	})
	tr := newZipkinTrace(t, spans)
	kind := func(k string) func(zipkinSpan) bool { return func(s zipkinSpan) bool { return s.Kind == k } }
	root := tr.child(zipkinSpan{ID: clientSpan}, "the router's request", kind("SERVER"))
	if root.Name != "post /graphql" || root.Tags["graphql.operation.name"] != "Post" {
		t.Errorf("request span %q %v", root.Name, root.Tags)
	}
	exec := tr.child(root, "the execution", named("mutation post"))
	fetch := tr.child(exec, "the fetch from chat", both(named("fetch chat"), kind("CLIENT")))
	server := tr.child(fetch, "chat's server span", both(tagged("cinegraph.subgraph.name", "chat"), kind("SERVER")))
	op := tr.child(server, "chat's operation", func(s zipkinSpan) bool { return strings.HasPrefix(s.Name, "mutation") })
	resolver := tr.child(op, "the postMessage resolver", tagged("graphql.field.name", "postMessage"))
	tr.child(resolver, "the message's insert", both(tagged("db.operation.name", "AddMessage"), kind("CLIENT")))
	send := tr.child(resolver, "the message's event sent", both(named("send "+events.TopicChatMessages), kind("PRODUCER")))
	if send.Tags["messaging.message.id"] == "" || send.Tags["messaging.system"] != events.SystemEmbedded {
		t.Errorf("send span tags %v", send.Tags)
	}

	// Branch one: the insights consumer scores the message and sends its
	// result, which insightAdded delivers.
	process := tr.child(send, "the insights consumer", both(named("process "+events.TopicChatMessages), tagged("messaging.consumer.group.name", "insights")))
	tr.descendant(process, "the scores' store call", both(tagged("db.system.name", "sqlite"), tagged("cinegraph.subgraph.name", "insights")))
	result := tr.child(process, "the insight's event sent", both(named("send "+events.TopicInsights), kind("PRODUCER")))
	deliveries := map[string]zipkinSpan{
		"insightAdded": tr.child(result, "the insightAdded delivery", named("deliver insightAdded")),
		// Branch two: chat's own messageAdded subscription.
		"messageAdded": tr.child(send, "the messageAdded delivery", named("deliver messageAdded")),
	}
	for field, deliver := range deliveries {
		event := tr.child(deliver, "the router's execution of the "+field+" event", named(tracing.SpanEvent))
		write := tr.child(event, "the websocket write of "+field, named(tracing.SpanWrite))
		if write.Tags["cinegraph.transport"] != "websocket" {
			t.Errorf("%s written by %v", field, write.Tags)
		}
		if write.Timestamp < send.Timestamp {
			t.Errorf("%s written before the message was sent", field)
		}
	}
	if t.Failed() {
		for _, s := range spans {
			t.Logf("%s %-8s %-36s parent=%s %v", s.ID, s.Kind, s.Name, s.ParentID, s.Tags)
		}
	}
}
