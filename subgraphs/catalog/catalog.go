// Package catalog wires the catalog subgraph: it opens the embedded store
// and search index or the cluster engines (Module), seeds them on first
// start, and serves the federated GraphQL schema with per-request
// dataloaders.
package catalog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/cinegraph/cinegraph/graph/catalog"
	"github.com/cinegraph/cinegraph/internal/depguard"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/outbox"
	"github.com/cinegraph/cinegraph/internal/gqlserver"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/internal/workers"
	resolvers "github.com/cinegraph/cinegraph/resolvers/catalog"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogloaders"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
)

// Name is the subgraph's name in the supergraph.
const Name = "catalog"

// Options configure the catalog subgraph.
type Options struct {
	DataDir string     // where embedded data lives
	Bus     events.Bus // event bus (embedded or Kafka), may be shared by subgraphs in one process
	Logger  *slog.Logger
	// LoaderWait is how long dataloaders gather keys before one store call;
	// catalogloaders.DefaultWait when zero.
	LoaderWait time.Duration
	// Guards keeps the guards of the catalog's dependencies (the search
	// engine, and the cache a cluster store was opened with); a new
	// registry when nil. Dependencies reports it.
	Guards *depguard.Registry
}

// Subgraph is a running catalog subgraph.
type Subgraph struct {
	store    catalogservice.Store
	searcher search.Searcher
	service  *catalogservice.Service
	handler  http.Handler
	work     *workers.Group
	guards   *depguard.Registry
}

// Open opens the store and search index under opts.DataDir, seeds an empty
// store from the shared fixture, and rebuilds the index when it is missing
// or stale.
func Open(ctx context.Context, opts Options) (*Subgraph, error) {
	if opts.DataDir == "" {
		return nil, errors.New("catalog: DataDir is required")
	}
	store, searcher, err := openEmbedded(ctx, opts.DataDir, sqlite.Options{})
	if err != nil {
		return nil, err
	}
	return New(ctx, store, searcher, opts)
}

// New assembles the subgraph around already opened engines (the cluster
// deployment passes its own Store and Searcher), seeding an empty store.
// The subgraph owns the engines from then on: Close closes them.
func New(ctx context.Context, store catalogservice.Store, searcher search.Searcher, opts Options) (*Subgraph, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	logger = logger.With("subgraph", Name)
	// Workers run until ctx is done or Close; the engines close after them.
	work := workers.New(ctx, logger)
	work.OnStop(store.Close)
	if searcher != nil {
		work.OnStop(searcher.Close)
	}
	guards := opts.Guards
	if guards == nil {
		guards = depguard.NewRegistry(logger)
	}
	s := &Subgraph{store: store, searcher: searcher, work: work, guards: guards}
	var rel *outbox.Relay
	svcOpts := []catalogservice.Option{catalogservice.WithSearcher(searcher), catalogservice.WithLogger(logger)}
	if searcher != nil {
		svcOpts = append(svcOpts, catalogservice.WithSearchGuard(guards.Guard(catalogservice.SearchDependency, searchPolicy())))
	}
	if opts.Bus != nil {
		rel = outbox.New(store, opts.Bus, outbox.Options{Name: Name, Logger: logger})
		svcOpts = append(svcOpts, catalogservice.WithNotify(rel.Wake))
	}
	svc := catalogservice.New(store, svcOpts...)
	s.service = svc
	fail := func(err error) (*Subgraph, error) {
		_ = s.Close()
		return nil, fmt.Errorf("catalog: %w", err)
	}
	seeded, err := seed.IfEmpty(ctx, svc, seed.Generate)
	if err != nil {
		return fail(err)
	}
	if seeded {
		logger.InfoContext(ctx, "seeded empty catalog")
	} else if err := svc.EnsureIndex(ctx); err != nil {
		return fail(err)
	}
	s.handler = newHandler(svc, logger, opts.LoaderWait)
	if rel != nil {
		work.Go("catalog outbox relay", rel.Run)
	}
	return s, nil
}

func newHandler(svc *catalogservice.Service, logger *slog.Logger, wait time.Duration) http.Handler {
	cfg := catalogloaders.Config{Wait: wait}
	es := catalog.NewExecutableSchema(catalog.Config{Resolvers: &resolvers.Resolver{Service: svc}})
	return gqlserver.New(es, gqlserver.Options{
		Name:       Name,
		Logger:     logger,
		Middleware: catalogloaders.Middleware(svc, cfg),
		ContextFor: catalogloaders.ForConnection(svc, cfg),
	})
}

// Handler serves the catalog's GraphQL endpoint.
func (s *Subgraph) Handler() http.Handler { return s.handler }

// Service exposes the domain service, for the CLI and tests.
func (s *Subgraph) Service() *catalogservice.Service { return s.service }

// Seed replaces the catalog with the deterministic fixture and reindexes it.
func (s *Subgraph) Seed(ctx context.Context) error {
	if err := s.service.Seed(ctx, seed.Generate()); err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	return nil
}

// Dependencies reports the guards of the catalog's dependencies.
func (s *Subgraph) Dependencies() *depguard.Registry { return s.guards }

// Ready reports whether the catalog can serve.
func (s *Subgraph) Ready(ctx context.Context) error {
	return s.service.Ready(ctx)
}

// Close stops the background workers, then releases the search index and
// the store.
func (s *Subgraph) Close() error { return s.work.Stop() }
