package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/depguard"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/health"
	"github.com/cinegraph/cinegraph/internal/subgraph"
	"github.com/cinegraph/cinegraph/router"
	"github.com/cinegraph/cinegraph/router/dedupe"
	"github.com/cinegraph/cinegraph/router/discovery"
	"github.com/cinegraph/cinegraph/router/metrics"
	"github.com/cinegraph/cinegraph/router/resilience"
	"github.com/cinegraph/cinegraph/router/subscription"
	"github.com/cinegraph/cinegraph/schema"
)

// SubgraphPath is where `serve` mounts a subgraph's own endpoint on its
// internal listener; the router fetches from it over loopback, exactly as
// it would from a remote subgraph.
func SubgraphPath(name string) string { return "/subgraphs/" + name + "/graphql" }

// Platform is everything `serve` runs in one process.
type Platform struct {
	cfg       config.Config
	logger    *slog.Logger
	bus       events.Bus
	subgraphs Subgraphs
	health    *health.Checker
	handler   http.Handler
	// metrics are the process's: the router's and the subgraphs'.
	metrics *Metrics
	// router is the router of the configuration in force (Reload).
	router *LiveRouter
	// internal serves the subgraphs to the router on loopback;
	// stopInternal stops it and waits.
	internal     string
	stopInternal func() error
}

// Open starts the bus and the four subgraphs and builds the router in front
// of them. The subgraphs answer on an internal listener on loopback, never
// on the public one: only the router, holding the secret they share for
// the process's life, may name a viewer to them.
func Open(ctx context.Context, cfg config.Config, logger *slog.Logger) (*Platform, error) {
	return OpenWith(ctx, cfg, logger, Options{})
}

// OpenWith is Open with Options, e.g. hooks decorating the subgraphs' stores.
func OpenWith(ctx context.Context, cfg config.Config, logger *slog.Logger, o Options) (*Platform, error) {
	if cfg.Router.AuthToken == "" {
		cfg.Router.AuthToken = randomToken()
	}
	bus, err := openBus(ctx, cfg, logger)
	if err != nil {
		return nil, err
	}
	subgraphs, err := openSubgraphs(ctx, config.Subgraphs, cfg, bus, logger, o)
	if err != nil {
		return nil, errors.Join(err, bus.Close())
	}
	p := &Platform{cfg: cfg, logger: logger, bus: bus, subgraphs: subgraphs, health: health.New(), metrics: NewMetrics(cfg)}

	internal := http.NewServeMux()
	for name, sg := range subgraphs {
		internal.Handle(SubgraphPath(name), p.metrics.Subgraph(name, SubgraphHandler(sg, cfg.Router.AuthToken)))
		p.health.Add("subgraph:"+name, sg.Ready)
	}
	if err := p.serveInternal(ctx, internal); err != nil {
		return nil, errors.Join(err, p.Close())
	}
	urls := func(cfg config.Config) map[string]string {
		urls := map[string]string{}
		for _, name := range config.Subgraphs {
			urls[name] = p.internal + SubgraphPath(name)
		}
		for name, u := range cfg.Router.SubgraphURLs {
			urls[name] = u
		}
		return urls
	}
	// The subgraphs run here, one instance each: router.discovery is for a
	// router in front of separate subgraph processes (discovery.go).
	rt, err := newLiveRouter(ctx, withoutDiscovery(cfg), urls, p.health, logger, p.metrics)
	if err != nil {
		return nil, errors.Join(err, p.Close())
	}

	mux := http.NewServeMux()
	rt.Mount(mux)
	p.router = rt
	rt.Watch()
	p.health.Register(mux)
	store, err := openMediaStore(cfg)
	if err != nil {
		return nil, errors.Join(err, p.Close())
	}
	titles := catalogTitles(&http.Client{Timeout: 5 * time.Second}, p.internal+SubgraphPath("catalog"), cfg.Router.AuthToken)
	mux.Handle(mediaPrefix, mediaHandler(store, titles, logger.With("component", "media")))
	mux.Handle("/", frontendHandler(cfg.Frontend.Dir, cfg.Frontend.Playground, cfg.Auth.Web.Issuer))
	p.handler = mux
	return p, nil
}

