// Command scaleout is Cinegraph's scale-out rehearsal (make scale-demo): on
// one machine, in cluster mode against the engines of make services-up, it
// starts two routers and two instances of every subgraph as separate
// processes discovering each other through etcd (run inside this program),
// migrates and seeds once, and puts a steady mixed load through both
// routers as a client-side load balancer would (round robin over the
// routers whose /health/ready answers, polled every 250 ms), with
// websocket subscribers that resume from their cursor. Then phase A kills
// one instance of each subgraph and one router with SIGKILL, and phase B
// restarts every process one at a time with SIGTERM, each replacement
// ready before the next. It prints, per phase, requests sent and failed,
// p50/p99 latency, subscription messages missed and duplicated and
// reconnections, and each process's RSS and CPU seconds per 1,000
// requests. It prints figures and never fails on them.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/cinegraph/cinegraph/bench/faults"
)

// engines are the addresses deploy/config/cluster.yaml expects.
var engines = map[string]string{
	"PostgreSQL": "127.0.0.1:55432", "Cassandra": "127.0.0.1:59042", "Redis": "127.0.0.1:56379",
	"Elasticsearch": "127.0.0.1:59200", "Kafka": "127.0.0.1:59092",
}

func main() {
	var (
		fo faults.FleetOptions
		so faults.ScaleOptions
	)
	flag.StringVar(&fo.Bin, "bin", "bin/cinegraph", "cinegraph binary (make build)")
	flag.StringVar(&fo.Config, "config", "deploy/config/cluster.yaml", "cluster-mode configuration every process loads")
	flag.StringVar(&fo.DataParent, "data-parent", "", "where the fresh data directory goes (default: the temporary directory)")
	flag.DurationVar(&fo.DrainDelay, "drain-delay", 2*time.Second, "every process's server.drain_delay")
	flag.DurationVar(&fo.EtcdTTL, "etcd-ttl", 5*time.Second, "the subgraphs' registration lease (router.discovery.etcd.ttl)")
	flag.IntVar(&fo.Routers, "routers", 2, "routers")
	flag.IntVar(&fo.PerSubgraph, "instances", 2, "instances of each subgraph")
	flag.IntVar(&so.Rate, "rate", 10, "requests per second of each kind of query")
	flag.IntVar(&so.Subscribers, "subscribers", 8, "websocket subscribers on one room")
	flag.IntVar(&so.PostRate, "post-rate", 5, "messages posted to the room per second")
	flag.DurationVar(&so.Steady, "steady", 10*time.Second, "load before any fault (the sizing window)")
	flag.DurationVar(&so.Crash, "crash", 12*time.Second, "phase A: load around the kills")
	flag.DurationVar(&so.Settle, "settle", 3*time.Second, "load after the rolling restart")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, fo, so); err != nil {
		fmt.Fprintln(os.Stderr, "scale-demo:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, fo faults.FleetOptions, so faults.ScaleOptions) error {
	var down []string
	for name, addr := range engines {
		conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err != nil {
			down = append(down, name+" at "+addr)
			continue
		}
		conn.Close()
	}
	if len(down) > 0 {
		return fmt.Errorf("cluster engines not reachable (%s): run make services-up first", strings.Join(down, ", "))
	}
	var err error
	if fo.Config, err = filepath.Abs(fo.Config); err != nil {
		return err
	}
	so.Log = os.Stdout
	start := time.Now()
	fmt.Printf("starting %d routers and %d instances of each of %v in cluster mode (%s), discovery through etcd; migrate and seed once\n",
		fo.Routers, fo.PerSubgraph, faults.FleetSubgraphs, fo.Config)
	f, err := faults.StartFleet(ctx, fo)
	if err != nil {
		return err
	}
	defer f.Close()
	fmt.Printf("fleet ready in %s (etcd %s); server.drain_delay %s, registration lease %s\n", time.Since(start).Round(100*time.Millisecond), f.Etcd(), fo.DrainDelay, fo.EtcdTTL)
	var kinds []string
	for _, k := range faults.ScaleKinds {
		kinds = append(kinds, k.Name)
	}
	fmt.Printf("load: %d requests/s of each of [%s], %d posts/s to one room, %d websocket subscribers on it; client-side round robin over ready routers (readiness polled every %s)\n",
		so.Rate, strings.Join(kinds, ", "), so.PostRate, so.Subscribers, faults.ReadinessPoll)
	rep, err := faults.Rehearse(ctx, f, so)
	if rep != nil {
		rep.Print(os.Stdout)
	}
	return err
}
