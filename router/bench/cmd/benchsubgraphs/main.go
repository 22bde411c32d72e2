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

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/cinegraph/cinegraph/router/bench/subgraphs/accounts"
	"github.com/cinegraph/cinegraph/router/bench/subgraphs/fixtures"
	"github.com/cinegraph/cinegraph/router/bench/subgraphs/inventory"
	"github.com/cinegraph/cinegraph/router/bench/subgraphs/products"
	"github.com/cinegraph/cinegraph/router/bench/subgraphs/reviews"
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

	data := fixtures.New()
	schemas := []struct {
		name string
		es   graphql.ExecutableSchema
	}{
		{"accounts", accounts.NewExecutableSchema(accounts.Config{Resolvers: &accounts.Resolver{Data: data}})},
		{"inventory", inventory.NewExecutableSchema(inventory.Config{Resolvers: &inventory.Resolver{Data: data}})},
		{"products", products.NewExecutableSchema(products.Config{Resolvers: &products.Resolver{Data: data}})},
		{"reviews", reviews.NewExecutableSchema(reviews.Config{Resolvers: &reviews.Resolver{Data: data}})},
	}
	errc := make(chan error, len(schemas))
	var servers []*http.Server
	for i, s := range schemas {
		srv := handler.New(s.es)
		srv.AddTransport(transport.POST{})
		srv.AddTransport(transport.GET{})
		srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
		mux := http.NewServeMux()
		mux.Handle("/graphql", srv)
		mux.HandleFunc("/health", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
		addr := fmt.Sprintf("%s:%d", *host, *base+i)
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		servers = append(servers, hs)
		fmt.Fprintf(os.Stderr, "%s on http://%s/graphql\n", s.name, addr)
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