// serveInternal starts the loopback listener the subgraphs answer the
// router on. It is plain HTTP whatever server.tls says: the certificate
// names the public host, and the traffic never leaves the machine. It
// stops in Close, after the public listener has drained.
func (p *Platform) serveInternal(ctx context.Context, h http.Handler) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("internal listener: %w", err)
	}
	p.internal = "http://" + ln.Addr().String()
	sc := p.cfg.Server
	sc.TLS = config.TLS{}
	sc.DrainDelay = 0 // it stops after the public listener has drained
	sctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan error, 1)
	quiet := p.logger.With("listener", "internal")
	go func() { done <- Serve(sctx, ln, h, nil, sc, p.cfg.ShutdownTimeout, quiet) }()
	p.stopInternal = func() error {
		stop()
		return <-done
	}
	return nil
}

// InternalURL is where the subgraphs answer the router, on loopback.
func (p *Platform) InternalURL() string { return p.internal }

// NewRouter builds the federation router from the configured supergraph
// (the built-in one unless a file is named), with subgraph URLs overridden,
// every fetch guarded as router.resilience says, and clients authenticated
// as auth says; subgraphs get the viewer's identity beside RouterToken.
func NewRouter(ctx context.Context, cfg config.Config, urls map[string]string, logger *slog.Logger) (*Router, error) {
	return openRouter(ctx, cfg, urls, logger, nil, nil)
}

// openRouter is NewRouter counting into m, which may be nil (metrics.go),
// with the ops report of src, which may be nil too (ops.go).
func openRouter(ctx context.Context, cfg config.Config, urls map[string]string, logger *slog.Logger, m *metrics.Router, src *opsSource) (*Router, error) {
	token, err := RouterToken(cfg)
	if err != nil {
		return nil, err
	}
	id, err := openIdentity(ctx, cfg, token, logger.With("component", "router"))
	if err != nil {
		return nil, fmt.Errorf("router: %w", err)
	}
	rt, err := newRouter(ctx, cfg, urls, id, logger, m, src)
	if err != nil {
		return nil, errors.Join(err, id.Close())
	}
	return rt, nil
}

func newRouter(ctx context.Context, cfg config.Config, urls map[string]string, id *identity, logger *slog.Logger, m *metrics.Router, src *opsSource) (*Router, error) {
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
	// Several instances per subgraph, when router.discovery lists them
	// (discovery.go); released with the rest.
	reg, closeReg, err := openDiscovery(ctx, cfg, sdl, urls, logger.With("component", "router"))
	if err != nil {
		return nil, errors.Join(err, release())
	}
	if closeReg != nil {
		releaseRedis := release
		release = func() error { return errors.Join(closeReg(), releaseRedis()) }
	}
	shareFetches, mergeOps := dedupeGroup(cfg.Router.Dedupe), mergeOperations(cfg.Router.Dedupe)
	tr := routerTracing(cfg.Tracing)
	rt, err := router.New(router.Config{
		SupergraphSDL:        sdl,
		SubgraphURLs:         urls,
		ForwardHeaders:       cfg.Router.ForwardHeaders,
		PlanHeader:           cfg.Router.PlanHeader,
		CostHeader:           cfg.Router.CostHeader,
		TimingsScope:         cfg.Router.TimingsScope,
		AccessLog:            cfg.Log.Access,
		ExposeSubgraphErrors: cfg.Router.ExposeSubgraphErrors,
		DisableIntrospection: !cfg.Router.Introspection,
		MaxRequestBytes:      cfg.Router.MaxRequestBytes,
		PropagateExtensions:  cfg.Router.SubgraphExtensions,
		Dedupe:               shareFetches,
		MergeOperations:      mergeOps,
		Logger:               logger.With("component", "router"),
		Subscriptions:        router.SubscriptionConfig{InitPayloadHeaders: cfg.Router.InitPayloadHeaders, Resume: resumeRules(cfg.Router.Subscriptions)},
		Limits:               limitsConfig(cfg.Router.Limits),
		// The guard times each attempt out (router.fetch_timeout or the
		// subgraph's own), so no client timeout is set besides.
		FetchMiddleware: fetchMiddleware(m, tracedGuard(tr, guard.Middleware)),
		Tracing:         tr,
		Metrics:         m,
		// The process's own sources (the ops report) are answered here.
		InProcess:   routerSources(src),
		OnOperation: src.observe(),
		Discovery:   reg,
		Balance:     discovery.Policy(cfg.Router.Discovery.Balance),
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
		RateLimit:       limit,
		Persisted:       docs,
		Auth:            id.auth,
		Identity:        id.config,
		Policies:        policyDecider(cfg.Auth.Policies),
		SubgraphHeaders: id.subgraph,
		Compression: router.CompressionConfig{
			Responses:  cfg.Router.Compression.Enabled,
			MinBytes:   cfg.Router.Compression.MinBytes,
			Algorithms: cfg.Router.Compression.Algorithms,
			Subgraphs:  cfg.Router.Compression.Subgraphs,
		},
	})
	if err != nil {
		return nil, errors.Join(fmt.Errorf("router: %w", err), release())
	}
	if names := unknownSubgraphs(guard, cfg.Router, rt.Supergraph(), reg != nil); len(names) > 0 {
		return nil, errors.Join(fmt.Errorf("router.resilience names subgraphs the supergraph does not define: %s", strings.Join(names, ", ")), release())
	}
	return &Router{Router: rt, Guard: guard, release: release, identity: id, dedupe: DedupeReport{fetches: shareFetches, operations: mergeOps}}, nil
}

