// Package fetch sends the router's GraphQL requests to subgraphs. Each
// subgraph instance (one URL) has its own Fetcher, built once when the
// router starts; Middleware wraps it there, so a breaker, a retry, a
// balancer over instances or a tracing span is added without touching the
// executor, which looks each fetch up by subgraph name in a Set.
package fetch

import (
	"context"
	"fmt"
	"net/http"

	"github.com/cinegraph/cinegraph/router/wire"
)

// Fetcher sends one GraphQL request to one subgraph instance; header holds
// the client headers to forward.
type Fetcher interface {
	Fetch(ctx context.Context, req *wire.SubgraphRequest, header http.Header) (*wire.SubgraphResponse, error)
}

// Func adapts a function to Fetcher.
type Func func(ctx context.Context, req *wire.SubgraphRequest, header http.Header) (*wire.SubgraphResponse, error)

// Fetch calls f.
func (f Func) Fetch(ctx context.Context, req *wire.SubgraphRequest, header http.Header) (*wire.SubgraphResponse, error) {
	return f(ctx, req, header)
}

// Middleware wraps the fetcher of one subgraph instance: subgraph is the
// subgraph's name and instance the URL it is reached at. It runs once per
// instance when the set is built, so what it returns can keep that
// instance's state (a breaker's counts, a span's attributes).
type Middleware func(subgraph, instance string, next Fetcher) Fetcher

// Subgraphs fetches from the subgraph each call names. Set implements it,
// and so does a fake standing in for every subgraph at once (tests,
// benchmarks); Bind turns such a fake into one subgraph's Fetcher.
type Subgraphs interface {
	Fetch(ctx context.Context, subgraph string, req *wire.SubgraphRequest, header http.Header) (*wire.SubgraphResponse, error)
}

// Set holds the fetcher of every subgraph by subgraph name. The executor
// holds a Set itself rather than a Subgraphs, so a fetch costs one map
// lookup and one interface call.
type Set map[string]Fetcher

var _ Subgraphs = Set(nil)

// NewSet builds the fetcher of each subgraph from its URL: newFetcher makes
// the instance's own fetcher and mws wrap it, the first outermost. Each
// subgraph has one instance today; with several, a balancing Fetcher over
// their wrapped fetchers would take the subgraph's place in the Set.
func NewSet(urls map[string]string, newFetcher func(subgraph, url string) Fetcher, mws ...Middleware) Set {
	s := make(Set, len(urls))
	for name, url := range urls {
		f := newFetcher(name, url)
		for i := len(mws) - 1; i >= 0; i-- {
			f = mws[i](name, url, f)
		}
		s[name] = f
	}
	return s
}

// Fetch sends req to the named subgraph.
func (s Set) Fetch(ctx context.Context, subgraph string, req *wire.SubgraphRequest, header http.Header) (*wire.SubgraphResponse, error) {
	f, ok := s[subgraph]
	if !ok {
		return nil, fmt.Errorf("no fetcher for subgraph %s", subgraph)
	}
	return f.Fetch(ctx, req, header)
}

// Bind returns the Fetcher that sends to subgraph through all.
func Bind(all Subgraphs, subgraph string) Fetcher {
	return bound{all: all, subgraph: subgraph}
}

type bound struct {
	all      Subgraphs
	subgraph string
}

func (b bound) Fetch(ctx context.Context, req *wire.SubgraphRequest, header http.Header) (*wire.SubgraphResponse, error) {
	return b.all.Fetch(ctx, b.subgraph, req, header)
}
