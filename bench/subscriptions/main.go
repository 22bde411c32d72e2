// Command subscriptions is Cinegraph's subscription load generator: it
// starts `cinegraph serve` with a fresh data directory, holds N websocket
// clients through the router (graphql-transport-ws), each subscribed to
// messageAdded in one of R rooms with author (catalog) and sentiment
// (insights) resolved per event, publishes chat messages at a set rate and
// reports connections held, server RSS per idle subscription, delivered
// events/s, publish-to-receipt latency percentiles and CPU. It prints
// figures and never fails on them.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"
)

type options struct {
	bin        string
	url        string
	clients    int
	rooms      int
	rate       int
	duration   time.Duration
	settle     time.Duration
	dialers    int
	dataDir    string
	token      string
	publishers int
}

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "bin/cinegraph", "cinegraph binary to start (ignored with -url)")
	flag.StringVar(&o.url, "url", "", "an already running Cinegraph (http://host:port); RSS and CPU are then not measured")
	flag.IntVar(&o.clients, "clients", 10000, "websocket clients, one subscription each")
	flag.IntVar(&o.rooms, "rooms", 100, "rooms the clients are spread over")
	flag.IntVar(&o.rate, "rate", 100, "messages published per second (delivered events/s = rate x clients/rooms)")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "how long to publish")
	flag.DurationVar(&o.settle, "settle", 3*time.Second, "idle time before measuring RSS")
	flag.IntVar(&o.dialers, "dialers", 32, "concurrent connection attempts")
	flag.IntVar(&o.publishers, "publishers", 4, "concurrent postMessage senders")
	flag.StringVar(&o.dataDir, "data-parent", defaultDataParent(), "where the server's fresh data directory goes; tmpfs keeps disk syncs of the chat store out of the figures")
	flag.StringVar(&o.token, "token", "", "bearer token the messages are posted with (default: a demo token for profile-1 from the router's /auth/demo-token)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench-subscriptions:", err)
		os.Exit(1)
	}
}

// defaultDataParent is /dev/shm where it exists: the benchmark measures
// subscription delivery, not how fast this machine's disk syncs.
func defaultDataParent() string {
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		return "/dev/shm"
	}
	return ""
}
