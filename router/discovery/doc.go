// Package discovery finds the instances of each subgraph and spreads the
// router's fetches over them, in the roles Eureka and Ribbon play: a
// Registry says, per subgraph name, which instance URLs are live now and
// tells its subscribers when that changes (static configuration, DNS A/AAAA
// or SRV records re-resolved on an interval, or etcd keys under a prefix
// kept alive by the instances' leases), and a Balancer per subgraph picks
// the instance of each fetch (round-robin, or the less loaded of two
// random picks) among those whose guard says they are worth trying.
//
// Each instance keeps the fetcher the router's fetch.Middleware built for
// it (its resilience guard: breakers, bulkhead, retries); when a fetch is
// refused by one instance's guard or cannot reach it, the balancer tries
// another. An instance that leaves the registry gets no new fetches, and
// its fetcher is released once those in flight have finished.
//
// The package knows nothing of Cinegraph's subgraphs or its composition
// root: it deals in subgraph names and URLs.
package discovery
