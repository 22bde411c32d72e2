package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"

	"github.com/cinegraph/cinegraph/app"
	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/health"
	"github.com/cinegraph/cinegraph/internal/logging"
)

func runSubgraph(ctx context.Context, args []string, stderr io.Writer) error {
	var common commonFlags
	fs := newFlagSet("subgraph", stderr, &common)
	if len(args) == 0 || !slices.Contains(config.Subgraphs, args[0]) {
		return fmt.Errorf("subgraph: name one of %v", config.Subgraphs)
	}
	name := args[0]
	register := fs.String("register", "", "register this instance in etcd while it runs: etcd://host:port[,host:port]")
	advertise := fs.String("advertise", "", "the URL routers reach this instance at, with -register (default: http://<listen address>/graphql)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	cfg, err := common.load()
	if err != nil {
		return err
	}
	addr := cfg.Subgraph.Listen[name]
	if common.listen != "" {
		addr = common.listen
	}
	token, err := app.RouterToken(cfg)
	if err != nil {
		return err
	}
	logger := logging.New(stderr, cfg.Log)

	bus, err := app.OpenBus(ctx, cfg)
	if err != nil {
		return err
	}
	sg, err := app.OpenSubgraph(ctx, name, cfg, bus, logger)
	if err != nil {
		return errors.Join(err, bus.Close())
	}
	checker := health.New()
	checker.Add(name, sg.Ready)
	mux := http.NewServeMux()
	mux.Handle("/graphql", app.SubgraphHandler(sg, token))
	checker.Register(mux)

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return errors.Join(fmt.Errorf("listen: %w", err), sg.Close(), bus.Close())
	}
	defer ln.Close()
	// Registered once listening; deregistered (its lease revoked) as soon
	// as shutdown begins, so routers send nothing new while it drains.
	deregister := func() error { return nil }
	if *register != "" {
		endpoints, err := app.EtcdEndpoints(*register)
		if err != nil {
			return errors.Join(fmt.Errorf("-register: %w", err), sg.Close(), bus.Close())
		}
		url := *advertise
		if url == "" {
			url = advertiseURL(ln.Addr())
		}
		if deregister, err = app.RegisterSubgraph(ctx, cfg, endpoints, name, url, logger); err != nil {
			return errors.Join(err, sg.Close(), bus.Close())
		}
	}
	serveErr := app.Serve(ctx, ln, mux, checker, cfg.Server, cfg.ShutdownTimeout, logger)
	return errors.Join(serveErr, deregister(), sg.Close(), bus.Close())
}

// advertiseURL is the URL of the listener's /graphql for other hosts:
// an unspecified address (0.0.0.0, ::) becomes loopback, good for a router
// on the same machine; elsewhere -advertise names the reachable one.
func advertiseURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String() + "/graphql"
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/graphql"
}
