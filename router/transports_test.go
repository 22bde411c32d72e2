package router

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/router/compose"
	"github.com/cinegraph/cinegraph/router/internal/testsubgraph"
	"github.com/cinegraph/cinegraph/router/request"
	"github.com/cinegraph/cinegraph/router/wire"
	"github.com/gorilla/websocket"
)

// tallySDL is the smallest schema with all three kinds of operation.
const tallySDL = `
type Query { count: Int! }
type Mutation { bump: Int! }
type Subscription { bumped: Int! }
`

// tally is one subgraph serving tallySDL, with a record of what reached it:
// fetches over HTTP and subscriptions opened upstream.
type tally struct {
	sg     *testsubgraph.Subgraph
	url    string
	opened atomic.Int32
}

func newTally(t *testing.T) *tally {
	t.Helper()
	var n atomic.Int64
	sg, err := testsubgraph.New("tally", tallySDL, map[string]testsubgraph.Resolver{
		"Query.count":   func(context.Context, map[string]any, map[string]any) (any, error) { return n.Load(), nil },
		"Mutation.bump": func(context.Context, map[string]any, map[string]any) (any, error) { return n.Add(1), nil },
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sg)
	t.Cleanup(srv.Close)
	return &tally{sg: sg, url: srv.URL}
}

// Open is the subgraph's subscription endpoint: one event, then the end.
func (s *tally) Open(_ context.Context, _ string, _ *wire.SubgraphRequest, _ http.Header, emit func(*wire.SubgraphResponse)) error {
	s.opened.Add(1)
	emit(&wire.SubgraphResponse{Data: map[string]any{"bumped": int64(1)}})
	return nil
}

var (
	tallySupergraphOnce sync.Once
	tallySupergraph     string
	tallySupergraphErr  error
)

func composeTally(t *testing.T) string {
	t.Helper()
	tallySupergraphOnce.Do(func() {
		tallySupergraph, tallySupergraphErr = compose.Compose([]compose.Subgraph{{
			Name: "tally", URL: "http://tally.invalid/graphql",
			SDL: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: [])` + tallySDL,
		}})
	})
	if tallySupergraphErr != nil {
		t.Fatal(tallySupergraphErr)
	}
	return tallySupergraph
}

// tallyRouter serves a router over a fresh tally subgraph.
func tallyRouter(t *testing.T, mod func(*Config)) (*tally, string) {
	t.Helper()
	sub := newTally(t)
	cfg := Config{
		SupergraphSDL: composeTally(t),
		SubgraphURLs:  map[string]string{"tally": sub.url},
		Subscriptions: SubscriptionConfig{Upstream: sub, KeepAlive: -1},
	}
	if mod != nil {
		mod(&cfg)
	}
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return sub, srv.URL + "/graphql"
}

// answer is what a client saw: an HTTP status (with its Allow header and
// body), or a websocket's messages (types and payloads) and close code.
type answer struct {
	status    int
	allow     string
	types     string // websocket message types, comma-separated
	closeCode int
	body      string
}

// preflighted is a header that only script sets, so that browsers ask
// before sending it: a request carrying it passes the CSRF rule.
var preflighted = map[string]string{"Apollo-Require-Preflight": "true"}

// httpClient asks over HTTP with the given method, Accept header and extra
// headers; a POST body is JSON sent as application/json, a GET has no
// Content-Type.
func httpClient(method, accept string, header map[string]string) func(t *testing.T, endpoint, query string) answer {
	if method == http.MethodGet {
		return httpClientTyped(method, "", accept, header)
	}
	return httpClientTyped(method, "application/json", accept, header)
}

// httpClientTyped is httpClient with the Content-Type of its choice, empty
// for none; on a GET too, as Apollo Client sends one.
func httpClientTyped(method, contentType, accept string, header map[string]string) func(t *testing.T, endpoint, query string) answer {
	return func(t *testing.T, endpoint, query string) answer {
		t.Helper()
		var req *http.Request
		if method == http.MethodGet {
			req, _ = http.NewRequestWithContext(t.Context(), http.MethodGet, endpoint+"?"+url.Values{"query": {query}}.Encode(), nil)
		} else {
			body, _ := json.Marshal(map[string]string{"query": query})
			req, _ = http.NewRequestWithContext(t.Context(), http.MethodPost, endpoint, strings.NewReader(string(body)))
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return answer{status: resp.StatusCode, allow: resp.Header.Get("Allow"), body: string(body)}
	}
}

// wsOperation runs one operation over a websocket with the given subprotocol
// and reads until the operation or the socket ends.
func wsOperation(subprotocol, start string, initPayload map[string]any) func(t *testing.T, endpoint, query string) answer {
	return wsOperationFrom("", subprotocol, start, initPayload)
}

// wsOperationFrom is wsOperation from a page of the given origin, as a
// browser sends it: "" sends no Origin (not a browser), "self" the
// endpoint's own. A refused handshake is an answer with its HTTP status.
func wsOperationFrom(origin, subprotocol, start string, initPayload map[string]any) func(t *testing.T, endpoint, query string) answer {
	return func(t *testing.T, endpoint, query string) answer {
		t.Helper()
		h := http.Header{}
		switch origin {
		case "":
		case "self":
			h.Set("Origin", endpoint[:strings.Index(endpoint, "/graphql")])
		default:
			h.Set("Origin", origin)
		}
		d := websocket.Dialer{Subprotocols: []string{subprotocol}}
		c, resp, err := d.DialContext(t.Context(), "ws"+strings.TrimPrefix(endpoint, "http"), h)
		if err != nil {
			if resp == nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			return answer{status: resp.StatusCode, body: string(body)}
		}
		defer c.Close()
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if err := c.WriteJSON(map[string]any{"type": "connection_init", "payload": initPayload}); err != nil {
			t.Fatal(err)
		}
		var ack struct{ Type string }
		if err := c.ReadJSON(&ack); err != nil || ack.Type != "connection_ack" {
			t.Fatalf("got %v %v, want connection_ack", ack, err)
		}
		payload := map[string]any{"query": query}
		if query == "" {
			payload = map[string]any{}
		}
		if err := c.WriteJSON(map[string]any{"id": "1", "type": start, "payload": payload}); err != nil {
			t.Fatal(err)
		}
		var a answer
		var types []string
		for {
			var m struct {
				Type    string
				Payload json.RawMessage
			}
			if err := c.ReadJSON(&m); err != nil {
				var ce *websocket.CloseError
				if !errors.As(err, &ce) {
					t.Fatalf("read: %v", err)
				}
				a.closeCode, a.body = ce.Code, a.body+ce.Text
				break
			}
			types = append(types, m.Type)
			a.body += string(m.Payload)
			if m.Type == "complete" || m.Type == "error" {
				break
			}
		}
		a.types = strings.Join(types, ",")
		return a
	}
}

// TestEveryTransport runs each kind of operation over every transport the
// router serves, as every kind of client may send it, and checks what the
// client sees and what reached the subgraph: a refused operation must not
// have fetched or subscribed. Requests a page on another origin can send
// without a preflight (a "simple" GET or POST, a websocket from another
// origin) are refused whatever they carry.
func TestEveryTransport(t *testing.T) {
	t.Parallel()
	const (
		sseAccept       = "text/event-stream"
		multipartAccept = `multipart/mixed;subscriptionSpec="1.0", application/json`
		// What a page may send without a preflight: no quotes.
		simpleMultipartAccept = "multipart/mixed;subscriptionSpec=1.0"
	)
	transports := map[string]func(t *testing.T, endpoint, query string) answer{
		"plain POST":           httpClient(http.MethodPost, "", nil),
		"plain GET":            httpClient(http.MethodGet, "", preflighted),
		"SSE POST":             httpClient(http.MethodPost, sseAccept, nil),
		"SSE GET":              httpClient(http.MethodGet, sseAccept, preflighted),
		"multipart POST":       httpClient(http.MethodPost, multipartAccept, nil),
		"multipart GET":        httpClient(http.MethodGet, multipartAccept, preflighted),
		"graphql-transport-ws": wsOperation("graphql-transport-ws", "subscribe", nil),
		"legacy graphql-ws":    wsOperation("graphql-ws", "start", nil),

		// Preflighted another way: as Apollo Client sends a GET, with
		// Content-Type: application/json.
		"plain GET as JSON":     httpClientTyped(http.MethodGet, "application/json", "", nil),
		"SSE GET as JSON":       httpClientTyped(http.MethodGet, "application/json", sseAccept, nil),
		"multipart GET as JSON": httpClientTyped(http.MethodGet, "application/json", multipartAccept, nil),
		// A browser page on the router's own origin.
		"graphql-transport-ws, same origin": wsOperationFrom("self", "graphql-transport-ws", "subscribe", nil),
		"legacy graphql-ws, same origin":    wsOperationFrom("self", "graphql-ws", "start", nil),

		// What a page on another origin can send without a preflight: a GET
		// with no header of its own (a link, an image, EventSource, a
		// no-cors fetch), or with a form's Content-Type.
		"simple GET":                  httpClient(http.MethodGet, "", nil),
		"simple SSE GET":              httpClient(http.MethodGet, sseAccept, nil),
		"simple multipart GET":        httpClient(http.MethodGet, simpleMultipartAccept, nil),
		"simple GET as text/plain":    httpClientTyped(http.MethodGet, "text/plain", "", nil),
		"simple GET as a form":        httpClientTyped(http.MethodGet, "application/x-www-form-urlencoded", sseAccept, nil),
		"simple GET, other header":    httpClient(http.MethodGet, "", map[string]string{"X-Foo": "1"}),
		"simple POST as text/plain":   httpClientTyped(http.MethodPost, "text/plain", "", nil),
		"simple SSE POST":             httpClientTyped(http.MethodPost, "text/plain", sseAccept, nil),
		"simple multipart POST":       httpClientTyped(http.MethodPost, "multipart/form-data", simpleMultipartAccept, nil),
		"POST as text/plain, flagged": httpClientTyped(http.MethodPost, "text/plain", "", preflighted),
		// Websockets from another origin, which browsers open without asking.
		"graphql-transport-ws, other origin": wsOperationFrom("http://evil.example", "graphql-transport-ws", "subscribe", map[string]any{"profile": "p1"}),
		"legacy graphql-ws, other origin":    wsOperationFrom("http://evil.example", "graphql-ws", "start", map[string]any{"profile": "p1"}),
	}
	ops := map[string]string{
		"query":        `{ count }`,
		"mutation":     `mutation { bump }`,
		"subscription": `subscription { bumped }`,
		"invalid":      `{ nope }`,
		"no query":     ``,
	}
	const (
		noStream   = "Subscriptions need a streaming transport"
		getRefused = "Mutations cannot be sent with GET; use POST."
		invalid    = `Cannot query field \"nope\" on type \"Query\".`
		noQuery    = "the request has no query"
	)
	type transportCase struct {
		transport, op string
		want          answer
		// fetches and opened count subgraph requests and upstream
		// subscriptions.
		fetches, opened int
	}
	tests := []transportCase{
		{"plain POST", "query", answer{status: 200, body: `{"data":{"count":0}}`}, 1, 0},
		{"plain POST", "mutation", answer{status: 200, body: `{"data":{"bump":1}}`}, 1, 0},
		{"plain POST", "subscription", answer{status: 200, body: noStream}, 0, 0},
		{"plain POST", "invalid", answer{status: 200, body: invalid}, 0, 0},
		{"plain POST", "no query", answer{status: 400, body: noQuery}, 0, 0},

		{"plain GET", "query", answer{status: 200, body: `{"data":{"count":0}}`}, 1, 0},
		{"plain GET", "mutation", answer{status: 405, allow: "POST", body: getRefused}, 0, 0},
		{"plain GET", "subscription", answer{status: 200, body: noStream}, 0, 0},
		{"plain GET", "invalid", answer{status: 200, body: invalid}, 0, 0},
		{"plain GET", "no query", answer{status: 400, body: noQuery}, 0, 0},

		{"SSE POST", "query", answer{status: 200, body: "event: next\ndata: {\"data\":{\"count\":0}}\n\nevent: complete\n"}, 1, 0},
		{"SSE POST", "mutation", answer{status: 200, body: "event: next\ndata: {\"data\":{\"bump\":1}}\n\nevent: complete\n"}, 1, 0},
		{"SSE POST", "subscription", answer{status: 200, body: "event: next\ndata: {\"data\":{\"bumped\":1}}\n\nevent: complete\n"}, 0, 1},
		{"SSE POST", "invalid", answer{status: 400, body: invalid}, 0, 0},
		{"SSE POST", "no query", answer{status: 400, body: noQuery}, 0, 0},

		{"SSE GET", "query", answer{status: 200, body: "event: next\ndata: {\"data\":{\"count\":0}}\n\nevent: complete\n"}, 1, 0},
		{"SSE GET", "mutation", answer{status: 405, allow: "POST", body: getRefused}, 0, 0},
		{"SSE GET", "subscription", answer{status: 200, body: "event: next\ndata: {\"data\":{\"bumped\":1}}\n\nevent: complete\n"}, 0, 1},
		{"SSE GET", "invalid", answer{status: 400, body: invalid}, 0, 0},
		{"SSE GET", "no query", answer{status: 400, body: noQuery}, 0, 0},

		{"multipart POST", "query", answer{status: 200, body: `{"payload":{"data":{"count":0}}}`}, 1, 0},
		{"multipart POST", "mutation", answer{status: 200, body: `{"payload":{"data":{"bump":1}}}`}, 1, 0},
		{"multipart POST", "subscription", answer{status: 200, body: `{"payload":{"data":{"bumped":1}}}`}, 0, 1},
		{"multipart POST", "invalid", answer{status: 200, body: `{"payload":{"errors":[{"message":"` + invalid}, 0, 0},
		{"multipart POST", "no query", answer{status: 400, body: noQuery}, 0, 0},

		{"multipart GET", "query", answer{status: 200, body: `{"payload":{"data":{"count":0}}}`}, 1, 0},
		{"multipart GET", "mutation", answer{status: 405, allow: "POST", body: getRefused}, 0, 0},
		{"multipart GET", "subscription", answer{status: 200, body: `{"payload":{"data":{"bumped":1}}}`}, 0, 1},
		{"multipart GET", "invalid", answer{status: 200, body: `{"payload":{"errors":[{"message":"` + invalid}, 0, 0},
		{"multipart GET", "no query", answer{status: 400, body: noQuery}, 0, 0},

		// Websockets have no method: every operation may run.
		{"graphql-transport-ws", "query", answer{types: "next,complete", body: `{"data":{"count":0}}`}, 1, 0},
		{"graphql-transport-ws", "mutation", answer{types: "next,complete", body: `{"data":{"bump":1}}`}, 1, 0},
		{"graphql-transport-ws", "subscription", answer{types: "next,complete", body: `{"data":{"bumped":1}}`}, 0, 1},
		{"graphql-transport-ws", "invalid", answer{types: "error", body: invalid}, 0, 0},
		{"graphql-transport-ws", "no query", answer{closeCode: 4400, body: "subscribe payload must hold a query"}, 0, 0},

		{"legacy graphql-ws", "query", answer{types: "data,complete", body: `{"data":{"count":0}}`}, 1, 0},
		{"legacy graphql-ws", "mutation", answer{types: "data,complete", body: `{"data":{"bump":1}}`}, 1, 0},
		{"legacy graphql-ws", "subscription", answer{types: "data,complete", body: `{"data":{"bumped":1}}`}, 0, 1},
		{"legacy graphql-ws", "invalid", answer{types: "error", body: invalid}, 0, 0},
		{"legacy graphql-ws", "no query", answer{types: "error", body: "subscribe payload must hold a query"}, 0, 0},
	}
	// Preflighted clients see what the plain ones do.
	for alias, base := range map[string]string{
		"plain GET as JSON":                 "plain GET",
		"SSE GET as JSON":                   "SSE GET",
		"multipart GET as JSON":             "multipart GET",
		"graphql-transport-ws, same origin": "graphql-transport-ws",
		"legacy graphql-ws, same origin":    "legacy graphql-ws",
	} {
		for _, tc := range tests {
			if tc.transport == base {
				tc.transport = alias
				tests = append(tests, tc)
			}
		}
	}
	// Simple requests never run, whatever the operation; those without a
	// query, or with a body that is not JSON, fail before the rule.
	const (
		csrf      = "refused as a possible cross-site request forgery (CSRF): send it with a Content-Type other than application/x-www-form-urlencoded, multipart/form-data, text/plain (such as application/json) or with one of the headers X-Apollo-Operation-Name, Apollo-Require-Preflight."
		notJSON   = "POST bodies must be application/json"
		forbidden = "Forbidden"
	)
	for _, op := range []string{"query", "mutation", "subscription", "invalid", "no query"} {
		for _, transport := range []string{"simple GET", "simple SSE GET", "simple multipart GET", "simple GET as text/plain", "simple GET as a form", "simple GET, other header"} {
			want := answer{status: 400, body: csrf}
			if op == "no query" {
				want.body = noQuery
			}
			tests = append(tests, transportCase{transport, op, want, 0, 0})
		}
		for _, transport := range []string{"simple POST as text/plain", "simple SSE POST", "simple multipart POST", "POST as text/plain, flagged"} {
			tests = append(tests, transportCase{transport, op, answer{status: 415, body: notJSON}, 0, 0})
		}
		for _, transport := range []string{"graphql-transport-ws, other origin", "legacy graphql-ws, other origin"} {
			tests = append(tests, transportCase{transport, op, answer{status: 403, body: forbidden}, 0, 0})
		}
	}
	for _, tc := range tests {
		t.Run(tc.transport+"/"+tc.op, func(t *testing.T) {
			t.Parallel()
			sub, endpoint := tallyRouter(t, nil)
			got := transports[tc.transport](t, endpoint, ops[tc.op])
			if got.status != tc.want.status || got.allow != tc.want.allow || got.types != tc.want.types || got.closeCode != tc.want.closeCode || !strings.Contains(got.body, tc.want.body) {
				t.Fatalf("got  %+v\nwant %+v", got, tc.want)
			}
			if fetches, opened := len(sub.sg.Requests()), int(sub.opened.Load()); fetches != tc.fetches || opened != tc.opened {
				t.Fatalf("%d subgraph fetches and %d subscriptions opened, want %d and %d", fetches, opened, tc.fetches, tc.opened)
			}
		})
	}
	t.Run("every transport and operation is covered", func(t *testing.T) {
		t.Parallel()
		seen := map[string]bool{}
		for _, tc := range tests {
			seen[tc.transport+"/"+tc.op] = true
		}
		for tr := range transports {
			for op := range ops {
				if !seen[tr+"/"+op] {
					t.Errorf("no case for %s/%s", tr, op)
				}
			}
		}
	})
}

// TestInitPayloadHeaders: connection_init payload keys become the headers
// the configuration maps them to, and reach subgraphs when forwarded.
func TestInitPayloadHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		mapping map[string]string
		want    string
	}{
		{"mapped", map[string]string{"profile": "X-Profile"}, "p1"},
		{"no mapping", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sub, endpoint := tallyRouter(t, func(c *Config) {
				c.ForwardHeaders = []string{"X-Profile"}
				c.Subscriptions.InitPayloadHeaders = tc.mapping
			})
			got := wsOperation("graphql-transport-ws", "subscribe", map[string]any{"profile": "p1"})(t, endpoint, `{ count }`)
			if got.types != "next,complete" {
				t.Fatalf("got %+v", got)
			}
			reqs := sub.sg.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d fetches, want 1", len(reqs))
			}
			if h := reqs[0].Header.Get("X-Profile"); h != tc.want {
				t.Fatalf("X-Profile %q, want %q", h, tc.want)
			}
		})
	}
}

// TestExecuteAnswersOnce: Execute gives one response, so it refuses a
// subscription even when the request claims a streaming transport.
func TestExecuteAnswersOnce(t *testing.T) {
	t.Parallel()
	sub := newTally(t)
	r, err := New(Config{SupergraphSDL: composeTally(t), SubgraphURLs: map[string]string{"tally": sub.url}, Subscriptions: SubscriptionConfig{Upstream: sub}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range []request.Transport{request.HTTP, request.SSE, request.WebSocket, request.InProcess} {
		t.Run(tr.String(), func(t *testing.T) {
			res := r.Execute(t.Context(), &request.Request{Query: `subscription { bumped }`, Transport: tr})
			if res.Outcome != request.Rejected || len(res.Response.Errors) != 1 || !strings.Contains(res.Response.Errors[0].Message, "streaming transport") {
				t.Fatalf("got %v %+v", res.Outcome, res.Response.Errors)
			}
		})
	}
	if sub.opened.Load() != 0 || len(sub.sg.Requests()) != 0 {
		t.Fatal("the subgraph was reached")
	}
}
