package router

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/metrics"
)

// gathered is the value of the one series of name in reg (a counter or
// a gauge), -1 when there is none.
func gathered(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() != name || len(f.GetMetric()) != 1 {
			continue
		}
		m := f.GetMetric()[0]
		if m.GetCounter() != nil {
			return m.GetCounter().GetValue()
		}
		return m.GetGauge().GetValue()
	}
	return -1
}

func TestWebsocketAndSubscriptionMetrics(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg, metrics.Options{})
	if err != nil {
		t.Fatal(err)
	}
	up := &chatUpstream{}
	r, err := New(Config{SupergraphSDL: chatSupergraph(t), Fetcher: entityFetcher{}, Metrics: m, Subscriptions: SubscriptionConfig{Upstream: up, KeepAlive: -1}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(r)
	defer srv.Close()
	clients := []*websocket.Conn{wsClient(t, srv.URL), wsClient(t, srv.URL)}
	for _, c := range clients {
		if err := c.WriteJSON(map[string]any{"id": "a", "type": "subscribe", "payload": map[string]any{"query": messageAddedOp, "variables": map[string]any{"room": "room-1"}}}); err != nil {
			t.Fatal(err)
		}
	}
	waitUntil(t, "both clients on one upstream subscription", func() bool { return r.streaming.manager.Clients() == 2 })
	waitUntil(t, "upstream open", func() bool { _, open := up.state(); return open == 1 })
	up.publish("room-1", "m1", "a great film", "p1")
	for _, c := range clients {
		if msg := wsRead(t, c); msg["type"] != "next" {
			t.Fatalf("got %v", msg)
		}
	}
	cases := []struct {
		name string
		want float64
	}{
		{"cinegraph_router_websockets", 2},
		{"cinegraph_router_upstream_subscriptions", 1},
		{"cinegraph_router_subscription_events_delivered_total", 2},
		{"cinegraph_router_subscription_events_dropped_total", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name+" while open", func(t *testing.T) {
			if got := gathered(t, reg, tc.name); got != tc.want {
				t.Fatalf("%s = %v, want %v", tc.name, got, tc.want)
			}
		})
	}
	for _, c := range clients {
		_ = c.Close()
	}
	waitUntil(t, "sockets and the upstream to close", func() bool {
		return gathered(t, reg, "cinegraph_router_websockets") == 0 && gathered(t, reg, "cinegraph_router_upstream_subscriptions") == 0
	})
}

// BenchmarkRequestMetrics measures what metrics add to one request through
// the whole HTTP path (request reading, plan cache, execution with one
// fetch from memory, response writing).
func BenchmarkRequestMetrics(b *testing.B) {
	root := []byte(`{"data":{"topProducts":[{"upc":"1","name":"Table"},{"upc":"2","name":"Couch"}]}}`)
	for _, on := range []bool{false, true} {
		name := "off"
		var m *metrics.Router
		if on {
			name = "on"
			var err error
			if m, err = metrics.New(prometheus.NewRegistry(), metrics.Options{}); err != nil {
				b.Fatal(err)
			}
		}
		cfg := Config{SupergraphSDL: demoSDLB(b), Fetcher: &cannedFetcher{root: root}, Metrics: m}
		if m != nil {
			cfg.FetchMiddleware = []fetch.Middleware{m.Fetch}
		}
		r, err := New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		const body = `{"query":"query Top { topProducts(first: 2) { upc name } }","operationName":"Top"}`
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					rec := httptest.NewRecorder()
					r.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						b.Fatalf("%d %s", rec.Code, rec.Body)
					}
				}
			})
		})
	}
}
