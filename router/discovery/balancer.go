package discovery

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/wire"
)

// Policy is how a Balancer picks among a subgraph's instances.
type Policy string

const (
	// P2C (power of two choices) picks two instances at random and sends to
	// the one with fewer fetches in flight: nearly as even as least-loaded,
	// without every router herding onto the same instance.
	P2C Policy = "p2c"
	// RoundRobin sends to each instance in turn.
	RoundRobin Policy = "round_robin"
)

// ParsePolicy parses a policy name; "" means P2C.
func ParsePolicy(s string) (Policy, error) {
	switch Policy(s) {
	case "", P2C:
		return P2C, nil
	case RoundRobin:
		return RoundRobin, nil
	}
	return "", fmt.Errorf("discovery: balance %q is not one of p2c, round_robin", s)
}

// Availability is implemented by an instance's fetcher (the outermost
// fetch.Middleware's) that knows whether the instance is worth trying now:
// resilience's guard says no while a breaker is open or the active health
// check fails. The balancer prefers available instances, and tries the
// others only when none is.
type Availability interface {
	Available() bool
}

// Releaser is implemented by an instance's fetcher that keeps state for the
// instance (breakers, health): the balancer calls Release once the instance
// has left the registry and its fetches in flight have finished.
type Releaser interface {
	Release()
}

// maxTries bounds the instances one fetch is tried on.
const maxTries = 3

// Balancer is the fetch.Fetcher of one subgraph with several instances:
// each fetch goes to the instance the policy picks, and to another when
// that one refused it or could not be reached.
type Balancer struct {
	subgraph   string
	policy     Policy
	newFetcher func(url string) fetch.Fetcher

	mu      sync.Mutex // serializes Update
	byURL   map[string]*member
	members atomic.Pointer[[]*member] // the instances picked from, sorted by URL
	next    atomic.Uint64             // round-robin position
}

var _ fetch.Fetcher = (*Balancer)(nil)

// member is one instance in a Balancer.
type member struct {
	url      string
	f        fetch.Fetcher
	avail    Availability
	inflight atomic.Int64
	draining atomic.Bool
	released sync.Once
}

// NewBalancer returns the balancer of subgraph, with no instances until
// Update; newFetcher builds the (guarded) fetcher of an instance when it
// joins.
func NewBalancer(subgraph string, policy Policy, newFetcher func(url string) fetch.Fetcher) *Balancer {
	if policy == "" {
		policy = P2C
	}
	b := &Balancer{subgraph: subgraph, policy: policy, newFetcher: newFetcher, byURL: map[string]*member{}}
	b.members.Store(&[]*member{})
	return b
}

// Update makes urls the balancer's instances: new ones get a fetcher, and
// those gone get no new fetches and are released once their fetches in
// flight have finished.
func (b *Balancer) Update(urls []string) {
	urls = normalize(urls)
	b.mu.Lock()
	defer b.mu.Unlock()
	next := make([]*member, 0, len(urls))
	keep := make(map[string]*member, len(urls))
	for _, u := range urls {
		m, ok := b.byURL[u]
		if !ok {
			f := b.newFetcher(u)
			m = &member{url: u, f: f}
			m.avail, _ = f.(Availability)
		}
		keep[u] = m
		next = append(next, m)
	}
	b.members.Store(&next)
	for u, m := range b.byURL {
		if _, ok := keep[u]; !ok {
			m.draining.Store(true)
			if m.inflight.Load() == 0 {
				m.release()
			}
		}
	}
	b.byURL = keep
}

// Close drains and releases every instance.
func (b *Balancer) Close() { b.Update(nil) }

func (m *member) release() {
	m.released.Do(func() {
		if r, ok := m.f.(Releaser); ok {
			r.Release()
		}
	})
}

// acquire counts a fetch in flight to m, unless m is draining.
func (m *member) acquire() bool {
	m.inflight.Add(1)
	if m.draining.Load() {
		m.done()
		return false
	}
	return true
}

func (m *member) done() {
	if m.inflight.Add(-1) == 0 && m.draining.Load() {
		m.release()
	}
}

