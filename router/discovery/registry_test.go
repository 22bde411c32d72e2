package discovery_test

import (
	"context"
	"errors"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/router/discovery"
	"github.com/cinegraph/cinegraph/router/discovery/etcdtest"
)

// changes collects a registry's notifications for one subgraph.
type changes struct {
	ch chan []string
}

func watch(t *testing.T, reg discovery.Registry, subgraph string) *changes {
	c := &changes{ch: make(chan []string, 64)}
	cancel := reg.Subscribe(func(name string, urls []string) {
		if name == subgraph {
			c.ch <- urls
		}
	})
	t.Cleanup(cancel)
	return c
}

// next waits for the notification that makes the set want.
func (c *changes) next(t *testing.T, want []string) time.Duration {
	t.Helper()
	start := time.Now()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case got := <-c.ch:
			if slices.Equal(got, want) {
				return time.Since(start)
			}
		case <-deadline:
			t.Fatalf("no change to %v within 5s", want)
		}
	}
}

func TestStatic(t *testing.T) {
	t.Parallel()
	s := discovery.NewStatic(map[string][]string{"catalog": {"http://b/graphql", "http://a/graphql", "http://a/graphql"}})
	defer s.Close()
	if got := s.Instances("catalog"); !slices.Equal(got, []string{"http://a/graphql", "http://b/graphql"}) {
		t.Errorf("instances = %v, want sorted and deduplicated", got)
	}
	c := watch(t, s, "catalog")
	s.Set("catalog", []string{"http://c/graphql"})
	c.next(t, []string{"http://c/graphql"})
	s.Set("catalog", nil)
	c.next(t, []string{})
}

// fakeResolver answers from maps a test changes.
type fakeResolver struct {
	mu    sync.Mutex
	hosts map[string][]string
	srvs  map[string][]*net.SRV
	fail  bool
}

func (r *fakeResolver) LookupHost(_ context.Context, host string) ([]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail {
		return nil, errors.New("SERVFAIL")
	}
	return r.hosts[host], nil
}

func (r *fakeResolver) LookupSRV(_ context.Context, service, proto, name string) (string, []*net.SRV, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if service != "" || proto != "" {
		return "", nil, errors.New("the name should be looked up as is")
	}
	if r.fail {
		return "", nil, errors.New("SERVFAIL")
	}
	return name, r.srvs[name], nil
}

func (r *fakeResolver) set(f func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f()
}

func TestDNS(t *testing.T) {
	t.Parallel()
	res := &fakeResolver{
		hosts: map[string][]string{"catalog.ns.svc.cluster.local": {"10.0.0.2", "10.0.0.1", "fd00::1"}},
		srvs: map[string][]*net.SRV{"_graphql._tcp.video.ns.svc.cluster.local": {
			{Target: "video-0.video.ns.svc.cluster.local.", Port: 4002},
			{Target: "video-1.video.ns.svc.cluster.local.", Port: 4002},
		}},
	}
	d, err := discovery.NewDNS(context.Background(), discovery.DNSConfig{
		Names: map[string]string{
			"catalog": "catalog.ns.svc.cluster.local:4001",
			"video":   "https://_graphql._tcp.video.ns.svc.cluster.local/query",
		},
		Static:   map[string][]string{"chat": {"http://chat:4003/graphql"}, "catalog": {"http://ignored/graphql"}},
		Interval: 20 * time.Millisecond,
		Resolver: res,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for _, tc := range []struct {
		subgraph string
		want     []string
	}{
		{"catalog", []string{"http://10.0.0.1:4001/graphql", "http://10.0.0.2:4001/graphql", "http://[fd00::1]:4001/graphql"}},
		{"video", []string{"https://video-0.video.ns.svc.cluster.local:4002/query", "https://video-1.video.ns.svc.cluster.local:4002/query"}},
		{"chat", []string{"http://chat:4003/graphql"}},
	} {
		if got := d.Instances(tc.subgraph); !slices.Equal(got, tc.want) {
			t.Errorf("%s: instances = %v, want %v", tc.subgraph, got, tc.want)
		}
	}
	c := watch(t, d, "catalog")
	// A pod goes away: the next resolution drops it.
	res.set(func() { res.hosts["catalog.ns.svc.cluster.local"] = []string{"10.0.0.2"} })
	c.next(t, []string{"http://10.0.0.2:4001/graphql"})
	// DNS fails: the instances last found stay.
	res.set(func() { res.fail = true })
	time.Sleep(100 * time.Millisecond)
	if got := d.Instances("catalog"); !slices.Equal(got, []string{"http://10.0.0.2:4001/graphql"}) {
		t.Errorf("after failed lookups: %v", got)
	}
}

func TestDNSTargets(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"catalog:4001", "http://catalog:4001/graphql", true},
		{"_graphql._tcp.catalog", "http://_graphql._tcp.catalog/graphql", true},
		{"catalog", "", false}, // no port
		{"ftp://catalog:21/x", "", false},
	} {
		u, err := discovery.ParseDNSTarget(tc.in)
		if (err == nil) != tc.ok || (err == nil && u.String() != tc.want) {
			t.Errorf("ParseDNSTarget(%q) = %v, %v; want %q ok=%v", tc.in, u, err, tc.want, tc.ok)
		}
	}
}