// Dependencies reports the guards of the dependencies behind the
// subgraphs' resolvers (internal/depguard), by dependency name; the names
// say whose they are ("catalog.search").
func (p *Platform) Dependencies() map[string]depguard.Report {
	out := map[string]depguard.Report{}
	for _, sg := range p.subgraphs {
		if g, ok := sg.(subgraph.Guarded); ok {
			maps.Copy(out, g.Dependencies().Report())
		}
	}
	return out
}

// Handler is the process's whole HTTP surface.
func (p *Platform) Handler() http.Handler { return p.handler }

// Health is the readiness checker, drained on shutdown.
func (p *Platform) Health() *health.Checker { return p.health }

// Reload applies a new configuration to the router (LiveRouter.Reload);
// the subgraphs keep theirs. Without router.auth_token the router keeps
// the secret this process made up for its subgraphs.
func (p *Platform) Reload(cfg config.Config) error {
	if cfg.Router.AuthToken == "" {
		cfg.Router.AuthToken = p.cfg.Router.AuthToken
	}
	return p.router.Reload(withoutDiscovery(cfg))
}

// Close stops the router's checks and releases its rate limiter and
// persisted query store, then stops the subgraphs and the bus.
func (p *Platform) Close() error {
	var err, ierr error
	if p.router != nil {
		err = p.router.Close()
	}
	if p.stopInternal != nil {
		ierr = p.stopInternal()
	}
	return errors.Join(err, ierr, p.subgraphs.Close(), p.bus.Close())
}

// resumeRules is router.subscriptions.resume as the router takes it.
func resumeRules(s config.Subscriptions) map[string]subscription.ResumeRule {
	out := make(map[string]subscription.ResumeRule, len(s.Resume))
	for field, r := range s.Resume {
		out[field] = subscription.ResumeRule{Argument: r.Argument, Cursor: r.Cursor}
	}
	return out
}

// dedupeGroup is router.dedupe as the router takes it: nil when off.
func dedupeGroup(d config.Dedupe) *dedupe.Group {
	if !d.Enabled {
		return nil
	}
	return dedupe.New(d.IgnoreHeaders)
}

// mergeOperations is router.dedupe.operations as the router takes it: nil
// when off.
func mergeOperations(d config.Dedupe) *dedupe.Operations {
	if !d.Operations {
		return nil
	}
	return dedupe.NewOperations(d.IgnoreHeaders)
}
