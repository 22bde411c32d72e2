// Package main is the storage benchmark behind `make bench-storage`: it runs
// the same catalog page query through the whole platform (router and the
// four subgraphs, in process on a loopback listener) on embedded storage and
// on the cluster engines, and prints requests/s, p50/p95/p99 latency and
// store calls per request as a Markdown table. It drives the platform with
// a few clients in closed loop, or, with -rate, at a fixed arrival rate
// (open loop), the way users arrive.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/cinegraph/cinegraph/internal/config"
)

// pageQuery is the catalog page the benchmark asks for.
const pageQuery = `{ titles(first: 50) { edges { node { id name videos { id name } chatRoom { id messageCount } audienceSentiment { label messageCount } } } } }`

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench-storage:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		duration = flag.Duration("duration", 10*time.Second, "measured time per storage mode")
		warmup   = flag.Duration("warmup", 2*time.Second, "unmeasured load before each measurement")
		clients  = flag.Int("clients", 4, "concurrent clients (closed loop)")
		rate     = flag.Float64("rate", 0, "requests per second, started on schedule whatever the answers' pace (open loop; replaces -clients)")
		modes    = flag.String("modes", "embedded,cluster", "storage modes to measure, comma-separated")
		dataDir  = flag.String("data", "", "embedded data directory (default: a fresh temporary one)")
		verbose  = flag.Bool("v", false, "show the platform's logs")
		profile  = flag.String("cpuprofile", "", "write a CPU profile of the measured phases (router, subgraphs and load generator: one process) to this file")
	)
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	logOut := io.Discard
	if *verbose {
		logOut = os.Stderr
	}
	logger := slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: slog.LevelInfo}))

	base, err := config.Load("", os.Environ())
	if err != nil {
		return fmt.Errorf("load settings: %w", err)
	}
	if *rate < 0 {
		return fmt.Errorf("-rate %g: must be positive", *rate)
	}
	l := load{clients: *clients, rate: *rate, warmup: *warmup, duration: *duration, profile: *profile}
	var rows []result
	for _, mode := range strings.Split(*modes, ",") {
		cfg, cleanup, err := modeConfig(base, strings.TrimSpace(mode), *dataDir)
		if err != nil {
			return err
		}
		if down := unreachable(cfg); len(down) > 0 {
			fmt.Fprintf(os.Stderr, "%s: skipped, engines not reachable: %s (start them with `make services-up`)\n", mode, strings.Join(down, ", "))
			cleanup()
			continue
		}
		fmt.Fprintf(os.Stderr, "%s: %d clients or %g requests/s, %s warm-up, %s measured...\n", mode, *clients, *rate, *warmup, *duration)
		r, err := measure(ctx, cfg, logger, l)
		cleanup()
		if err != nil {
			return fmt.Errorf("%s: %w", mode, err)
		}
		r.mode = mode
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return errors.New("nothing measured")
	}
	printTable(os.Stdout, rows, l)
	return nil
}

// modeConfig returns the settings for one storage mode. Cluster mode gets
// a Cassandra keyspace, Elasticsearch index and Redis database of its own,
// so the benchmark leaves a running cluster deployment's data alone.
func modeConfig(base config.Config, mode, dataDir string) (config.Config, func(), error) {
	cfg := base
	cfg.Storage.Mode = mode
	cleanup := func() {}
	switch mode {
	case "embedded":
		if dataDir == "" {
			dir, err := os.MkdirTemp("", "cinegraph-bench-")
			if err != nil {
				return cfg, nil, fmt.Errorf("data directory: %w", err)
			}
			dataDir = dir
			cleanup = func() { _ = os.RemoveAll(dir) }
		}
		cfg.DataDir = dataDir
	case "cluster":
		cfg.Storage.Cassandra.Keyspace = "cinegraph_bench"
		cfg.Storage.Elasticsearch.Index = "cinegraph-bench-titles"
		cfg.Storage.Redis.DB = 3
	default:
		return cfg, nil, fmt.Errorf("unknown storage mode %q (want embedded or cluster)", mode)
	}
	return cfg, cleanup, nil
}

// unreachable names the engines of cfg's mode that do not accept a TCP
// connection; embedded mode has none.
func unreachable(cfg config.Config) []string {
	if cfg.Storage.Mode != "cluster" {
		return nil
	}
	st := cfg.Storage
	pg := "127.0.0.1:5432"
	if u, err := url.Parse(st.Postgres.DSN); err == nil && u.Host != "" {
		pg = u.Host
	}
	es := st.Elasticsearch.Addresses[0]
	if u, err := url.Parse(es); err == nil && u.Host != "" {
		es = u.Host
	}
	var down []string
	for _, e := range []struct{ name, addr string }{
		{"PostgreSQL", pg},
		{"Redis", st.Redis.Addr},
		{"Cassandra", st.Cassandra.Hosts[0]},
		{"Kafka", st.Kafka.Brokers[0]},
		{"Elasticsearch", es},
	} {
		conn, err := net.DialTimeout("tcp", e.addr, 2*time.Second)
		if err != nil {
			down = append(down, e.name+" at "+e.addr)
			continue
		}
		_ = conn.Close()
	}
	return down
}
