// Command bench measures the Cinegraph router on the classic four-subgraph
// federation benchmark: it starts the benchmark subgraphs and the router as
// separate processes, drives load from this process, and prints requests/s,
// p50/p99 latency, CPU microseconds per request (the target's, and the
// benchmark subgraphs' while it was measured) and peak RSS for each
// target, alternating targets round by round so the comparison holds on a
// noisy machine. Its scenarios (bench.Scenarios): a single fetch, a mixed
// load of 120 different queries in turn that no router can merge, and a
// deep query. -accept-encoding gzip (or zstd) asks every target for
// compressed responses; the router's compression settings come from the
// environment (CINEGRAPH_ROUTER_COMPRESSION_MIN_BYTES=0 ...). -tracing
// 0.01,1 measures, side by side with the router as configured (tracing
// off by default), one more router per sampling ratio exporting its spans
// over OTLP/HTTP to a sink in this process that accepts and drops them;
// -baseline BIN measures another cinegraph binary (an earlier build) beside
// this one. A peer router can be measured in the same run:
//
//	CINEGRAPH_BENCH_PEER_CMD='./router --config config.yaml' \
//	CINEGRAPH_BENCH_PEER_URL=http://127.0.0.1:3002/graphql \
//	CINEGRAPH_BENCH_PEER_NAME=cosmo make bench
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/cinegraph/cinegraph/bench"

	"github.com/cinegraph/cinegraph/router/compose"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// bigResponses lifts the router's response limit (8 MiB by default: the
// data a request gathers from subgraphs counts too) for the big scenario.
const bigResponses = "CINEGRAPH_ROUTER_LIMITS_MAX_RESPONSE_BYTES=67108864"

// directName names the target that calls the products subgraph directly.
const directName = "subgraph direct"

type options struct {
	cinegraph   string
	subgraphs   string
	schemaDir   string
	duration    time.Duration
	warmup      time.Duration
	rounds      int
	concurrency int
	routerPort  int
	basePort    int
	// acceptEncoding is sent with every request; empty sends none.
	acceptEncoding string
	// tracing lists sampling ratios, each measured on a router of its own.
	tracing string
	// baseline is another cinegraph binary (an earlier build) measured
	// beside this one.
	baseline string
	// writeSupergraph, when set, is where the benchmark's supergraph is
	// written, for a peer router to load, instead of measuring.
	writeSupergraph string
	// scenarios, when set, names the scenarios to run (comma list).
	scenarios string
}

