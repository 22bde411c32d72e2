package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/health"
	"github.com/cinegraph/cinegraph/router"
	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/resilience"
	"github.com/cinegraph/cinegraph/schema"
)

// SubgraphPath is where `serve` mounts a subgraph's own endpoint; the router
// fetches from it over loopback, exactly as it would from a remote subgraph.
func SubgraphPath(name string) string { return "/subgraphs/" + name + "/graphql" }

// Platform is everything `serve` runs in one process.
type Platform struct {
	cfg       config.Config
	logger    *slog.Logger
	bus       events.Bus
	subgraphs Subgraphs
	health    *health.Checker
	handler   http.Handler
	// unwatch stops the router's active checks of the subgraphs.
	unwatch func()
	router  *Router
}

// Open starts the bus and the four subgraphs and builds the router in front
// of them. baseURL is where this process answers (http://host:port), used to
// point the router at the subgraph endpoints.
func Open(ctx context.Context, cfg config.Config, baseURL string, logger *slog.Logger) (*Platform, error) {
	return OpenWith(ctx, cfg, baseURL, logger, Options{})
}

// OpenWith is Open with Options, e.g. hooks decorating the subgraphs' stores.
func OpenWith(ctx context.Context, cfg config.Config, baseURL string, logger *slog.Logger, o Options) (*Platform, error) {
	bus, err := OpenBus(ctx, cfg)
	if err != nil {
		return nil, err
	}
	subgraphs, err := openSubgraphs(ctx, config.Subgraphs, cfg, bus, logger, o)
	if err != nil {
		return nil, errors.Join(err, bus.Close())
	}
	p := &Platform{cfg: cfg, logger: logger, bus: bus, subgraphs: subgraphs, health: health.New()}

	urls := map[string]string{}
	for _, name := range config.Subgraphs {
		urls[name] = baseURL + SubgraphPath(name)
	}
	for name, u := range cfg.Router.SubgraphURLs {
		urls[name] = u
	}
	rt, err := NewRouter(cfg, urls, logger)
	if err != nil {
		return nil, errors.Join(err, p.Close())
	}

	mux := http.NewServeMux()
	mux.Handle("/graphql", rt)
	for name, sg := range subgraphs {
		mux.Handle(SubgraphPath(name), sg.Handler())
		p.health.Add("subgraph:"+name, sg.Ready)
	}
	p.router = rt
	p.unwatch = rt.Watch(ctx, p.health)
	p.health.Register(mux)
	mux.Handle("/", frontendHandler(cfg.Frontend.Dir, cfg.Frontend.Playground))
	p.handler = mux
	return p, nil
}

// NewRouter builds the federation router from the configured supergraph
// (the built-in one unless a file is named), with subgraph URLs overridden
// and every fetch guarded as router.resilience says.
func NewRouter(cfg config.Config, urls map[string]string, logger *slog.Logger) (*Router, error) {
	sdl := schema.Supergraph()
	if cfg.Router.Supergraph != "" {
		raw, err := os.ReadFile(cfg.Router.Supergraph)
		if err != nil {
			return nil, fmt.Errorf("read supergraph: %w", err)
		}
		sdl = string(raw)
	}
	guard, err := resilience.New(resilienceConfig(cfg.Router), logger.With("component", "router"))
	if err != nil {
		return nil, fmt.Errorf("router: %w", err)
	}
	rdb := routerRedis(cfg)
	// release closes the Redis client the limiter and the persisted queries
	// share in cluster mode.
	release := func() error {
		if rdb == nil {
			return nil
		}
		return rdb.Close()
	}
	limit := rateLimit(cfg, rdb, logger.With("component", "router"))
	docs, err := persistedDocuments(cfg, rdb, logger.With("component", "router"))
	if err != nil {
		return nil, errors.Join(err, release())
	}
	rt, err := router.New(router.Config{
		SupergraphSDL:        sdl,
		SubgraphURLs:         urls,
		ForwardHeaders:       cfg.Router.ForwardHeaders,
		PlanHeader:           cfg.Router.PlanHeader,
		ExposeSubgraphErrors: cfg.Router.ExposeSubgraphErrors,
		DisableIntrospection: !cfg.Router.Introspection,
		MaxRequestBytes:      cfg.Router.MaxRequestBytes,
		Logger:               logger.With("component", "router"),
		Subscriptions:        router.SubscriptionConfig{InitPayloadHeaders: cfg.Router.InitPayloadHeaders},
		Limits:               limitsConfig(cfg.Router.Limits),
		// The guard times each attempt out (router.fetch_timeout or the
		// subgraph's own), so no client timeout is set besides.
		FetchMiddleware: []fetch.Middleware{guard.Middleware},
		CORS: router.CORSConfig{
			AllowedOrigins:   cfg.Router.CORS.AllowedOrigins,
			AllowCredentials: cfg.Router.CORS.AllowCredentials,
			AllowedHeaders:   cfg.Router.CORS.AllowedHeaders,
			MaxAge:           cfg.Router.CORS.MaxAge,
		},
		// Never nil: an emptied list means no headers, not the router's
		// defaults.
		CSRF: router.CSRFConfig{
			RequiredHeaders: append([]string{}, cfg.Router.CSRF.RequiredHeaders...),
			UnsafeDisabled:  cfg.Router.CSRF.UnsafeDisabled,
		},
		RateLimit: limit,
		Persisted: docs,
	})
	if err != nil {
		return nil, errors.Join(fmt.Errorf("router: %w", err), release())
	}
	if names := guard.Unrouted(); len(names) > 0 {
		return nil, errors.Join(fmt.Errorf("router.resilience names subgraphs the supergraph does not define: %s", strings.Join(names, ", ")), release())
	}
	return &Router{Router: rt, Guard: guard, release: release}, nil
}

// Handler is the process's whole HTTP surface.
func (p *Platform) Handler() http.Handler { return p.handler }

// Health is the readiness checker, drained on shutdown.
func (p *Platform) Health() *health.Checker { return p.health }

// Close stops the router's checks and releases its rate limiter and
// persisted query store, then stops the subgraphs and the bus.
func (p *Platform) Close() error {
	if p.unwatch != nil {
		p.unwatch()
	}
	var err error
	if p.router != nil {
		err = p.router.Close()
	}
	return errors.Join(err, p.subgraphs.Close(), p.bus.Close())
}
