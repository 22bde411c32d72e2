package router

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/cinegraph/cinegraph/router/ratelimit"
)

// hourly refills one request an hour: within a test, only the burst counts,
// and nothing depends on the wall clock.
func hourly(burst int) ratelimit.Limit { return ratelimit.Limit{Rate: 1.0 / 3600, Burst: burst} }

func newLimitedRouter(t *testing.T, cfg ratelimit.Config) (*Router, string) {
	t.Helper()
	r, err := New(Config{
		SupergraphSDL: chatSupergraph(t),
		Fetcher:       entityFetcher{},
		Subscriptions: SubscriptionConfig{Upstream: &chatUpstream{}, KeepAlive: -1},
		RateLimit:     ratelimit.New(cfg),
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return r, srv.URL
}

// TestRateLimitsOverHTTP: requests under the limits run; one over a limit
// gets 429, Retry-After and a RATE_LIMITED error naming the limit.
func TestRateLimitsOverHTTP(t *testing.T) {
	t.Parallel()
	type call struct {
		query  string
		header map[string]string
		status int
		// limit is the extensions.limit of a refusal.
		limit string
	}
	ok := func(q string) call { return call{query: q, status: 200} }
	as := func(c call, who string) call { c.header = map[string]string{"X-Verified-Identity": who}; return c }
	over := func(q, limit string) call { return call{query: q, status: 429, limit: limit} }
	const anon, count, other = "{ __typename }", "query Count { __typename }", "query Other { __typename }"
	tests := []struct {
		name  string
		cfg   ratelimit.Config
		calls []call
	}{
		{"under the limit passes", ratelimit.Config{PerClient: hourly(3)}, []call{ok(anon), ok(anon), ok(anon)}},
		{"over the client limit", ratelimit.Config{PerClient: hourly(2)}, []call{ok(anon), ok(count), over(anon, "per_client"), over(other, "per_client")}},
		{"per operation", ratelimit.Config{PerOperation: map[string]ratelimit.Limit{"Count": hourly(1)}}, []call{
			ok(count), over(count, "per_operation"), ok(other), ok(anon), ok(other),
		}},
		{"invalid requests count too", ratelimit.Config{PerClient: hourly(1)}, []call{
			{query: "{ nope }", status: 200}, over(anon, "per_client"),
		}},
		{"clients keyed by the identity header", ratelimit.Config{PerClient: hourly(1), Key: ratelimit.HeaderOrIP("X-Verified-Identity")}, []call{
			as(ok(anon), "a"), as(ok(anon), "b"), ok(anon), as(over(anon, "per_client"), "a"), over(anon, "per_client"),
		}},
		{"no limits configured", ratelimit.Config{}, []call{ok(anon), ok(anon), ok(anon), ok(anon)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, _ := newLimitedRouter(t, tc.cfg)
			for i, c := range tc.calls {
				req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":`+strconv.Quote(c.query)+`}`))
				req.Header.Set("Content-Type", "application/json")
				for k, v := range c.header {
					req.Header.Set(k, v)
				}
				rec := httptest.NewRecorder()
				r.ServeHTTP(rec, req)
				if rec.Code != c.status {
					t.Fatalf("call %d (%s): status %d, want %d: %s", i, c.query, rec.Code, c.status, rec.Body)
				}
				if c.limit == "" {
					if h := rec.Header().Get("Retry-After"); h != "" {
						t.Fatalf("call %d: Retry-After %q on an allowed request", i, h)
					}
					continue
				}
				checkLimited(t, rec.Header(), rec.Body.Bytes(), c.limit)
			}
		})
	}
}

// checkLimited checks a 429's Retry-After (about an hour under hourly
// limits) and its coded error.
func checkLimited(t *testing.T, h http.Header, body []byte, limit string) {
	t.Helper()
	secs, err := strconv.Atoi(h.Get("Retry-After"))
	if err != nil || secs < 3000 || secs > 3600 {
		t.Fatalf("Retry-After %q, want about an hour", h.Get("Retry-After"))
	}
	var resp struct {
		Data   any
		Errors []struct {
			Message    string
			Extensions map[string]any
		}
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	if resp.Data != nil || len(resp.Errors) != 1 {
		t.Fatalf("want one error and no data: %s", body)
	}
	ext := resp.Errors[0].Extensions
	if ext["code"] != "RATE_LIMITED" || ext["limit"] != limit || ext["retryAfter"] != float64(secs) {
		t.Fatalf("extensions %v, want RATE_LIMITED, limit %s, retryAfter %d", ext, limit, secs)
	}
	if !strings.Contains(resp.Errors[0].Message, limit) {
		t.Fatalf("message %q does not name the limit %s", resp.Errors[0].Message, limit)
	}
}

// TestRateLimitsOverStreams: a streaming request over the limit is refused
// before its stream starts, with the same status and header.
func TestRateLimitsOverStreams(t *testing.T) {
	t.Parallel()
	for _, accept := range []string{"text/event-stream", `multipart/mixed;subscriptionSpec="1.0"`} {
		t.Run(accept, func(t *testing.T) {
			t.Parallel()
			_, url := newLimitedRouter(t, ratelimit.Config{PerClient: hourly(1)})
			body, _ := json.Marshal(map[string]any{"query": messageAddedOp, "variables": map[string]any{"room": "room-1"}})
			for i, want := range []int{200, 429} {
				req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, url+"/graphql", strings.NewReader(string(body)))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Accept", accept)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				_ = resp.Body.Close()
				if resp.StatusCode != want {
					t.Fatalf("request %d: status %d, want %d", i, resp.StatusCode, want)
				}
				if want == 429 && resp.Header.Get("Retry-After") == "" {
					t.Fatal("429 without Retry-After")
				}
			}
		})
	}
}

// TestRateLimitsOverWebsockets: an operation over a limit gets an error
// message for its id and the connection stays; a connection over a cap or
// the client's allowance is closed with 4429.
func TestRateLimitsOverWebsockets(t *testing.T) {
	t.Parallel()
	subscribe := func(c *websocket.Conn, id string) {
		t.Helper()
		op := "subscription Messages($room: ID!) { messageAdded(roomId: $room) { body } }"
		if err := c.WriteJSON(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": op, "variables": map[string]any{"room": "r"}}}); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("subscribe over the operation limit", func(t *testing.T) {
		t.Parallel()
		r, url := newLimitedRouter(t, ratelimit.Config{PerOperation: map[string]ratelimit.Limit{"Messages": hourly(1)}})
		c := wsClient(t, url)
		subscribe(c, "a")
		waitUntil(t, "the first subscription", func() bool { return r.streaming.manager.Clients() == 1 })
		subscribe(c, "b")
		m := wsRead(t, c)
		if m["type"] != "error" || m["id"] != "b" {
			t.Fatalf("got %v, want an error for b", m)
		}
		errs, _ := m["payload"].([]any)
		first, _ := errs[0].(map[string]any)
		ext, _ := first["extensions"].(map[string]any)
		if ext["code"] != "RATE_LIMITED" || ext["limit"] != "per_operation" || ext["operation"] != "Messages" {
			t.Fatalf("error %v, want RATE_LIMITED per_operation Messages", first)
		}
		// The connection and its first subscription live on.
		if err := c.WriteJSON(map[string]any{"type": "ping"}); err != nil {
			t.Fatal(err)
		}
		if m := wsRead(t, c); m["type"] != "pong" {
			t.Fatalf("got %v, want pong", m)
		}
	})
	caps := []struct {
		name   string
		cfg    ratelimit.Config
		admits int
		limit  string
	}{
		{"per client cap", ratelimit.Config{MaxConnectionsPerClient: 2}, 2, ratelimit.LimitConnections},
		{"total cap", ratelimit.Config{MaxConnections: 1, MaxConnectionsPerClient: 5}, 1, ratelimit.LimitAllConnections},
		{"connection flood", ratelimit.Config{PerClient: hourly(3)}, 3, ratelimit.LimitPerClient},
	}
	for _, tc := range caps {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, url := newLimitedRouter(t, tc.cfg)
			for range tc.admits {
				wsClient(t, url)
			}
			d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
			c, _, err := d.Dial("ws"+strings.TrimPrefix(url, "http")+"/graphql", nil)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			_, _, err = c.ReadMessage()
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != 4429 || !strings.Contains(ce.Text, tc.limit) {
				t.Fatalf("got %v, want close 4429 naming %s", err, tc.limit)
			}
			if n := r.streaming.ws.Connections(); n != tc.admits {
				t.Fatalf("%d connections open, want %d", n, tc.admits)
			}
		})
	}
	t.Run("a closed connection frees its place", func(t *testing.T) {
		t.Parallel()
		r, url := newLimitedRouter(t, ratelimit.Config{MaxConnectionsPerClient: 1})
		c := wsClient(t, url)
		_ = c.Close()
		waitUntil(t, "the first connection to end", func() bool { return r.streaming.ws.Connections() == 0 })
		wsClient(t, url)
	})
}
