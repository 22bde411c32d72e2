package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// router.discovery loads from YAML and the environment, a map of lists
// included (comma lists in the environment).
func TestDiscoveryLoad(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "c.yaml")
	yaml := "router:\n  discovery:\n    mode: dns\n    balance: round_robin\n    subgraph_instances:\n      catalog: [http://a:1/graphql, http://b:1/graphql]\n    dns:\n      names:\n        video: video.ns.svc.cluster.local:4002\n      interval: 3s\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path, []string{
		"CINEGRAPH_ROUTER_DISCOVERY_SUBGRAPH_INSTANCES_CHAT=http://c1:4003/graphql, http://c2:4003/graphql",
		"CINEGRAPH_ROUTER_DISCOVERY_DNS_NAMES_INSIGHTS=_graphql._tcp.insights.ns.svc.cluster.local",
		"CINEGRAPH_ROUTER_DISCOVERY_ETCD_ENDPOINTS=127.0.0.1:2379,127.0.0.1:2380",
	})
	if err != nil {
		t.Fatal(err)
	}
	d := cfg.Router.Discovery
	if d.Mode != "dns" || d.Balance != "round_robin" || d.DNS.Interval != 3*time.Second {
		t.Errorf("mode, balance, interval = %q, %q, %s", d.Mode, d.Balance, d.DNS.Interval)
	}
	if got := d.SubgraphInstances["catalog"]; !slices.Equal(got, []string{"http://a:1/graphql", "http://b:1/graphql"}) {
		t.Errorf("catalog instances = %v", got)
	}
	if got := d.SubgraphInstances["chat"]; !slices.Equal(got, []string{"http://c1:4003/graphql", "http://c2:4003/graphql"}) {
		t.Errorf("chat instances from the environment = %v", got)
	}
	if d.DNS.Names["video"] != "video.ns.svc.cluster.local:4002" || d.DNS.Names["insights"] != "_graphql._tcp.insights.ns.svc.cluster.local" {
		t.Errorf("dns names = %v", d.DNS.Names)
	}
	if !slices.Equal(d.Etcd.Endpoints, []string{"127.0.0.1:2379", "127.0.0.1:2380"}) {
		t.Errorf("etcd endpoints = %v", d.Etcd.Endpoints)
	}
}

func TestDiscoveryProblems(t *testing.T) {
	t.Parallel()
	cfg := Default()
	cfg.Router.Discovery.Mode = "eureka"
	cfg.Router.Discovery.Balance = "random"
	cfg.Router.Discovery.SubgraphInstances = map[string][]string{"catalog": {"catalog:4001"}}
	cfg.Router.Discovery.Etcd.Prefix = "cinegraph"
	err := cfg.Validate()
	if err == nil {
		t.Fatal("no problems reported")
	}
	for _, want := range []string{"router.discovery.mode:", "router.discovery.balance:", "router.discovery.subgraph_instances.catalog[0]:", "router.discovery.etcd.prefix:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q missing from %v", want, err)
		}
	}
	cfg = Default()
	cfg.Router.Discovery.Mode = "etcd"
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "router.discovery.etcd.endpoints: required") {
		t.Errorf("etcd mode without endpoints: %v", err)
	}
}
