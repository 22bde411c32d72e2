// Command faults is Cinegraph's fault-injection benchmark: it starts a
// router and every subgraph as separate processes on loopback (chat twice),
// runs a steady load of queries through the router, and hangs the video
// subgraph (SIGSTOP, then SIGCONT), kills one chat instance, and pushes a
// broken configuration to the router, and kills the chat instances under
// websocket clients subscribed through the router. For each it prints requests sent,
// failed, p50 and p99 latency before, during and after, and the time to
// recover. It prints figures and never fails on them.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/cinegraph/cinegraph/bench/faults"
)

func main() {
	var (
		opts    faults.Options
		rate    int
		clients int
		phase   time.Duration
	)
	flag.StringVar(&opts.Bin, "bin", "bin/cinegraph", "cinegraph binary")
	flag.StringVar(&opts.DataParent, "data-parent", "", "where the fresh data directory goes (default: the temporary directory)")
	flag.DurationVar(&opts.FetchTimeout, "fetch-timeout", 10*time.Second, "the router's router.fetch_timeout (its default is 10s)")
	flag.IntVar(&rate, "rate", 50, "requests per second of each kind of query")
	flag.IntVar(&clients, "clients", 50, "websocket clients subscribed to one room while chat instances are killed")
	flag.DurationVar(&phase, "phase", 5*time.Second, "how long each phase of a scenario runs")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, opts, rate, clients, phase); err != nil {
		fmt.Fprintln(os.Stderr, "bench-faults:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, opts faults.Options, rate, clients int, phase time.Duration) error {
	c, err := faults.Start(ctx, opts)
	if err != nil {
		return err
	}
	defer c.Close()
	fmt.Printf("router %s; subgraphs catalog, video, chat (two instances), insights as separate processes; %d requests/s of each kind: ", c.RouterURL, rate)
	for i, k := range faults.Kinds {
		if i > 0 {
			fmt.Print(", ")
		}
		fmt.Print(k.Name)
	}
	fmt.Println()
	hang, err := faults.Hang(ctx, c, "video", "catalog+video", rate, phase)
	if err != nil {
		return err
	}
	hang.Print(os.Stdout)
	kill, err := faults.KillInstance(ctx, c, "chat-2", "catalog+chat", rate, phase)
	if err != nil {
		return err
	}
	kill.Print(os.Stdout)
	broken, err := faults.BrokenConfig(ctx, c, rate, phase)
	if err != nil {
		return err
	}
	broken.Print(os.Stdout)
	subs, err := faults.KillUpstream(ctx, c, clients, rate, phase)
	if err != nil {
		return err
	}
	subs.Print(os.Stdout)
	return nil
}
