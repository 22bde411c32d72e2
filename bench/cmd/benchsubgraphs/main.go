// Command benchsubgraphs serves the four benchmark subgraphs (accounts,
// inventory, products, reviews) from memory, one port each, for `make bench`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/cinegraph/cinegraph/bench"
	"github.com/cinegraph/cinegraph/bench/fixtures"
	"github.com/cinegraph/cinegraph/internal/compression"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "benchsubgraphs:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	host := flag.String("host", "127.0.0.1", "address to listen on")
	base := flag.Int("port", 5001, "first port: accounts, then inventory, products, reviews")
	flag.Parse()

	subgraphs, err := bench.Subgraphs(fixtures.New())
	if err != nil {
		return err
	}
	errc := make(chan error, len(subgraphs))
	var servers []*http.Server
	// As Cinegraph's own subgraph servers: compressed request bodies read,
	// answers compressed for clients that ask.
	compress, err := compression.New(compression.Options{MinBytes: compression.DefaultMinBytes})
	if err != nil {
		return err
	}
	for i, s := range subgraphs {
		mux := http.NewServeMux()
		mux.Handle("/graphql", compress.Handler(s.Handler, 1<<20))
		mux.HandleFunc("/health", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
		addr := fmt.Sprintf("%s:%d", *host, *base+i)
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("%s: %w", s.Name, err)
		}
		hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		servers = append(servers, hs)
		fmt.Fprintf(os.Stderr, "%s on http://%s/graphql\n", s.Name, addr)
		go func() { errc <- hs.Serve(ln) }()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var errs []error
	for _, hs := range servers {
		errs = append(errs, hs.Shutdown(shutdown))
	}
	return errors.Join(errs...)
}
