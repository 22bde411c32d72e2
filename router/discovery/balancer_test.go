package discovery_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/router/discovery"
	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/resilience"
	"github.com/cinegraph/cinegraph/router/wire"
)

// fakeInstance is an instance's fetcher: it counts fetches, answers with
// err when set, blocks while gate is set, and reports availability.
type fakeInstance struct {
	url      string
	fetches  atomic.Int64
	down     atomic.Bool // Available() is false
	err      error
	gate     chan struct{}
	started  chan struct{}
	released atomic.Int64
	// releasedWhileBusy is set when Release came with a fetch in flight.
	inflight          atomic.Int64
	releasedWhileBusy atomic.Bool
}

func (f *fakeInstance) Fetch(ctx context.Context, _ *wire.SubgraphRequest, _ http.Header) (*wire.SubgraphResponse, error) {
	f.inflight.Add(1)
	defer f.inflight.Add(-1)
	f.fetches.Add(1)
	if f.started != nil {
		f.started <- struct{}{}
	}
	if f.gate != nil {
		<-f.gate
	}
	if f.err != nil {
		return nil, f.err
	}
	return &wire.SubgraphResponse{}, nil
}

func (f *fakeInstance) Available() bool { return !f.down.Load() }

func (f *fakeInstance) Release() {
	if f.inflight.Load() > 0 {
		f.releasedWhileBusy.Store(true)
	}
	f.released.Add(1)
}

type fleet map[string]*fakeInstance

func newFleet(n int) (fleet, []string) {
	f := fleet{}
	var urls []string
	for i := range n {
		u := fmt.Sprintf("http://10.0.0.%d:4001/graphql", i+1)
		f[u] = &fakeInstance{url: u}
		urls = append(urls, u)
	}
	return f, urls
}

func (f fleet) balancer(policy discovery.Policy, urls []string) *discovery.Balancer {
	b := discovery.NewBalancer("catalog", policy, func(url string) fetch.Fetcher { return f[url] })
	b.Update(urls)
	return b
}

func query() *wire.SubgraphRequest {
	return &wire.SubgraphRequest{Query: "{ a }", OperationKind: "query"}
}

// Sequential fetches spread over every instance: exactly evenly with
// round-robin, near evenly with p2c (no fetch is in flight to compare, so
// its picks are uniform).
func TestBalancerDistribution(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		policy   discovery.Policy
		fetches  int
		min, max int64
	}{
		{discovery.RoundRobin, 300, 100, 100},
		{discovery.P2C, 3000, 850, 1150},
	} {
		t.Run(string(tc.policy), func(t *testing.T) {
			t.Parallel()
			f, urls := newFleet(3)
			b := f.balancer(tc.policy, urls)
			for range tc.fetches {
				if _, err := b.Fetch(context.Background(), query(), nil); err != nil {
					t.Fatal(err)
				}
			}
			for _, u := range urls {
				n := f[u].fetches.Load()
				t.Logf("%s: %d fetches", u, n)
				if n < tc.min || n > tc.max {
					t.Errorf("%s got %d fetches, want %d..%d", u, n, tc.min, tc.max)
				}
			}
		})
	}
}

// P2C sends to the instance with fewer fetches in flight: with two
// instances it compares both on every pick.
func TestP2CPrefersLessLoaded(t *testing.T) {
	t.Parallel()
	f, urls := newFleet(2)
	busy, idle := f[urls[0]], f[urls[1]]
	busy.gate, busy.started = make(chan struct{}), make(chan struct{}, 8)
	b := f.balancer(discovery.P2C, []string{busy.url})
	// Load the first instance alone with five fetches that hang.
	var wg sync.WaitGroup
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = b.Fetch(context.Background(), query(), nil)
		}()
	}
	for range 5 {
		<-busy.started
	}
	b.Update(urls)
	for range 50 {
		if _, err := b.Fetch(context.Background(), query(), nil); err != nil {
			t.Fatal(err)
		}
	}
	close(busy.gate)
	wg.Wait()
	if busy.fetches.Load() != 5 || idle.fetches.Load() != 50 {
		t.Errorf("busy got %d fetches (want the 5 hanging), idle %d (want 50)", busy.fetches.Load(), idle.fetches.Load())
	}
}

// Instances whose guard says they are unavailable (open breaker, failed
// health check) get nothing while another is available; when none is, the
// fetch still goes to one of them.
func TestBalancerAvailability(t *testing.T) {
	t.Parallel()
	for _, policy := range []discovery.Policy{discovery.P2C, discovery.RoundRobin} {
		for _, tc := range []struct {
			name string
			down []int
			want []int64 // fetches per instance out of 30
		}{
			{"one open breaker skipped", []int{0}, []int64{0, 15, 15}},
			{"two skipped", []int{0, 2}, []int64{0, 30, 0}},
			{"all unhealthy still tried", []int{0, 1, 2}, nil},
		} {
			t.Run(string(policy)+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				f, urls := newFleet(3)
				for _, i := range tc.down {
					f[urls[i]].down.Store(true)
				}
				b := f.balancer(policy, urls)
				for range 30 {
					if _, err := b.Fetch(context.Background(), query(), nil); err != nil {
						t.Fatal(err)
					}
				}
				var total int64
				for i, u := range urls {
					n := f[u].fetches.Load()
					total += n
					if tc.want != nil && policy == discovery.RoundRobin && n != tc.want[i] {
						t.Errorf("instance %d got %d fetches, want %d", i, n, tc.want[i])
					}
					if tc.want != nil && tc.want[i] == 0 && n != 0 {
						t.Errorf("unavailable instance %d got %d fetches", i, n)
					}
				}
				if total != 30 {
					t.Errorf("%d fetches reached instances, want 30", total)
				}
			})
		}
	}
}

