package discovery

import (
	"fmt"

	"github.com/cinegraph/cinegraph/router/fetch"
)

// Set is the balancers of a router's subgraphs, kept up to date from a
// Registry.
type Set struct {
	balancers map[string]*Balancer
	cancel    func()
}

// NewSet builds a Balancer for each of subgraphs over the instances reg
// lists, and follows reg's changes until Close. newFetcher builds the
// (guarded) fetcher of one instance.
func NewSet(reg Registry, subgraphs []string, policy Policy, newFetcher func(subgraph, url string) fetch.Fetcher) *Set {
	s := &Set{balancers: make(map[string]*Balancer, len(subgraphs))}
	for _, name := range subgraphs {
		s.balancers[name] = NewBalancer(name, policy, func(url string) fetch.Fetcher { return newFetcher(name, url) })
	}
	// Subscribe first so that no change between the read and the
	// subscription is missed; a stale callback is followed by a fresh one.
	s.cancel = reg.Subscribe(func(name string, urls []string) {
		if b, ok := s.balancers[name]; ok {
			b.Update(urls)
		}
	})
	for name, b := range s.balancers {
		b.Update(reg.Instances(name))
	}
	return s
}

// Fetchers returns the balancers as the fetch.Set the executor uses.
func (s *Set) Fetchers() fetch.Set {
	out := make(fetch.Set, len(s.balancers))
	for name, b := range s.balancers {
		out[name] = b
	}
	return out
}

// Balancer returns subgraph's balancer, or nil.
func (s *Set) Balancer(subgraph string) *Balancer { return s.balancers[subgraph] }

// Pick returns the URL a new subscription on subgraph should open on.
func (s *Set) Pick(subgraph string) (string, error) {
	b, ok := s.balancers[subgraph]
	if !ok {
		return "", fmt.Errorf("no URL for subgraph %s", subgraph)
	}
	return b.Pick()
}

// Close stops following the registry and releases every instance once its
// fetches in flight have finished.
func (s *Set) Close() {
	s.cancel()
	for _, b := range s.balancers {
		b.Close()
	}
}
