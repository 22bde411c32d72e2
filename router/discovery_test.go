package router

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/router/discovery"
	"github.com/cinegraph/cinegraph/router/discovery/etcdtest"
	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/resilience"
)

// End to end through a real etcd: two instances of every subgraph register,
// the router's fetches (each instance behind its own resilience guard)
// share the load between them, and once the second instances deregister
// they get no new fetch, within a second.
func TestDiscoveryEtcdEndToEnd(t *testing.T) {
	t.Parallel()
	client, _ := etcdtest.Start(t)
	ctx := context.Background()
	const prefix = "/e2e/subgraphs/"
	type instance struct {
		label string
		url   string
		hits  atomic.Int64
		reg   *discovery.Registration
	}
	var instances []*instance
	for _, part := range productParts(t) {
		s := part.s
		for _, letter := range []string{"a", "b"} {
			in := &instance{label: part.name + "-" + letter}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				in.hits.Add(1)
				s.ServeHTTP(w, r)
			}))
			t.Cleanup(srv.Close)
			in.url = srv.URL + "/graphql"
			var err error
			in.reg, err = discovery.RegisterAt(ctx, client, prefix, part.name, in.url, 10*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			instances = append(instances, in)
		}
	}
	reg, err := discovery.NewEtcd(ctx, client, prefix, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reg.Close() })
	guard, err := resilience.New(resilience.Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sdl, err := os.ReadFile("testdata/shared.supergraph.graphql")
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(Config{SupergraphSDL: string(sdl), Discovery: reg, FetchMiddleware: []fetch.Middleware{guard.Middleware}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.StopDiscovery)
	const query = `{ product { id name { brand } price { amount } category { name } } }`
	const want = `{"data":{"product":{"id":"1","name":{"brand":"Brand 1"},"price":{"amount":1000},"category":{"name":"Category 1"}}}}`
	run := func(n int) {
		t.Helper()
		for range n {
			if res := do(t, r, http.MethodPost, query, nil, nil); res.body != want {
				t.Fatalf("got %s", res.body)
			}
		}
	}
	counts := func() map[string]int64 {
		out := map[string]int64{}
		for _, in := range instances {
			out[in.label] = in.hits.Load()
		}
		return out
	}

	run(200)
	before := counts()
	t.Logf("after 200 requests with both instances registered: %v", before)
	for _, in := range instances {
		if n := before[in.label]; n < 20 {
			t.Errorf("%s got %d fetches, want a share of the load", in.label, n)
		}
	}
	if got := len(guard.Report()); got != len(instances) {
		t.Errorf("the guard holds %d instances, want %d", got, len(instances))
	}

	// The b instances leave.
	start := time.Now()
	for _, in := range instances {
		if strings.HasSuffix(in.label, "-b") {
			if err := in.reg.Deregister(); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, name := range []string{"category", "name", "price"} {
		for {
			var urls []string
			for _, s := range r.Balancer(name).Instances() {
				urls = append(urls, s.URL)
			}
			if len(urls) == 1 && !slices.ContainsFunc(instances, func(in *instance) bool { return in.url == urls[0] && strings.HasSuffix(in.label, "-b") }) {
				break
			}
			if time.Since(start) > 5*time.Second {
				t.Fatalf("%s still balances over %v 5s after deregistration", name, urls)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	took := time.Since(start)
	t.Logf("the router dropped the deregistered instances %s after deregistration began", took)
	if took > time.Second {
		t.Errorf("the router took %s to stop picking deregistered instances, want under 1s", took)
	}
	mid := counts()
	run(100)
	after := counts()
	t.Logf("after 100 more requests with the b instances deregistered: %v", after)
	for _, in := range instances {
		gained := after[in.label] - mid[in.label]
		if strings.HasSuffix(in.label, "-b") && gained != 0 {
			t.Errorf("%s got %d new fetches after deregistering", in.label, gained)
		}
		if strings.HasSuffix(in.label, "-a") && gained < 100 {
			t.Errorf("%s got %d new fetches, want all %d", in.label, gained, 100)
		}
	}
	if got := len(guard.Report()); got != len(instances)/2 {
		t.Errorf("after draining, the guard holds %d instances, want %d", got, len(instances)/2)
	}
}
