package router

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/router/compose"
	"github.com/cinegraph/cinegraph/router/wire"
	"github.com/gorilla/websocket"
)

// chatSubgraphs is a live chat in three subgraphs: chat owns rooms and
// messages and streams messageAdded, catalog resolves the author's name and
// insights a sentiment that @requires the message body, so one event needs
// entity fetches to two other subgraphs.
var chatSubgraphs = []compose.Subgraph{
	{Name: "chat", URL: "http://chat.invalid/graphql", SDL: `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

type Message @key(fields: "id") {
  id: ID!
  body: String!
  author: Profile!
}

type Profile @key(fields: "id", resolvable: false) {
  id: ID!
}

type Query {
  message(id: ID!): Message
}

type Subscription {
  messageAdded(roomId: ID!): Message!
}
`},
	{Name: "catalog", URL: "http://catalog.invalid/graphql", SDL: `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

type Profile @key(fields: "id") {
  id: ID!
  name: String!
}

type Query {
  profile(id: ID!): Profile
}
`},
	{Name: "insights", URL: "http://insights.invalid/graphql", SDL: `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

type Message @key(fields: "id") {
  id: ID!
  body: String! @external
  sentiment: Sentiment! @requires(fields: "body")
}

type Sentiment {
  label: SentimentLabel!
}

enum SentimentLabel {
  POSITIVE
  NEUTRAL
  NEGATIVE
}
`},
}

// chatSupergraph composes chatSubgraphs.
func chatSupergraph(t *testing.T) string {
	t.Helper()
	sdl, err := compose.Compose(chatSubgraphs)
	if err != nil {
		t.Fatalf("compose chat subgraphs: %v", err)
	}
	return sdl
}

// chatUpstream stands in for the chat subgraph's subscription endpoint:
// every open subscription receives what the test publishes.
type chatUpstream struct {
	mu     sync.Mutex
	subs   map[chan map[string]any]*wire.SubgraphRequest
	opened int
}

func (u *chatUpstream) Open(ctx context.Context, subgraph string, req *wire.SubgraphRequest, _ http.Header, emit func(*wire.SubgraphResponse)) error {
	if subgraph != "chat" {
		return fmt.Errorf("subscription sent to %s", subgraph)
	}
	ch := make(chan map[string]any, 16)
	u.mu.Lock()
	if u.subs == nil {
		u.subs = map[chan map[string]any]*wire.SubgraphRequest{}
	}
	u.subs[ch] = req
	u.opened++
	u.mu.Unlock()
	defer func() {
		u.mu.Lock()
		delete(u.subs, ch)
		u.mu.Unlock()
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case data := <-ch:
			emit(&wire.SubgraphResponse{Data: data})
		}
	}
}

func (u *chatUpstream) state() (opened, open int) {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.opened, len(u.subs)
}

// publish sends a message event to the subscriptions of room.
func (u *chatUpstream) publish(room, id, body, author string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	for ch, req := range u.subs {
		if req.Variables["room"] != room {
			continue
		}
		ch <- map[string]any{"messageAdded": map[string]any{
			"__typename": "Message", "id": id, "body": body,
			"author": map[string]any{"__typename": "Profile", "id": author},
		}}
	}
}

// entityFetcher answers the catalog and insights entity fetches of a chat
// message: profile names and sentiment labels.
type entityFetcher struct{}

func (entityFetcher) Fetch(_ context.Context, subgraph string, req *wire.SubgraphRequest, _ http.Header) (*wire.SubgraphResponse, error) {
	raw, _ := json.Marshal(req.Variables["representations"])
	var reps []map[string]any
	if err := json.Unmarshal(raw, &reps); err != nil {
		return nil, err
	}
	out := make([]any, 0, len(reps))
	for _, rep := range reps {
		switch {
		case subgraph == "catalog" && rep["__typename"] == "Profile":
			out = append(out, map[string]any{"name": "Name of " + rep["id"].(string)})
		case subgraph == "insights" && rep["__typename"] == "Message":
			label := "NEUTRAL"
			if strings.Contains(rep["body"].(string), "great") {
				label = "POSITIVE"
			}
			out = append(out, map[string]any{"sentiment": map[string]any{"label": label}})
		default:
			return nil, fmt.Errorf("unexpected %s entity %v", subgraph, rep)
		}
	}
	return &wire.SubgraphResponse{Data: map[string]any{"_entities": out}}, nil
}

