package faults

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Balancer spreads requests over routers as a client-side load balancer
// does: round robin over the routers whose /health/ready answered 200 at
// the last poll. A router whose connection fails is marked unready at once
// and comes back only through a poll.
type Balancer struct {
	client *http.Client
	// OnChange, when set, hears every change of an endpoint's readiness
	// and why.
	OnChange func(name string, ready bool, why string)
	mu       sync.Mutex
	ends     []*Endpoint
	next     atomic.Uint64
	stop     context.CancelFunc
	done     chan struct{}
}

// Endpoint is one router behind a Balancer.
type Endpoint struct {
	Name  string
	URL   string // http://host:port
	ready atomic.Bool
}

// Ready reports whether the balancer sends to the endpoint.
func (e *Endpoint) Ready() bool { return e.ready.Load() }

// ReadinessPoll is how often a Balancer asks each router whether it is
// ready.
const ReadinessPoll = 250 * time.Millisecond

// NewBalancer starts polling readiness; Close stops it.
func NewBalancer(ctx context.Context, onChange func(name string, ready bool, why string)) *Balancer {
	ctx, cancel := context.WithCancel(ctx)
	b := &Balancer{client: &http.Client{Timeout: time.Second}, OnChange: onChange, stop: cancel, done: make(chan struct{})}
	go b.poll(ctx)
	return b
}

// Add puts a router behind the balancer once it answers ready.
func (b *Balancer) Add(name, url string) {
	e := &Endpoint{Name: name, URL: url}
	b.set(e, ready(context.Background(), b.client, url), "added")
	b.mu.Lock()
	b.ends = append(b.ends, e)
	b.mu.Unlock()
}

// Remove takes the router called name from the balancer.
func (b *Balancer) Remove(name string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.ends = slices.DeleteFunc(b.ends, func(e *Endpoint) bool { return e.Name == name })
}

// Pick returns the next ready router, or nil when none is.
func (b *Balancer) Pick() *Endpoint {
	b.mu.Lock()
	ready := make([]*Endpoint, 0, len(b.ends))
	for _, e := range b.ends {
		if e.ready.Load() {
			ready = append(ready, e)
		}
	}
	b.mu.Unlock()
	if len(ready) == 0 {
		return nil
	}
	return ready[b.next.Add(1)%uint64(len(ready))]
}

// Failed marks e unready after a connection to it failed.
func (b *Balancer) Failed(e *Endpoint) { b.set(e, false, "a connection failed") }

func (b *Balancer) set(e *Endpoint, ready bool, why string) {
	if e.ready.Swap(ready) != ready && b.OnChange != nil {
		b.OnChange(e.Name, ready, why)
	}
}

func (b *Balancer) poll(ctx context.Context) {
	defer close(b.done)
	tick := time.NewTicker(ReadinessPoll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		b.mu.Lock()
		ends := slices.Clone(b.ends)
		b.mu.Unlock()
		var wg sync.WaitGroup
		for _, e := range ends {
			wg.Go(func() { b.set(e, ready(ctx, b.client, e.URL), "/health/ready") })
		}
		wg.Wait()
	}
}

// Close stops polling.
func (b *Balancer) Close() {
	b.stop()
	<-b.done
}
