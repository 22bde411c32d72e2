package app

import (
	"fmt"
	"net/http"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/cinegraph/cinegraph/internal/config"
)

// TestReload: a reload takes effect for the next request, a websocket
// opened before it keeps working on the router it began on, and a
// configuration that cannot be applied is refused with the reason while
// the running one stays.
func TestReload(t *testing.T) {
	in := start(t, t.TempDir())
	defer in.stop()
	const deep = `{ titles(first: 1) { edges { node { genres { name } } } } }` // depth 5
	if r := in.do(t, "", deep, nil); len(r.Errors) > 0 {
		t.Fatalf("before: %v", r.Errors)
	}
	roomID, _ := dig(in.do(t, "", `{ activeRooms(first: 1) { id } }`, nil).Data, "activeRooms", 0, "id").(string)

	// A subscriber from before the reload, read in the background.
	ws := subscribe(t, in, roomID)
	defer ws.Close()
	bodies := make(chan string, 64)
	go func() {
		defer close(bodies)
		for {
			var msg struct {
				Payload struct {
					Data struct{ MessageAdded struct{ Body string } }
				}
			}
			if err := ws.ReadJSON(&msg); err != nil {
				return
			}
			bodies <- msg.Payload.Data.MessageAdded.Body
		}
	}()
	post := func(body string) {
		t.Helper()
		r := in.do(t, "profile-2", `mutation($r: ID!, $b: String!) { postMessage(roomId: $r, body: $b) { id } }`, map[string]any{"r": roomID, "b": body})
		if len(r.Errors) > 0 {
			t.Fatal(r.Errors)
		}
	}
	// Live once a message posted now arrives.
	for i := 0; ; i++ {
		if i == 50 {
			t.Fatal("the subscription never delivered")
		}
		post(fmt.Sprintf("warm %d", i))
		select {
		case _, ok := <-bodies:
			if !ok {
				t.Fatal("the websocket closed")
			}
		case <-time.After(300 * time.Millisecond):
			continue
		}
		break
	}

	shallow := in.cfg
	shallow.Router.Limits.MaxDepth = 3
	if err := in.p.Reload(shallow); err != nil {
		t.Fatal(err)
	}
	r := in.do(t, "", deep, nil)
	if len(r.Errors) != 1 || r.Errors[0]["extensions"].(map[string]any)["limit"] != "depth" {
		t.Fatalf("after the reload: %v", r)
	}
	post("across a reload")
	timeout := time.After(10 * time.Second)
	for got := ""; got != "across a reload"; {
		select {
		case b, ok := <-bodies:
			if !ok {
				t.Fatal("the websocket from before the reload closed")
			}
			got = b
		case <-timeout:
			t.Fatal("the subscriber from before the reload got nothing")
		}
	}

	refused := []struct {
		name   string
		change func(c *config.Config)
		want   string
	}{
		{"a listener", func(c *config.Config) { c.Listen = "127.0.0.1:1" }, "listen"},
		{"the storage", func(c *config.Config) { c.Storage.Mode = "cluster" }, "storage"},
		{"the router's secret", func(c *config.Config) { c.Router.AuthToken = "another" }, "router.auth_token"},
		{"a supergraph that does not load", func(c *config.Config) { c.Router.Supergraph = filepath.Join(t.TempDir(), "missing.graphql") }, "supergraph"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			next := shallow
			tc.change(&next)
			err := in.p.Reload(next)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("reload: %v, want a refusal naming %s", err, tc.want)
			}
			if r := in.do(t, "", deep, nil); len(r.Errors) != 1 {
				t.Fatalf("the running configuration changed: %v", r)
			}
		})
	}
}

// subscribe opens a websocket to messageAdded in room and waits for it to
// be acknowledged.
func subscribe(t *testing.T, in *instance, room string) *websocket.Conn {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
	conn, _, err := d.Dial("ws"+strings.TrimPrefix(in.url, "http")+"/graphql", http.Header{})
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.WriteJSON(map[string]any{"type": "connection_init"})
	var ack map[string]any
	if err := conn.ReadJSON(&ack); err != nil || ack["type"] != "connection_ack" {
		t.Fatalf("ack: %v %v", ack, err)
	}
	_ = conn.WriteJSON(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{
		"query": `subscription($r: ID!) { messageAdded(roomId: $r) { body } }`, "variables": map[string]any{"r": room},
	}})
	return conn
}

// TestReloadsKeepMemoryFlat reloads 500 times, alternating two
// configurations, and checks that replaced routers are released: the heap
// and the goroutines after the last reload are where they were after the
// first few dozen.
func TestReloadsKeepMemoryFlat(t *testing.T) {
	in := start(t, t.TempDir())
	defer in.stop()
	a, b := in.cfg, in.cfg
	b.Router.Limits.MaxDepth = 20
	b.Router.FetchTimeout = 3 * time.Second
	measure := func() (heap uint64, goroutines int) {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc, runtime.NumGoroutine()
	}
	var heap50 uint64
	var g50 int
	start := time.Now()
	for i := 1; i <= 500; i++ {
		next := a
		if i%2 == 1 {
			next = b
		}
		if err := in.p.Reload(next); err != nil {
			t.Fatal(err)
		}
		if r := in.do(t, "", `{ genres { name } }`, nil); len(r.Errors) > 0 {
			t.Fatal(r.Errors)
		}
		if i == 50 {
			heap50, g50 = measure()
		}
	}
	// Connections a replaced router closed take a moment to wind down.
	heap500, g500 := measure()
	for settled := time.Now().Add(3 * time.Second); g500 > g50+5 && time.Now().Before(settled); {
		time.Sleep(100 * time.Millisecond)
		heap500, g500 = measure()
	}
	t.Logf("500 reloads in %v: heap %.1f MiB after 50, %.1f MiB after 500; goroutines %d, %d",
		time.Since(start).Round(time.Millisecond), float64(heap50)/(1<<20), float64(heap500)/(1<<20), g50, g500)
	if heap500 > heap50+8<<20 {
		t.Errorf("heap grew by %.1f MiB over 450 reloads", float64(heap500-heap50)/(1<<20))
	}
	if g500 > g50+5 {
		t.Errorf("goroutines grew from %d to %d over 450 reloads", g50, g500)
	}
}
