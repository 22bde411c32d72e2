package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"

	"github.com/cinegraph/cinegraph/app"
	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/health"
	"github.com/cinegraph/cinegraph/internal/logging"
)

func runRouter(ctx context.Context, args []string, stderr io.Writer) error {
	var common commonFlags
	fs := newFlagSet("router", stderr, &common)
	supergraph := fs.String("supergraph", "", "supergraph SDL file (default: the one built in)")
	fs.StringVar(&common.discovery, "discovery", "", "find subgraph instances in etcd: etcd://host:port[,host:port] (sets router.discovery.mode etcd and its endpoints)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	cfg, err := common.load()
	if err != nil {
		return err
	}
	if *supergraph != "" {
		cfg.Router.Supergraph = *supergraph
	}
	logger := logging.New(stderr, cfg.Log)
	stopTracing, err := startTracing(ctx, cfg, "router", logger)
	if err != nil {
		return err
	}
	defer stopTracing()
	checker := health.New()
	urls := func(cfg config.Config) map[string]string { return cfg.Router.SubgraphURLs }
	rt, err := app.NewLiveRouter(ctx, cfg, urls, checker, logger)
	if err != nil {
		return err
	}
	defer rt.Close()
	rt.Watch()
	mux := http.NewServeMux()
	rt.Mount(mux)
	checker.Register(mux)
	stopAdmin, err := app.ServeAdmin(ctx, cfg, app.AdminHandler(rt, checker), logger)
	if err != nil {
		return err
	}
	defer stopAdmin()
	err = common.watchReloads(ctx, cfg, logger, func(next config.Config) error {
		if *supergraph != "" {
			next.Router.Supergraph = *supergraph
		}
		return rt.Reload(next)
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer ln.Close()
	return app.Serve(ctx, ln, mux, checker, cfg.Server, cfg.ShutdownTimeout, logger)
}

func runPlan(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var common commonFlags
	fs := newFlagSet("router plan", stderr, &common)
	supergraph := fs.String("supergraph", "", "supergraph SDL file (default: the one built in)")
	query := fs.String("query", "", "the operation, or @FILE to read it from a file")
	operation := fs.String("operation", "", "operation name, when the document has several")
	variables := fs.String("variables", "", "variables as a JSON object")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	cfg, err := common.load()
	if err != nil {
		return err
	}
	if *supergraph != "" {
		cfg.Router.Supergraph = *supergraph
	}
	doc := *query
	if strings.HasPrefix(doc, "@") {
		raw, err := os.ReadFile(doc[1:])
		if err != nil {
			return fmt.Errorf("read query: %w", err)
		}
		doc = string(raw)
	}
	if doc == "" {
		return fmt.Errorf("router plan: -query is required")
	}
	var vars map[string]any
	if *variables != "" {
		if err := json.Unmarshal([]byte(*variables), &vars); err != nil {
			return fmt.Errorf("router plan: -variables: %w", err)
		}
	}
	// Planning authenticates no one: no key or token is made for it.
	cfg.Auth.DemoTokens = false
	cfg.Router.AuthToken = "unused"
	// Nor does it fetch: no registry is consulted.
	cfg = app.WithoutDiscovery(cfg)
	rt, err := app.NewRouter(ctx, cfg, cfg.Router.SubgraphURLs, logging.New(stderr, cfg.Log))
	if err != nil {
		return err
	}
	defer rt.Close()
	plan, err := rt.Plan(ctx, doc, *operation, vars)
	if err != nil {
		return err
	}
	var pretty any
	if err := json.Unmarshal(plan, &pretty); err != nil {
		return fmt.Errorf("router plan: %w", err)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(pretty)
}
