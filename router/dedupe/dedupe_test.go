package dedupe_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/router/dedupe"
	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/wire"
)

// held is a subgraph that answers only when released, counting round trips.
type held struct {
	calls   atomic.Int32
	arrived chan struct{}
	release chan struct{}
	ctxErr  chan error
}

func newHeld() *held {
	return &held{arrived: make(chan struct{}, 64), release: make(chan struct{}), ctxErr: make(chan error, 64)}
}

func (h *held) Fetch(ctx context.Context, req *wire.SubgraphRequest, _ http.Header) (*wire.SubgraphResponse, error) {
	h.calls.Add(1)
	h.arrived <- struct{}{}
	select {
	case <-h.release:
	case <-ctx.Done():
		h.ctxErr <- ctx.Err()
		return nil, ctx.Err()
	}
	return &wire.SubgraphResponse{Data: map[string]any{"title": map[string]any{"id": req.Variables["id"], "tags": []any{"a"}}}}, nil
}

func query(id string) *wire.SubgraphRequest {
	return &wire.SubgraphRequest{Query: "query($id: ID!) { title(id: $id) { id tags } }", Variables: map[string]any{"id": id}, OperationKind: "query"}
}

type result struct {
	resp *wire.SubgraphResponse
	err  error
}

// fetchAll starts one fetch per request, waits until each has either
// reached the subgraph or joined another, then releases the subgraph.
func fetchAll(t *testing.T, f fetch.Fetcher, h *held, g *dedupe.Group, reqs []*wire.SubgraphRequest, headers []http.Header, wantCalls int) []result {
	t.Helper()
	out := make([]result, len(reqs))
	var wg sync.WaitGroup
	for i := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := f.Fetch(context.Background(), reqs[i], headers[i])
			out[i] = result{resp, err}
		}()
	}
	deadline := time.After(5 * time.Second)
	for {
		c := g.Counts()
		if int(c.Fetches+c.Shared) == len(reqs) && int(h.calls.Load()) == wantCalls {
			break
		}
		select {
		case <-deadline:
			t.Fatalf("counts %+v, subgraph calls %d; want %d fetches in all and %d calls", c, h.calls.Load(), len(reqs), wantCalls)
		case <-time.After(time.Millisecond):
		}
	}
	close(h.release)
	wg.Wait()
	return out
}

func TestIdenticalInFlightFetchesShareOneRoundTrip(t *testing.T) {
	t.Parallel()
	viewer := func(id, requestID string) http.Header {
		h := http.Header{}
		h.Set("X-Cinegraph-Profile", id)
		h.Set("X-Request-Id", requestID)
		return h
	}
	mutation := &wire.SubgraphRequest{Query: "mutation { like }", OperationKind: "mutation"}
	tests := []struct {
		name    string
		reqs    []*wire.SubgraphRequest
		headers []http.Header
		calls   int
	}{
		{"identical queries, request ids aside", []*wire.SubgraphRequest{query("1"), query("1"), query("1")}, []http.Header{viewer("p1", "a"), viewer("p1", "b"), viewer("p1", "c")}, 1},
		{"other variables", []*wire.SubgraphRequest{query("1"), query("2")}, []http.Header{viewer("p1", "a"), viewer("p1", "a")}, 2},
		{"other viewers never share", []*wire.SubgraphRequest{query("1"), query("1")}, []http.Header{viewer("p1", "a"), viewer("p2", "a")}, 2},
		{"mutations never share", []*wire.SubgraphRequest{mutation, mutation}, []http.Header{viewer("p1", "a"), viewer("p1", "a")}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHeld()
			g := dedupe.New(nil)
			out := fetchAll(t, g.Wrap("catalog", h), h, g, tc.reqs, tc.headers, tc.calls)
			seen := map[*wire.SubgraphResponse]bool{}
			for i, r := range out {
				if r.err != nil {
					t.Fatalf("fetch %d: %v", i, r.err)
				}
				if seen[r.resp] {
					t.Fatalf("fetch %d got a response another fetch got too", i)
				}
				seen[r.resp] = true
			}
			// Each response is its own: changing one leaves the others.
			if tc.calls == 1 {
				out[0].resp.Data["title"].(map[string]any)["tags"].([]any)[0] = "changed"
				for _, r := range out[1:] {
					if tag := r.resp.Data["title"].(map[string]any)["tags"].([]any)[0]; tag != "a" {
						t.Fatalf("a shared response changed under another fetch: %v", tag)
					}
				}
			}
		})
	}
}

