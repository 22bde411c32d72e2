package config

import (
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Discovery modes.
const (
	// DiscoveryModeStatic takes each subgraph's instances from
	// router.discovery.subgraph_instances, else its one URL
	// (router.subgraph_urls, then the supergraph's).
	DiscoveryModeStatic = "static"
	// DiscoveryModeDNS resolves router.discovery.dns.names on an interval.
	DiscoveryModeDNS = "dns"
	// DiscoveryModeEtcd watches the instances registered in etcd.
	DiscoveryModeEtcd = "etcd"
)

// Balancing policies.
const (
	BalanceP2C        = "p2c"
	BalanceRoundRobin = "round_robin"
)

// Defaults of router.discovery.
const (
	DefaultDNSInterval = 10 * time.Second
	DefaultEtcdPrefix  = "/cinegraph/subgraphs/"
	// DefaultEtcdTTL is the lease of a subgraph's registration: how long an
	// instance that died without deregistering stays listed.
	DefaultEtcdTTL         = 10 * time.Second
	DefaultEtcdDialTimeout = 5 * time.Second
)

// Discovery says where the router finds the instances of each subgraph and
// how it spreads fetches over them. `cinegraph serve` runs one instance of
// each in-process and ignores it.
type Discovery struct {
	// Mode is static, dns or etcd.
	Mode string `koanf:"mode" yaml:"mode"`
	// SubgraphInstances lists the instance URLs of a subgraph, by name, in
	// static mode (and for subgraphs dns.names leaves out in dns mode).
	SubgraphInstances map[string][]string `koanf:"subgraph_instances" yaml:"subgraph_instances"`
	DNS               DiscoveryDNS        `koanf:"dns" yaml:"dns"`
	Etcd              DiscoveryEtcd       `koanf:"etcd" yaml:"etcd"`
	// Balance is p2c (the less loaded of two random instances) or
	// round_robin.
	Balance string `koanf:"balance" yaml:"balance"`
}

// DiscoveryDNS resolves subgraph instances from DNS.
type DiscoveryDNS struct {
	// Names maps a subgraph to an A/AAAA name with a port, or an SRV name
	// (first label starting with "_"), optionally as a URL giving the
	// scheme and path: catalog.ns.svc.cluster.local:4001, or
	// http://_graphql._tcp.catalog.ns.svc.cluster.local/graphql.
	Names map[string]string `koanf:"names" yaml:"names"`
	// Interval between resolutions.
	Interval time.Duration `koanf:"interval" yaml:"interval"`
}

// DiscoveryEtcd finds subgraph instances registered in etcd.
type DiscoveryEtcd struct {
	// Endpoints are the etcd cluster's client URLs or host:port addresses.
	Endpoints []string `koanf:"endpoints" yaml:"endpoints"`
	// Prefix is where instances register: <prefix><subgraph>/<id> → URL.
	Prefix string `koanf:"prefix" yaml:"prefix"`
	// TTL is the lease a subgraph registers with (subgraph --register).
	TTL         time.Duration `koanf:"ttl" yaml:"ttl"`
	DialTimeout time.Duration `koanf:"dial_timeout" yaml:"dial_timeout"`
}

func defaultDiscovery() Discovery {
	return Discovery{
		Mode:              DiscoveryModeStatic,
		SubgraphInstances: map[string][]string{},
		DNS:               DiscoveryDNS{Names: map[string]string{}, Interval: DefaultDNSInterval},
		Etcd:              DiscoveryEtcd{Endpoints: []string{}, Prefix: DefaultEtcdPrefix, TTL: DefaultEtcdTTL, DialTimeout: DefaultEtcdDialTimeout},
		Balance:           BalanceP2C,
	}
}

func (d Discovery) problems(check func(ok bool, format string, args ...any)) {
	const p = "router.discovery"
	check(slices.Contains([]string{DiscoveryModeStatic, DiscoveryModeDNS, DiscoveryModeEtcd}, d.Mode), "%s.mode: %q is not one of static, dns, etcd", p, d.Mode)
	check(slices.Contains([]string{BalanceP2C, BalanceRoundRobin}, d.Balance), "%s.balance: %q is not one of p2c, round_robin", p, d.Balance)
	for _, name := range slices.Sorted(maps.Keys(d.SubgraphInstances)) {
		for i, u := range d.SubgraphInstances[name] {
			check(httpURL(u), "%s.subgraph_instances.%s[%d]: %q is not an http(s) URL", p, name, i, u)
		}
	}
	check(d.DNS.Interval > 0, "%s.dns.interval: must be positive, got %s", p, d.DNS.Interval)
	for _, name := range sortedKeys(d.DNS.Names) {
		check(strings.TrimSpace(d.DNS.Names[name]) != "", "%s.dns.names.%s: must not be empty", p, name)
	}
	if d.Mode == DiscoveryModeDNS {
		check(len(d.DNS.Names) > 0, "%s.dns.names: required in dns mode", p)
	}
	if d.Mode == DiscoveryModeEtcd {
		check(len(d.Etcd.Endpoints) > 0, "%s.etcd.endpoints: required in etcd mode", p)
	}
	for i, e := range d.Etcd.Endpoints {
		check(e != "", "%s.etcd.endpoints[%d]: must not be empty", p, i)
	}
	check(strings.HasPrefix(d.Etcd.Prefix, "/"), "%s.etcd.prefix: %q must start with /", p, d.Etcd.Prefix)
	check(d.Etcd.TTL >= time.Second, "%s.etcd.ttl: must be at least 1s, got %s", p, d.Etcd.TTL)
	check(d.Etcd.DialTimeout > 0, "%s.etcd.dial_timeout: must be positive, got %s", p, d.Etcd.DialTimeout)
}

func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