const messageAddedOp = `subscription($room: ID!) { messageAdded(roomId: $room) { body author { name } sentiment { label } } }`

func newSubscriptionRouter(t *testing.T) (*Router, *chatUpstream, string) {
	t.Helper()
	up := &chatUpstream{}
	r, err := New(Config{SupergraphSDL: chatSupergraph(t), Fetcher: entityFetcher{}, Subscriptions: SubscriptionConfig{Upstream: up, KeepAlive: -1}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return r, up, srv.URL
}

func wsClient(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
	c, _, err := d.Dial("ws"+strings.TrimPrefix(url, "http")+"/graphql", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	if err := c.WriteJSON(map[string]any{"type": "connection_init"}); err != nil {
		t.Fatal(err)
	}
	if m := wsRead(t, c); m["type"] != "connection_ack" {
		t.Fatalf("got %v, want connection_ack", m)
	}
	return c
}

func wsRead(t *testing.T, c *websocket.Conn) map[string]any {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	var m map[string]any
	if err := c.ReadJSON(&m); err != nil {
		t.Fatalf("read: %v", err)
	}
	return m
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestSubscriptionCompletedPerEventAndShared(t *testing.T) {
	t.Parallel()
	r, up, url := newSubscriptionRouter(t)
	clients := []*websocket.Conn{wsClient(t, url), wsClient(t, url)}
	for _, c := range clients {
		if err := c.WriteJSON(map[string]any{"id": "a", "type": "subscribe", "payload": map[string]any{"query": messageAddedOp, "variables": map[string]any{"room": "room-1"}}}); err != nil {
			t.Fatal(err)
		}
	}
	waitUntil(t, "both clients on one upstream subscription", func() bool { return r.streaming.manager.Clients() == 2 })
	// publish drops events until the upstream has registered its channel.
	waitUntil(t, "upstream open", func() bool { _, open := up.state(); return open == 1 })
	if opened, _ := up.state(); opened != 1 {
		t.Fatalf("%d upstream subscriptions for identical operations, want 1", opened)
	}
	up.publish("room-1", "m1", "a great film", "p1")
	up.publish("room-2", "m2", "not for this room", "p2")
	up.publish("room-1", "m3", "meh", "p3")
	want := []string{
		`{"data":{"messageAdded":{"body":"a great film","author":{"name":"Name of p1"},"sentiment":{"label":"POSITIVE"}}}}`,
		`{"data":{"messageAdded":{"body":"meh","author":{"name":"Name of p3"},"sentiment":{"label":"NEUTRAL"}}}}`,
	}
	for i, c := range clients {
		for _, w := range want {
			_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
			var m struct {
				ID, Type string
				Payload  json.RawMessage
			}
			if err := c.ReadJSON(&m); err != nil {
				t.Fatal(err)
			}
			if m.Type != "next" || m.ID != "a" || string(m.Payload) != w {
				t.Fatalf("client %d: got %s %s\nwant next %s", i, m.Type, m.Payload, w)
			}
		}
	}
	for _, c := range clients {
		if err := c.WriteJSON(map[string]any{"id": "a", "type": "complete"}); err != nil {
			t.Fatal(err)
		}
	}
	waitUntil(t, "the upstream subscription to stop", func() bool { _, open := up.state(); return open == 0 })
}

func TestSubscriptionOverWebsocketRunsQueriesAndRejectsInvalid(t *testing.T) {
	t.Parallel()
	_, _, url := newSubscriptionRouter(t)
	c := wsClient(t, url)
	_ = c.WriteJSON(map[string]any{"id": "q", "type": "subscribe", "payload": map[string]any{"query": "{ __typename }"}})
	if m := wsRead(t, c); m["type"] != "next" || fmt.Sprint(m["payload"]) != "map[data:map[__typename:Query]]" {
		t.Fatalf("query result %v", m)
	}
	if m := wsRead(t, c); m["type"] != "complete" {
		t.Fatalf("got %v, want complete", m)
	}
	_ = c.WriteJSON(map[string]any{"id": "v", "type": "subscribe", "payload": map[string]any{"query": "subscription { messageAdded { body } }"}})
	if m := wsRead(t, c); m["type"] != "error" || m["id"] != "v" {
		t.Fatalf("got %v, want a validation error", m)
	}
}

func TestSubscriptionOverSSEAndMultipart(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		accept string
		// first reads up to the first result from the stream.
		first func(t *testing.T, body *bufio.Reader) string
	}{
		{"sse", "text/event-stream", func(t *testing.T, body *bufio.Reader) string {
			for {
				line, err := body.ReadString('\n')
				if err != nil {
					t.Fatalf("read stream: %v", err)
				}
				if data, ok := strings.CutPrefix(strings.TrimRight(line, "\n"), "data: "); ok {
					return data
				}
			}
		}},
		{"multipart", `multipart/mixed;boundary="graphql";subscriptionSpec="1.0",application/json`, func(t *testing.T, body *bufio.Reader) string {
			for {
				line, err := body.ReadString('\n')
				if err != nil {
					t.Fatalf("read stream: %v", err)
				}
				if rest, ok := strings.CutPrefix(line, `{"payload":`); ok {
					// The part ends where the next boundary starts.
					return strings.TrimSuffix(strings.TrimSuffix(rest, "\r\n"), "}")
				}
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, up, url := newSubscriptionRouter(t)
			body, _ := json.Marshal(map[string]any{"query": messageAddedOp, "variables": map[string]any{"room": "room-1"}})
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, url+"/graphql", strings.NewReader(string(body)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", tc.accept)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			waitUntil(t, "subscribed", func() bool { return r.streaming.manager.Clients() == 1 })
			// publish drops events until the upstream has registered its channel.
			waitUntil(t, "upstream open", func() bool { _, open := up.state(); return open == 1 })
			up.publish("room-1", "m1", "great", "p1")
			got := tc.first(t, bufio.NewReader(resp.Body))
			want := `{"data":{"messageAdded":{"body":"great","author":{"name":"Name of p1"},"sentiment":{"label":"POSITIVE"}}}}`
			if got != want {
				t.Fatalf("got  %s\nwant %s", got, want)
			}
			// Shutdown ends the stream: an error result, then the end.
			r.Shutdown()
			rest, _ := io.ReadAll(resp.Body)
			if !strings.Contains(string(rest), "shutting down") {
				t.Fatalf("stream after shutdown: %q", rest)
			}
		})
	}
}

func TestRouterShutdownClosesWebsockets(t *testing.T) {
	t.Parallel()
	r, _, url := newSubscriptionRouter(t)
	c := wsClient(t, url)
	_ = c.WriteJSON(map[string]any{"id": "a", "type": "subscribe", "payload": map[string]any{"query": messageAddedOp, "variables": map[string]any{"room": "room-1"}}})
	waitUntil(t, "subscribed", func() bool { return r.streaming.manager.Clients() == 1 })
	r.Shutdown()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, raw, err := c.ReadMessage()
		if err == nil {
			// The operation must stay open for the client to subscribe
			// again after it reconnects: no error, no complete.
			var m struct{ Type string }
			if json.Unmarshal(raw, &m) == nil && (m.Type == "error" || m.Type == "complete" || strings.Contains(string(raw), "errors")) {
				t.Fatalf("before the close the client got %s, want the operation left open", raw)
			}
			continue
		}
		if !websocket.IsCloseError(err, websocket.CloseServiceRestart) {
			t.Fatalf("socket ended with %v, want close 1012", err)
		}
		return
	}
}

func TestHTTPServerShutdownClosesWebsocketsWith1012(t *testing.T) {
	t.Parallel()
	up := &chatUpstream{}
	r, err := New(Config{SupergraphSDL: chatSupergraph(t), Fetcher: entityFetcher{}, Subscriptions: SubscriptionConfig{Upstream: up, KeepAlive: -1}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	c := wsClient(t, srv.URL)
	_ = c.WriteJSON(map[string]any{"id": "a", "type": "subscribe", "payload": map[string]any{"query": messageAddedOp, "variables": map[string]any{"room": "room-1"}}})
	waitUntil(t, "subscribed", func() bool { return r.streaming.manager.Clients() == 1 })
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	go func() { _ = srv.Config.Shutdown(ctx) }()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, _, err := c.ReadMessage()
		if err == nil {
			continue
		}
		if !websocket.IsCloseError(err, websocket.CloseServiceRestart) {
			t.Fatalf("socket ended with %v, want close 1012", err)
		}
		break
	}
	waitUntil(t, "the upstream subscription to stop", func() bool { _, open := up.state(); return open == 0 })
}
