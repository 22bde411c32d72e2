package router

import (
	"fmt"

	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/supergraph"
)

// newFetchers builds the fetcher of every subgraph: HTTP to its URL, or
// cfg.Fetcher when that stands in for them all, wrapped per instance by
// cfg.FetchMiddleware.
func newFetchers(sg *supergraph.Supergraph, cfg Config) (fetch.Set, error) {
	urls := map[string]string{}
	for _, g := range sg.Graphs {
		urls[g.Name] = g.URL
	}
	for name, u := range cfg.SubgraphURLs {
		if _, ok := sg.Graph(name); !ok {
			return nil, fmt.Errorf("router: SubgraphURLs names %q, which the supergraph does not define", name)
		}
		urls[name] = u
	}
	if cfg.Fetcher != nil {
		return fetch.NewSet(urls, func(subgraph, _ string) fetch.Fetcher {
			return fetch.Bind(cfg.Fetcher, subgraph)
		}, cfg.FetchMiddleware...), nil
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
	opts := fetch.HTTPOptions{Client: client, Conns: conns, Timeout: client.Timeout}
	return fetch.NewSet(urls, func(subgraph, url string) fetch.Fetcher {
		return fetch.NewHTTP(subgraph, url, opts)
	}, cfg.FetchMiddleware...), nil
}
