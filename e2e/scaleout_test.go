package e2e

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/bench/faults"
	"github.com/cinegraph/cinegraph/internal/enginetest"
)

// clusterEngines are the addresses deploy/config/cluster.yaml expects.
var clusterEngines = []string{"127.0.0.1:55432", "127.0.0.1:59042", "127.0.0.1:56379", "127.0.0.1:59200", kafkaBroker}

// TestRollingRestart is make scale-demo's phase B, shorter: two routers and
// two instances of each subgraph in cluster mode (etcd discovery) under a
// steady load through a client-side balancer that follows readiness, with
// websocket subscribers on one room, and every process restarted one at a
// time with SIGTERM (server.drain_delay 1s). No request may fail, no
// subscriber may miss a message or get one twice, and every process must
// exit 0.
func TestRollingRestart(t *testing.T) {
	bin := prepare(t)
	for _, addr := range clusterEngines {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			msg := fmt.Sprintf("no cluster engine at %s (make services-up starts them): %v", addr, err)
			if enginetest.Required() {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
		_ = conn.Close()
	}
	cfg, err := filepath.Abs("../deploy/config/cluster.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	f, err := faults.StartFleet(ctx, faults.FleetOptions{
		Bin: bin, Config: cfg, DataParent: t.TempDir(),
		DrainDelay: time.Second, EtcdTTL: 5 * time.Second, Routers: 2, PerSubgraph: 2,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := faults.Rehearse(ctx, f, faults.ScaleOptions{
		Rate: 5, Subscribers: 4, PostRate: 4, Steady: 2 * time.Second, Settle: time.Second, SkipCrash: true, Log: os.Stderr,
	})
	if rep != nil {
		rep.Print(os.Stderr)
	}
	if err != nil {
		t.Fatal(err)
	}
	const rolling = "B: rolling restart"
	if s := rep.Requests(rolling); s.Sent == 0 || s.Failed > 0 {
		t.Errorf("during the rolling restart: %s %v, want none failed", s, s.Reasons)
	}
	sub := rep.Subscriptions(rolling)
	if sub.Posted == 0 || sub.Missed > 0 || sub.Duplicated > 0 {
		t.Errorf("subscribers missed %d and got %d twice of %d deliveries due (%d messages posted), want none missed or duplicated", sub.Missed, sub.Duplicated, sub.Expected, sub.Posted)
	}
	if len(rep.Exits) != len(f.Names()) {
		t.Errorf("%d processes stopped with SIGTERM, want %d", len(rep.Exits), len(f.Names()))
	}
	for name, code := range rep.Exits {
		if code != 0 {
			t.Errorf("%s exited %d after SIGTERM, want 0", name, code)
		}
	}
}