func (m *member) available() bool {
	return !m.draining.Load() && (m.avail == nil || m.avail.Available())
}

// pick chooses an instance not in tried: among the available ones, or
// among all when none is available (a breaker may be wrong, and an answer
// from an unhealthy instance beats none). Nil means there is none left.
func (b *Balancer) pick(tried []*member) *member {
	all := *b.members.Load()
	var buf [16]*member
	cand := buf[:0]
	for _, m := range all {
		if m.available() && !slices.Contains(tried, m) {
			cand = append(cand, m)
		}
	}
	if len(cand) == 0 {
		for _, m := range all {
			if !m.draining.Load() && !slices.Contains(tried, m) {
				cand = append(cand, m)
			}
		}
	}
	switch len(cand) {
	case 0:
		return nil
	case 1:
		return cand[0]
	}
	if b.policy == RoundRobin {
		return cand[(b.next.Add(1)-1)%uint64(len(cand))]
	}
	i := rand.IntN(len(cand))
	j := rand.IntN(len(cand) - 1)
	if j >= i {
		j++
	}
	if cand[j].inflight.Load() < cand[i].inflight.Load() {
		return cand[j]
	}
	return cand[i]
}

// Fetch implements fetch.Fetcher: it sends req to a picked instance, and
// to another (up to three in all) when that one's guard refused it, it
// could not be reached, or a query failed without an answer.
func (b *Balancer) Fetch(ctx context.Context, req *wire.SubgraphRequest, header http.Header) (*wire.SubgraphResponse, error) {
	var buf [maxTries]*member
	tried := buf[:0]
	var lastErr error
	for len(tried) < maxTries {
		m := b.pick(tried)
		if m == nil {
			break
		}
		if !m.acquire() {
			continue // it left the registry just now: pick again
		}
		resp, err := m.f.Fetch(ctx, req, header)
		m.done()
		if err == nil {
			return resp, nil
		}
		tried = append(tried, m)
		lastErr = err
		if !failover(ctx, req, err) {
			break
		}
	}
	if lastErr != nil {
		return nil, lastErr
	}
	return nil, &fetch.Error{Subgraph: b.subgraph, Reason: fetch.NoInstances, Err: fmt.Errorf("no instance of subgraph %s is registered", b.subgraph)}
}

// failover says whether a fetch that failed with err may go to another
// instance: when the instance never saw it (its guard refused it, or no
// connection was made), or when it is a query that got no answer, which is
// safe to send twice. A timeout is not passed on: the client's wait would
// only double.
func failover(ctx context.Context, req *wire.SubgraphRequest, err error) bool {
	if ctx.Err() != nil || errors.Is(err, fetch.ErrOverAllowance) || errors.Is(err, context.Canceled) {
		return false
	}
	var fe *fetch.Error
	if errors.As(err, &fe) {
		return fe.Reason == fetch.CircuitOpen || fe.Reason == fetch.BulkheadFull
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if notConnected(err) {
		return true
	}
	return req.OperationKind == "query"
}

// notConnected reports whether err says no connection was made.
func notConnected(err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// Pick returns the URL of the instance a new long-lived stream (a
// subscription) should open on, by the same policy and preferences as a
// fetch; it is not counted as a fetch in flight.
func (b *Balancer) Pick() (string, error) {
	m := b.pick(nil)
	if m == nil {
		return "", fmt.Errorf("no instance of subgraph %s is registered", b.subgraph)
	}
	return m.url, nil
}

// InstanceState is one instance of a Balancer as it stands.
type InstanceState struct {
	URL       string `json:"url"`
	InFlight  int64  `json:"in_flight"`
	Available bool   `json:"available"`
}

// Instances returns the balancer's instances, sorted by URL.
func (b *Balancer) Instances() []InstanceState {
	all := *b.members.Load()
	out := make([]InstanceState, len(all))
	for i, m := range all {
		out[i] = InstanceState{URL: m.url, InFlight: m.inflight.Load(), Available: m.available()}
	}
	return out
}
