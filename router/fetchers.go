package router

import (
	"fmt"

	"github.com/cinegraph/cinegraph/router/discovery"
	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/supergraph"
)

// newFetchers builds the fetcher of every subgraph: HTTP to its URL, or
// cfg.Fetcher when that stands in for them all, wrapped per instance by
// cfg.FetchMiddleware. With cfg.Discovery, each subgraph's fetcher is a
// balancer over the instances the registry lists, each instance's fetcher
// wrapped alike; the discovery.Set returned then keeps them up to date.
// A subgraph in cfg.InProcess is answered by its fetcher there, wrapped
// alike, whatever the rest use; one the supergraph does not define is left
// out (a supergraph composed without that source).
func newFetchers(sg *supergraph.Supergraph, cfg Config) (fetch.Set, *discovery.Set, error) {
	set, balanced, err := remoteFetchers(sg, cfg)
	if err != nil {
		return nil, nil, err
	}
	local := map[string]string{}
	for name := range cfg.InProcess {
		if g, ok := sg.Graph(name); ok {
			local[name] = g.URL
		}
	}
	if len(local) > 0 {
		in := fetch.NewSet(local, func(subgraph, _ string) fetch.Fetcher {
			return fetch.CountAttempts(cfg.InProcess[subgraph])
		}, cfg.FetchMiddleware...)
		for name, f := range in {
			set[name] = f
		}
	}
	return set, balanced, nil
}

// remoteFetchers builds the fetchers of the subgraphs not in cfg.InProcess
// (newFetchers).
func remoteFetchers(sg *supergraph.Supergraph, cfg Config) (fetch.Set, *discovery.Set, error) {
	urls := map[string]string{}
	for _, g := range sg.Graphs {
		if _, local := cfg.InProcess[g.Name]; local {
			continue
		}
		urls[g.Name] = g.URL
	}
	for name, u := range cfg.SubgraphURLs {
		if _, ok := sg.Graph(name); !ok {
			return nil, nil, fmt.Errorf("router: SubgraphURLs names %q, which the supergraph does not define", name)
		}
		if _, local := cfg.InProcess[name]; !local {
			urls[name] = u
		}
	}
	policy, err := discovery.ParsePolicy(string(cfg.Balance))
	if err != nil {
		return nil, nil, fmt.Errorf("router: %w", err)
	}
	build := func(send func(subgraph, url string) fetch.Fetcher) (fetch.Set, *discovery.Set, error) {
		// Each attempt is counted where it is sent, inside retries, for
		// the timings of those who ask (execute.WithTimings).
		newFetcher := func(subgraph, url string) fetch.Fetcher {
			return fetch.CountAttempts(send(subgraph, url))
		}
		if cfg.Discovery == nil {
			return fetch.NewSet(urls, newFetcher, cfg.FetchMiddleware...), nil, nil
		}
		names := make([]string, 0, len(sg.Graphs))
		for _, g := range sg.Graphs {
			if _, local := cfg.InProcess[g.Name]; !local {
				names = append(names, g.Name)
			}
		}
		set := discovery.NewSet(cfg.Discovery, names, policy, func(subgraph, url string) fetch.Fetcher {
			f := newFetcher(subgraph, url)
			for i := len(cfg.FetchMiddleware) - 1; i >= 0; i-- {
				f = cfg.FetchMiddleware[i](subgraph, url, f)
			}
			return f
		})
		return set.Fetchers(), set, nil
	}
	if cfg.Fetcher != nil {
		return build(func(subgraph, _ string) fetch.Fetcher {
			return fetch.Bind(cfg.Fetcher, subgraph)
		})
	}
	client := cfg.Client
	var conns *fetch.ConnPool
	switch {
	case client == nil:
		client = fetch.DefaultClient()
		conns = fetch.NewConnPool()
	case client.Transport == nil:
		// A client without a transport would use http.DefaultTransport,
		// which keeps only two idle connections per subgraph; keep the
		// caller's timeout and other settings on a tuned transport.
		c := *client
		c.Transport = fetch.DefaultTransport()
		client = &c
		conns = fetch.NewConnPool()
	}
	// Plain-HTTP subgraphs go over the router's own keep-alive pool unless
	// the caller brought a transport of its own.
	opts := fetch.HTTPOptions{Client: client, Conns: conns, Timeout: client.Timeout,
		Compress: cfg.Compression.Subgraphs, CompressMinBytes: cfg.Compression.MinBytes}
	return build(func(subgraph, url string) fetch.Fetcher {
		return fetch.NewHTTP(subgraph, url, opts)
	})
}