func run(ctx context.Context) error {
	var o options
	flag.StringVar(&o.cinegraph, "cinegraph", "bin/cinegraph", "the cinegraph binary")
	flag.StringVar(&o.subgraphs, "subgraphs", "bin/benchsubgraphs", "the benchmark subgraphs binary")
	flag.StringVar(&o.schemaDir, "schemas", "bench/schema", "directory with <subgraph>/schema.graphqls")
	flag.DurationVar(&o.duration, "duration", 5*time.Second, "measured time per target per round")
	flag.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured load before each measurement")
	flag.IntVar(&o.rounds, "rounds", 3, "rounds; targets alternate within each round")
	flag.IntVar(&o.concurrency, "concurrency", 16, "concurrent client connections")
	flag.IntVar(&o.routerPort, "router-port", 5000, "port for the Cinegraph router")
	flag.IntVar(&o.basePort, "subgraph-port", 5001, "first of four subgraph ports")
	flag.StringVar(&o.acceptEncoding, "accept-encoding", "", "Accept-Encoding sent with every request (gzip, zstd, ...); empty asks for no compression")
	flag.StringVar(&o.baseline, "baseline", "", "another cinegraph binary (an earlier build) measured beside this one, configured alike")
	flag.StringVar(&o.tracing, "tracing", "", "comma-separated sampling ratios (0.01,1): one more router each, exporting spans over OTLP/HTTP to a local sink")
	flag.StringVar(&o.writeSupergraph, "write-supergraph", "", "write the benchmark's supergraph (subgraphs on -subgraph-port) to this file for a peer router, and exit")
	flag.StringVar(&o.scenarios, "scenarios", "", "comma-separated scenarios to run (single, mixed, duplicates, deep, big); empty runs all")
	flag.Parse()
	ratios, err := parseRatios(o.tracing)
	if err != nil {
		return err
	}

	tmp, err := os.MkdirTemp("", "cinegraph-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	names := []string{"accounts", "inventory", "products", "reviews"}
	var subgraphs []compose.Subgraph
	for i, name := range names {
		sdl, err := os.ReadFile(filepath.Join(o.schemaDir, name, "schema.graphqls"))
		if err != nil {
			return err
		}
		subgraphs = append(subgraphs, compose.Subgraph{Name: name, URL: fmt.Sprintf("http://127.0.0.1:%d/graphql", o.basePort+i), SDL: string(sdl)})
	}
	supergraph, err := compose.Compose(subgraphs)
	if err != nil {
		return fmt.Errorf("compose benchmark supergraph: %w", err)
	}
	if o.writeSupergraph != "" {
		return os.WriteFile(o.writeSupergraph, []byte(supergraph), 0o644)
	}
	supergraphFile := filepath.Join(tmp, "supergraph.graphql")
	if err := os.WriteFile(supergraphFile, []byte(supergraph), 0o644); err != nil {
		return err
	}

	sg, err := startProcess(ctx, "subgraphs", []string{o.subgraphs, "-port", fmt.Sprint(o.basePort)}, nil, fmt.Sprintf("http://127.0.0.1:%d/health", o.basePort+3))
	if err != nil {
		return err
	}
	defer sg.stop()
	routerURL := fmt.Sprintf("http://127.0.0.1:%d", o.routerPort)
	// Rate limits off: the load comes from one address by design, and a
	// peer router runs none either.
	ours, err := startProcess(ctx, "cinegraph", []string{o.cinegraph, "router", "--supergraph", supergraphFile, "--listen", fmt.Sprintf("127.0.0.1:%d", o.routerPort)},
		[]string{"CINEGRAPH_LOG_LEVEL=warn", "CINEGRAPH_DATA_DIR=" + tmp, "CINEGRAPH_ROUTER_RATE_LIMIT_ENABLED=false", bigResponses}, routerURL+"/health/ready")
	if err != nil {
		return err
	}
	defer ours.stop()

	targets := map[string][]target{}
	direct := target{name: directName, url: fmt.Sprintf("http://127.0.0.1:%d/graphql", o.basePort+2), proc: sg}
	cinegraph := target{name: "cinegraph", url: routerURL + "/graphql", proc: ours}
	// Every router runs every scenario; the subgraph called directly runs
	// only the query it answers alone.
	targets["single"] = []target{direct}
	addRouter := func(t target) {
		for _, sc := range bench.Scenarios {
			targets[sc.Name] = append(targets[sc.Name], t)
		}
	}
	addRouter(cinegraph)

	if o.baseline != "" {
		port := o.routerPort + 9
		u := fmt.Sprintf("http://127.0.0.1:%d", port)
		p, err := startProcess(ctx, "baseline", []string{o.baseline, "router", "--supergraph", supergraphFile, "--listen", fmt.Sprintf("127.0.0.1:%d", port)},
			[]string{"CINEGRAPH_LOG_LEVEL=warn", "CINEGRAPH_DATA_DIR=" + tmp, "CINEGRAPH_ROUTER_RATE_LIMIT_ENABLED=false", bigResponses}, u+"/health/ready")
		if err != nil {
			return err
		}
		defer p.stop()
		t := target{name: "cinegraph baseline", url: u + "/graphql", proc: p}
		addRouter(t)
	}

	var sink *spanSink
	if len(ratios) > 0 {
		sink = startSpanSink()
		defer sink.Close()
		for i, ratio := range ratios {
			port := o.routerPort + 10 + i
			u := fmt.Sprintf("http://127.0.0.1:%d", port)
			p, err := startProcess(ctx, "cinegraph", []string{o.cinegraph, "router", "--supergraph", supergraphFile, "--listen", fmt.Sprintf("127.0.0.1:%d", port)},
				[]string{"CINEGRAPH_LOG_LEVEL=warn", "CINEGRAPH_DATA_DIR=" + tmp, "CINEGRAPH_ROUTER_RATE_LIMIT_ENABLED=false", bigResponses,
					"CINEGRAPH_TRACING_EXPORTER=otlp-http", "CINEGRAPH_TRACING_ENDPOINT=" + sink.URL,
					fmt.Sprintf("CINEGRAPH_TRACING_SAMPLING_RATIO=%g", ratio)}, u+"/health/ready")
			if err != nil {
				return err
			}
			defer p.stop()
			t := target{name: fmt.Sprintf("cinegraph, tracing %g%%", ratio*100), url: u + "/graphql", proc: p}
			addRouter(t)
		}
	}

	if peerCmd := os.Getenv("CINEGRAPH_BENCH_PEER_CMD"); peerCmd != "" {
		peerURL := os.Getenv("CINEGRAPH_BENCH_PEER_URL")
		if peerURL == "" {
			return errors.New("CINEGRAPH_BENCH_PEER_URL is required with CINEGRAPH_BENCH_PEER_CMD")
		}
		name := os.Getenv("CINEGRAPH_BENCH_PEER_NAME")
		if name == "" {
			name = "peer"
		}
		peer, err := startProcess(ctx, name, []string{"/bin/sh", "-c", "exec " + peerCmd}, nil, "")
		if err != nil {
			return err
		}
		defer peer.stop()
		if err := waitForGraphQL(ctx, peerURL, 60*time.Second); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		pt := target{name: name, url: peerURL, proc: peer}
		addRouter(pt)
	}

	ae := o.acceptEncoding
	if ae == "" {
		ae = "none"
	}
	fmt.Printf("Federation benchmark: %d rounds x %s per target, %d connections, GOMAXPROCS of the load generator %d, Accept-Encoding %s\n\n",
		o.rounds, o.duration, o.concurrency, gomaxprocs(), ae)
	for _, sc := range bench.Scenarios {
		if o.scenarios != "" && !slices.Contains(strings.Split(o.scenarios, ","), sc.Name) {
			continue
		}
		sizes, err := verify(ctx, o, sc, targets[sc.Name])
		if err != nil {
			return err
		}
		results, err := measure(ctx, o, sc, targets[sc.Name], sg)
		if err != nil {
			return err
		}
		printTable(os.Stdout, sc, results)
		fmt.Printf("Response: %s\n\n", strings.Join(sizes, "; "))
	}
	if sink != nil {
		// Proof that the traced routers exported: batches the sink took.
		fmt.Printf("Span exports received by the OTLP sink: %d\n", sink.exports.Load())
	}
	return nil
}