func TestSequentialFetchesAreNotCached(t *testing.T) {
	t.Parallel()
	h := newHeld()
	close(h.release)
	g := dedupe.New(nil)
	f := g.Wrap("catalog", h)
	for range 2 {
		if _, err := f.Fetch(context.Background(), query("1"), nil); err != nil {
			t.Fatal(err)
		}
	}
	if n := h.calls.Load(); n != 2 {
		t.Fatalf("%d round trips for two fetches one after the other, want 2", n)
	}
}

func TestCancellation(t *testing.T) {
	t.Parallel()
	t.Run("one waiter leaving does not stop the others", func(t *testing.T) {
		t.Parallel()
		h := newHeld()
		g := dedupe.New(nil)
		f := g.Wrap("catalog", h)
		ctx, cancel := context.WithCancel(context.Background())
		first := make(chan error, 1)
		go func() { _, err := f.Fetch(ctx, query("1"), nil); first <- err }()
		<-h.arrived
		second := make(chan result, 1)
		go func() { r, err := f.Fetch(context.Background(), query("1"), nil); second <- result{r, err} }()
		for g.Counts().Shared == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
		if err := <-first; !errors.Is(err, context.Canceled) {
			t.Fatalf("the cancelled fetch returned %v", err)
		}
		close(h.release)
		if r := <-second; r.err != nil || r.resp == nil {
			t.Fatalf("the remaining fetch got %+v", r)
		}
	})
	t.Run("the round trip stops when every waiter has gone", func(t *testing.T) {
		t.Parallel()
		h := newHeld()
		g := dedupe.New(nil)
		f := g.Wrap("catalog", h)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { _, _ = f.Fetch(ctx, query("1"), nil); close(done) }()
		<-h.arrived
		cancel()
		<-done
		select {
		case err := <-h.ctxErr:
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("the subgraph saw %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the round trip went on with no one waiting")
		}
	})
}

func TestOperationsShareOneExecution(t *testing.T) {
	t.Parallel()
	ops := dedupe.NewOperations(nil)
	var runs atomic.Int32
	release := make(chan struct{})
	run := func(ctx context.Context) *wire.Response {
		runs.Add(1)
		select {
		case <-release:
		case <-ctx.Done():
			return &wire.Response{Errors: []*wire.Error{{Message: "stopped"}}}
		}
		return &wire.Response{Data: []byte(`{"a":1}`), Errors: []*wire.Error{{Message: "partial"}}}
	}
	viewer := func(p, requestID string) http.Header {
		return http.Header{"X-Cinegraph-Profile": {p}, "X-Request-Id": {requestID}}
	}
	keys := []string{
		ops.Key([]string{"plan", `{"id":1}`}, viewer("p1", "a")),
		ops.Key([]string{"plan", `{"id":1}`}, viewer("p1", "b")), // request ids aside: identical
		ops.Key([]string{"plan", `{"id":1}`}, viewer("p2", "a")), // another viewer
	}
	if keys[0] != keys[1] || keys[0] == keys[2] {
		t.Fatalf("keys: request ids should not count, viewers should")
	}
	out := make([]*wire.Response, 3)
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Add(1)
		go func() { defer wg.Done(); out[i] = ops.Do(context.Background(), keys[0], run) }()
	}
	for ops.Counts().Runs+ops.Counts().Merged < 3 {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if n := runs.Load(); n != 1 {
		t.Fatalf("%d executions for three identical operations, want 1", n)
	}
	if c := ops.Counts(); c != (dedupe.OperationCounts{Runs: 1, Merged: 2}) {
		t.Fatalf("counts %+v", c)
	}
	out[0].Errors = append(out[0].Errors, &wire.Error{Message: "only mine"})
	for _, r := range out[1:] {
		if string(r.Data) != `{"a":1}` || len(r.Errors) != 1 {
			t.Fatalf("a merged response changed under another: %+v", r)
		}
	}

	t.Run("every waiter gone stops the execution", func(t *testing.T) {
		ops := dedupe.NewOperations(nil)
		stopped := make(chan struct{}, 2)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan *wire.Response)
		go func() {
			// The leaving waiter answers by running with its ended context
			// too, as an execution stopped at once.
			done <- ops.Do(ctx, "k", func(ctx context.Context) *wire.Response {
				<-ctx.Done()
				stopped <- struct{}{}
				return &wire.Response{}
			})
		}()
		for ops.Counts().Runs == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
		<-done
		for range 2 {
			select {
			case <-stopped:
			case <-time.After(5 * time.Second):
				t.Fatal("the execution went on with no one waiting")
			}
		}
	})
}