// An instance that leaves gets no new fetches; the one in flight finishes,
// and only then is the instance released.
func TestBalancerDrain(t *testing.T) {
	t.Parallel()
	for _, policy := range []discovery.Policy{discovery.P2C, discovery.RoundRobin} {
		t.Run(string(policy), func(t *testing.T) {
			t.Parallel()
			f, urls := newFleet(2)
			leaving, staying := f[urls[0]], f[urls[1]]
			leaving.gate, leaving.started = make(chan struct{}), make(chan struct{}, 1)
			b := f.balancer(policy, []string{leaving.url})
			done := make(chan error, 1)
			go func() {
				_, err := b.Fetch(context.Background(), query(), nil)
				done <- err
			}()
			<-leaving.started
			b.Update([]string{staying.url})
			if leaving.released.Load() != 0 {
				t.Fatal("released with a fetch in flight")
			}
			for range 20 {
				if _, err := b.Fetch(context.Background(), query(), nil); err != nil {
					t.Fatal(err)
				}
			}
			close(leaving.gate)
			if err := <-done; err != nil {
				t.Fatalf("the fetch in flight failed: %v", err)
			}
			if leaving.fetches.Load() != 1 || staying.fetches.Load() != 20 {
				t.Errorf("leaving got %d fetches (want 1), staying %d (want 20)", leaving.fetches.Load(), staying.fetches.Load())
			}
			if leaving.released.Load() != 1 || leaving.releasedWhileBusy.Load() {
				t.Errorf("released %d times (want 1, after its fetch), while busy: %v", leaving.released.Load(), leaving.releasedWhileBusy.Load())
			}
			if staying.released.Load() != 0 {
				t.Error("the staying instance was released")
			}
		})
	}
}

// A fetch one instance refused or could not answer goes to another: any
// error for a query, only a refusal for a mutation; never a timeout.
func TestBalancerFailover(t *testing.T) {
	t.Parallel()
	refused := &fetch.Error{Subgraph: "catalog", Reason: fetch.CircuitOpen, Err: errors.New("open")}
	timedOut := &fetch.Error{Subgraph: "catalog", Reason: fetch.Timeout, Err: errors.New("slow")}
	for _, tc := range []struct {
		name   string
		kind   string
		err    error
		wantOK bool
	}{
		{"query after refusal", "query", refused, true},
		{"mutation after refusal", "mutation", refused, true},
		{"query after HTTP 503", "query", errors.New("catalog answered HTTP 503"), true},
		{"mutation after HTTP 503", "mutation", errors.New("catalog answered HTTP 503"), false},
		{"query after timeout", "query", timedOut, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, urls := newFleet(2)
			bad, good := f[urls[0]], f[urls[1]]
			bad.err = tc.err
			good.down.Store(true) // so the bad one is picked first
			b := f.balancer(discovery.RoundRobin, urls)
			_, err := b.Fetch(context.Background(), &wire.SubgraphRequest{Query: "{ a }", OperationKind: tc.kind}, nil)
			if (err == nil) != tc.wantOK {
				t.Errorf("err = %v, want success %v", err, tc.wantOK)
			}
			if tc.wantOK && good.fetches.Load() != 1 {
				t.Errorf("the other instance got %d fetches, want 1", good.fetches.Load())
			}
		})
	}
}

// A subgraph without instances answers NO_INSTANCES.
func TestBalancerNoInstances(t *testing.T) {
	t.Parallel()
	b := discovery.NewBalancer("chat", "", func(string) fetch.Fetcher { return nil })
	_, err := b.Fetch(context.Background(), query(), nil)
	var fe *fetch.Error
	if !errors.As(err, &fe) || fe.Reason != fetch.NoInstances {
		t.Fatalf("err = %v, want a NO_INSTANCES fetch.Error", err)
	}
	if _, err := b.Pick(); err == nil {
		t.Error("Pick found an instance")
	}
}

// With resilience's guard around each instance, an instance whose breaker
// opened is skipped while the other serves, and released instances leave
// the guard's report.
func TestBalancerWithGuard(t *testing.T) {
	t.Parallel()
	guard, err := resilience.New(resilience.Config{Default: resilience.Policy{
		Breaker: resilience.Breaker{ConsecutiveFailures: 2, OpenFor: time.Minute},
		Retry:   resilience.Retry{MaxAttempts: 1},
	}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, urls := newFleet(2)
	broken, healthy := f[urls[0]], f[urls[1]]
	broken.err = errors.New("connection reset")
	b := discovery.NewBalancer("catalog", discovery.RoundRobin, func(url string) fetch.Fetcher {
		return guard.Middleware("catalog", url, f[url])
	})
	b.Update(urls)
	for range 40 {
		if _, err := b.Fetch(context.Background(), query(), nil); err != nil {
			t.Fatalf("a query failed although one instance is healthy: %v", err)
		}
	}
	t.Logf("broken: %d fetches, healthy: %d", broken.fetches.Load(), healthy.fetches.Load())
	if n := broken.fetches.Load(); n != 2 {
		t.Errorf("broken instance got %d fetches, want 2 (then its breaker opened)", n)
	}
	for _, in := range b.Instances() {
		if in.URL == broken.url && in.Available {
			t.Error("the broken instance is reported available")
		}
	}
	if len(guard.Report()) != 2 {
		t.Fatalf("guard reports %d instances, want 2", len(guard.Report()))
	}
	b.Update([]string{healthy.url})
	if r := guard.Report(); len(r) != 1 || r["catalog"].URL != healthy.url {
		t.Errorf("after the broken instance left, the guard reports %v", r)
	}
}
