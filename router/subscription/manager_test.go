package subscription_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/router/subscription"
	"github.com/cinegraph/cinegraph/router/wire"
)

// gate is an upstream whose subscriptions emit what the test sends and end
// with err when feed closes; subscriptions for the "other" query read
// otherFeed.
type gate struct {
	feed      chan int
	otherFeed chan int
	err       error

	mu     sync.Mutex
	opened int
	live   int
}

func (g *gate) Open(ctx context.Context, _ string, req *wire.SubgraphRequest, _ http.Header, emit func(*wire.SubgraphResponse)) error {
	g.mu.Lock()
	g.opened++
	g.live++
	feed := g.feed
	if req.Query == "other" {
		feed = g.otherFeed
	}
	g.mu.Unlock()
	defer func() { g.mu.Lock(); g.live--; g.mu.Unlock() }()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case n, ok := <-feed:
			if !ok {
				return g.err
			}
			emit(&wire.SubgraphResponse{Data: map[string]any{"n": n}})
		}
	}
}

func (g *gate) counts() (opened, live int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.opened, g.live
}

func source(key string, completions *int) subscription.Source {
	var mu sync.Mutex
	return subscription.Source{Key: key, Subgraph: "chat", Request: &wire.SubgraphRequest{Query: key}, Complete: func(_ context.Context, ev *wire.SubgraphResponse) subscription.Result {
		mu.Lock()
		*completions++
		mu.Unlock()
		raw, _ := json.Marshal(map[string]any{"data": ev.Data})
		return subscription.Result{Payload: raw}
	}}
}

func recv(t *testing.T, s *subscription.Stream) (json.RawMessage, bool) {
	t.Helper()
	select {
	case p, ok := <-s.C:
		return p.Payload, ok
	case <-time.After(3 * time.Second):
		t.Fatal("no result")
		return nil, false
	}
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestManagerSharesAndCompletesOncePerEvent(t *testing.T) {
	t.Parallel()
	up := &gate{feed: make(chan int), otherFeed: make(chan int)}
	m := subscription.NewManager(up, 8, nil)
	completions := 0
	src := source("k", &completions)
	a, b := m.Subscribe(src), m.Subscribe(src)
	other := m.Subscribe(source("other", new(int)))
	eventually(t, "two upstream subscriptions", func() bool { o, _ := up.counts(); return o == 2 })
	up.feed <- 1
	up.otherFeed <- 1
	for _, s := range []*subscription.Stream{a, b} {
		if p, _ := recv(t, s); string(p) != `{"data":{"n":1}}` {
			t.Fatalf("result %s", p)
		}
	}
	if p, _ := recv(t, other); string(p) != `{"data":{"n":1}}` {
		t.Fatalf("result %s", p)
	}
	if completions != 1 {
		t.Fatalf("event completed %d times for two clients sharing it, want once", completions)
	}
	a.Close()
	if _, ok := recv(t, a); ok {
		t.Fatal("closed stream still open")
	}
	if _, live := up.counts(); live != 2 {
		t.Fatal("upstream stopped while a client remains")
	}
	b.Close()
	other.Close()
	eventually(t, "upstream subscriptions to stop", func() bool { _, l := up.counts(); return l == 0 })
	if m.Groups() != 0 || m.Clients() != 0 {
		t.Fatalf("groups %d clients %d after every client left", m.Groups(), m.Clients())
	}
}

func TestManagerEndings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		err       error
		wantFinal string
	}{
		{name: "subgraph completes", err: nil},
		{name: "subgraph refuses", err: subscription.GraphQLErrors{{Message: "room r9 does not exist", Extensions: map[string]any{"code": "NOT_FOUND"}}}, wantFinal: `{"errors":[{"message":"room r9 does not exist","extensions":{"code":"NOT_FOUND"}}]}`},
		{name: "connection fails", err: context.DeadlineExceeded, wantFinal: `{"errors":[{"message":"subscription to subgraph chat failed","extensions":{"code":"UNAVAILABLE"}}]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			up := &gate{feed: make(chan int), err: tc.err}
			m := subscription.NewManager(up, 8, nil)
			s := m.Subscribe(source("k", new(int)))
			close(up.feed)
			if _, ok := recv(t, s); ok {
				t.Fatal("stream still open")
			}
			if string(s.Final()) != tc.wantFinal {
				t.Fatalf("final %s, want %s", s.Final(), tc.wantFinal)
			}
		})
	}
}

func TestManagerDropsSlowClientOnly(t *testing.T) {
	t.Parallel()
	up := &gate{feed: make(chan int)}
	m := subscription.NewManager(up, 4, nil)
	slow, fast := m.Subscribe(source("k", new(int))), m.Subscribe(source("k", new(int)))
	for i := range 20 {
		up.feed <- i
		if p, ok := recv(t, fast); !ok || !strings.Contains(string(p), `"n":`) {
			t.Fatalf("fast client result %d: %s", i, p)
		}
	}
	n := 0
	for range slow.C {
		n++
	}
	if n != 4 || !strings.Contains(string(slow.Final()), "fell more than") {
		t.Fatalf("slow client got %d results and final %s, want its 4 buffered and the too-slow error", n, slow.Final())
	}
}

func TestManagerShutdown(t *testing.T) {
	t.Parallel()
	up := &gate{feed: make(chan int)}
	m := subscription.NewManager(up, 4, nil)
	s := m.Subscribe(source("k", new(int)))
	m.Shutdown()
	if _, ok := recv(t, s); ok || !strings.Contains(string(s.Final()), "shutting down") {
		t.Fatalf("after shutdown: final %s", s.Final())
	}
	eventually(t, "upstream to stop", func() bool { _, l := up.counts(); return l == 0 })
	late := m.Subscribe(source("k", new(int)))
	if _, ok := recv(t, late); ok || late.Final() == nil {
		t.Fatal("a subscription started after shutdown")
	}
}