// Against a real etcd: instances registered with a lease appear, and one
// deregistering (its lease revoked) disappears within a second.
func TestEtcd(t *testing.T) {
	t.Parallel()
	client, _ := etcdtest.Start(t)
	ctx := context.Background()
	const prefix = "/test/subgraphs/"
	a, err := discovery.RegisterAt(ctx, client, prefix, "chat", "http://127.0.0.1:5001/graphql", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := discovery.NewEtcd(ctx, client, prefix, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	if got := reg.Instances("chat"); !slices.Equal(got, []string{"http://127.0.0.1:5001/graphql"}) {
		t.Fatalf("instances at start = %v", got)
	}
	c := watch(t, reg, "chat")
	b, err := discovery.RegisterAt(ctx, client, prefix, "chat", "http://127.0.0.1:5002/graphql", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	took := c.next(t, []string{"http://127.0.0.1:5001/graphql", "http://127.0.0.1:5002/graphql"})
	t.Logf("registration seen after %s", took)
	start := time.Now()
	if err := a.Deregister(); err != nil {
		t.Fatal(err)
	}
	c.next(t, []string{"http://127.0.0.1:5002/graphql"})
	took = time.Since(start)
	t.Logf("deregistration seen %s after Deregister was called", took)
	if took > time.Second {
		t.Errorf("deregistration took %s to reach the router, want under 1s", took)
	}
	// A registration whose context ends revokes its lease too.
	cctx, cancel := context.WithCancel(ctx)
	if _, err := discovery.RegisterAt(cctx, client, prefix, "video", "http://127.0.0.1:6001/graphql", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	v := watch(t, reg, "video")
	if len(reg.Instances("video")) == 0 {
		v.next(t, []string{"http://127.0.0.1:6001/graphql"})
	}
	cancel()
	v.next(t, []string{})
	if err := b.Deregister(); err != nil {
		t.Fatal(err)
	}
}

// Restarting etcd under a router: while it is down the router keeps the
// instances it knew, and once it is back a registration kept alive through
// the outage is still listed and new ones reach the router.
func TestEtcdRestart(t *testing.T) {
	t.Parallel()
	srv := etcdtest.StartServer(t)
	ctx := context.Background()
	const prefix = "/test/restart/"
	const urlA, urlB = "http://127.0.0.1:5101/graphql", "http://127.0.0.1:5102/graphql"
	a, err := discovery.RegisterAt(ctx, srv.Client, prefix, "chat", urlA, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := discovery.NewEtcd(ctx, srv.Client, prefix, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	c := watch(t, reg, "chat")

	srv.Stop()
	// Give a watch that wrongly treats the outage as an empty registry the
	// time to say so.
	time.Sleep(time.Second)
	if got := reg.Instances("chat"); !slices.Equal(got, []string{urlA}) {
		t.Fatalf("with etcd down the router lists %v, want the instance it knew", got)
	}
	select {
	case got := <-c.ch:
		t.Fatalf("with etcd down the router was told %v", got)
	default:
	}

	srv.Start(t)
	b, err := discovery.RegisterAt(ctx, srv.Client, prefix, "chat", urlB, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c.next(t, []string{urlA, urlB})
	if err := a.Deregister(); err != nil {
		t.Fatal(err)
	}
	c.next(t, []string{urlB})
	if err := b.Deregister(); err != nil {
		t.Fatal(err)
	}
}
