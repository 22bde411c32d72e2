package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/router/discovery"
	"github.com/cinegraph/cinegraph/router/resilience"
	"github.com/cinegraph/cinegraph/router/supergraph"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// withoutDiscovery is cfg routing to one instance per subgraph, as `serve`
// (whose subgraphs run in-process) and `router plan` (which fetches
// nothing) do whatever router.discovery says.
func withoutDiscovery(cfg config.Config) config.Config {
	cfg.Router.Discovery.Mode = config.DiscoveryModeStatic
	cfg.Router.Discovery.SubgraphInstances = nil
	return cfg
}

// WithoutDiscovery is withoutDiscovery for commands outside app.
func WithoutDiscovery(cfg config.Config) config.Config { return withoutDiscovery(cfg) }

// openDiscovery opens the registry router.discovery names, or returns nil
// when the router routes to one URL per subgraph (static mode without
// subgraph_instances): then nothing changes from a router without
// discovery. urls are the subgraphs' single URLs (router.subgraph_urls over
// the supergraph's), which static and dns modes fall back to for the
// subgraphs they do not list. close releases what it opened.
func openDiscovery(ctx context.Context, cfg config.Config, sdl string, urls map[string]string, logger *slog.Logger) (reg discovery.Registry, close func() error, err error) {
	d := cfg.Router.Discovery
	if d.Mode == config.DiscoveryModeStatic && len(d.SubgraphInstances) == 0 {
		return nil, nil, nil
	}
	fallback := map[string][]string{}
	if d.Mode != config.DiscoveryModeEtcd {
		sg, err := supergraph.Parse(sdl)
		if err != nil {
			return nil, nil, fmt.Errorf("router: %w", err)
		}
		for _, g := range sg.Graphs {
			fallback[g.Name] = []string{g.URL}
		}
		for name, u := range urls {
			fallback[name] = []string{u}
		}
		for name, list := range d.SubgraphInstances {
			if _, ok := sg.Graph(name); !ok {
				return nil, nil, fmt.Errorf("router.discovery.subgraph_instances names %q, which the supergraph does not define", name)
			}
			fallback[name] = list
		}
	}
	switch d.Mode {
	case config.DiscoveryModeDNS:
		r, err := discovery.NewDNS(ctx, discovery.DNSConfig{Names: d.DNS.Names, Static: fallback, Interval: d.DNS.Interval, Logger: logger})
		if err != nil {
			return nil, nil, err
		}
		return r, r.Close, nil
	case config.DiscoveryModeEtcd:
		client, err := etcdClient(d.Etcd.Endpoints, d.Etcd.DialTimeout)
		if err != nil {
			return nil, nil, err
		}
		r, err := discovery.NewEtcd(ctx, client, d.Etcd.Prefix, logger)
		if err != nil {
			return nil, nil, errors.Join(err, client.Close())
		}
		return r, func() error { return errors.Join(r.Close(), client.Close()) }, nil
	}
	r := discovery.NewStatic(fallback)
	return r, r.Close, nil
}

// etcdClient connects to the etcd cluster at endpoints.
func etcdClient(endpoints []string, dialTimeout time.Duration) (*clientv3.Client, error) {
	if dialTimeout <= 0 {
		dialTimeout = config.DefaultEtcdDialTimeout
	}
	client, err := clientv3.New(clientv3.Config{Endpoints: endpoints, DialTimeout: dialTimeout, Logger: zap.NewNop()})
	if err != nil {
		return nil, fmt.Errorf("etcd %s: %w", strings.Join(endpoints, ","), err)
	}
	return client, nil
}

// unknownSubgraphs returns, sorted, the subgraphs router.resilience names
// that the supergraph does not define. With discovery the guard learns of
// instances only as they register, so they are checked against the
// supergraph rather than against the guard's instances (Guard.Unrouted).
func unknownSubgraphs(guard *resilience.Guard, cfg config.Router, sg *supergraph.Supergraph, discovered bool) []string {
	if !discovered {
		return guard.Unrouted()
	}
	var out []string
	for _, name := range append(slices.Collect(maps.Keys(cfg.Resilience.Subgraphs)), cfg.Resilience.Required...) {
		if _, ok := sg.Graph(name); !ok && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// EtcdEndpoints parses a command line's etcd://host:port[,host:port].
func EtcdEndpoints(s string) ([]string, error) {
	rest, ok := strings.CutPrefix(s, "etcd://")
	if !ok {
		return nil, fmt.Errorf("%q is not etcd://host:port[,host:port]", s)
	}
	var out []string
	for _, hp := range strings.Split(rest, ",") {
		if hp = strings.TrimSpace(hp); hp != "" {
			out = append(out, hp)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%q names no etcd endpoint", s)
	}
	return out, nil
}

// RegisterSubgraph registers the instance of subgraph reachable at
// advertise in the etcd cluster at endpoints, under
// router.discovery.etcd.prefix with a lease of router.discovery.etcd.ttl,
// and keeps it registered until ctx is done or stop is called; both revoke
// the lease at once, so routers stop sending new fetches while the
// instance drains.
func RegisterSubgraph(ctx context.Context, cfg config.Config, endpoints []string, subgraph, advertise string, logger *slog.Logger) (stop func() error, err error) {
	client, err := etcdClient(endpoints, cfg.Router.Discovery.Etcd.DialTimeout)
	if err != nil {
		return nil, err
	}
	reg, err := discovery.RegisterAt(ctx, client, cfg.Router.Discovery.Etcd.Prefix, subgraph, advertise, cfg.Router.Discovery.Etcd.TTL)
	if err != nil {
		return nil, errors.Join(err, client.Close())
	}
	logger.Info("registered in etcd", "subgraph", subgraph, "url", advertise, "key", reg.Key())
	stopped := context.AfterFunc(ctx, func() { _ = reg.Deregister() })
	return func() error {
		stopped()
		err := reg.Deregister()
		return errors.Join(err, client.Close())
	}, nil
}
