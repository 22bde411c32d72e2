// Package video wires the video subgraph together: the embedded store or
// Cassandra (Module), the service, the outbox relay to the event bus, the
// live hub that feeds playback subscriptions, and the GraphQL handler with
// per-request dataloaders.
package video

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	graph "github.com/cinegraph/cinegraph/graph/video"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/outbox"
	"github.com/cinegraph/cinegraph/internal/gqlserver"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/internal/workers"
	resolvers "github.com/cinegraph/cinegraph/resolvers/video"
	"github.com/cinegraph/cinegraph/subgraphs/video/videolive"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoloaders"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

// Name is the subgraph's name in the supergraph.
const Name = "video"

// Options configure the subgraph.
type Options struct {
	// DataDir is where the embedded database lives (DataDir/video.db).
	DataDir string
	// Bus receives video events. When nil, events wait in the outbox until
	// the subgraph runs with a bus.
	Bus    events.Bus
	Logger *slog.Logger
	// Store, when set, is used instead of the embedded database (cluster
	// mode passes the Cassandra store); the subgraph closes it on Close.
	Store videoservice.Store
}

// Subgraph is a running video subgraph.
type Subgraph struct {
	store   videoservice.Store
	service *videoservice.Service
	handler http.Handler
	hub     *videolive.Hub // nil without a bus
	work    *workers.Group
}

// Open opens the store in opts.DataDir, migrates it, seeds it when empty and
// starts the outbox relay, which runs until ctx is done or Close.
func Open(ctx context.Context, opts Options) (*Subgraph, error) {
	store := opts.Store
	if store == nil {
		if opts.DataDir == "" {
			return nil, errors.New("video: DataDir is required")
		}
		var err error
		if store, err = openEmbeddedStore(ctx, opts.DataDir, sqlite.Options{}); err != nil {
			return nil, err
		}
	}
	s, err := openWith(ctx, store, opts, videoloaders.DefaultWait)
	if err != nil {
		_ = store.Close()
		return nil, err
	}
	return s, nil
}

// openWith builds the subgraph over any Store (tests wrap the store).
// loaderWait is the dataloaders' batch window.
func openWith(ctx context.Context, store videoservice.Store, opts Options, loaderWait time.Duration) (*Subgraph, error) {
	base := opts.Logger
	if base == nil {
		base = slog.Default()
	}
	logger := base.With("subgraph", Name)

	var svcOpts []videoservice.Option
	var rel *outbox.Relay
	if opts.Bus != nil {
		rel = outbox.New(store, opts.Bus, outbox.Options{Name: Name, Logger: logger})
		svcOpts = append(svcOpts, videoservice.WithNotify(rel.Wake))
	}
	svc := videoservice.New(store, svcOpts...)
	seeded, err := seed.IfEmpty(ctx, svc, seed.Generate)
	if err != nil {
		return nil, fmt.Errorf("video: %w", err)
	}
	if seeded {
		logger.InfoContext(ctx, "seeded empty video store")
	}

	// The relay and the hub stop when ctx is done or on Close, whichever
	// comes first.
	work := workers.New(ctx, logger)
	s := &Subgraph{store: store, service: svc, work: work}
	if opts.Bus != nil {
		h := videolive.New(0, logger)
		if err := work.Start("video hub", func(ctx context.Context) (func() error, error) { return h.Listen(ctx, opts.Bus) }); err != nil {
			_ = work.Stop()
			return nil, fmt.Errorf("video: %w", err)
		}
		s.hub = h
		work.Go("video outbox relay", rel.Run)
	} else {
		logger.WarnContext(ctx, "no event bus: video events stay in the outbox")
	}
	work.OnStop(func() error {
		if err := store.Close(); err != nil {
			return fmt.Errorf("video: close store: %w", err)
		}
		return nil
	})
	s.handler = gqlserver.New(
		graph.NewExecutableSchema(graph.Config{Resolvers: &resolvers.Resolver{Service: svc, Hub: s.hub, Logger: logger}}),
		gqlserver.Options{
			Name:       Name,
			Logger:     logger,
			Middleware: videoloaders.Middleware(svc, videoloaders.Config{Wait: loaderWait}),
			ContextFor: videoloaders.ForConnection(svc, videoloaders.Config{Wait: loaderWait}),
		},
	)
	return s, nil
}

// Handler serves the subgraph's GraphQL API.
func (s *Subgraph) Handler() http.Handler { return s.handler }

// Service is the subgraph's domain service.
func (s *Subgraph) Service() *videoservice.Service { return s.service }

// Seed replaces videos, renditions, viewing history and sessions with the
// deterministic seed.
func (s *Subgraph) Seed(ctx context.Context) error {
	if err := s.service.Seed(ctx, seed.Generate()); err != nil {
		return fmt.Errorf("video: %w", err)
	}
	return nil
}

// Ready reports whether the subgraph can serve.
func (s *Subgraph) Ready(ctx context.Context) error {
	if err := s.store.Ping(ctx); err != nil {
		return fmt.Errorf("video: %w", err)
	}
	return nil
}

// Close stops the relay and the hub, ending live subscriptions, and closes
// the store; pending events stay in the outbox for the next start.
func (s *Subgraph) Close() error { return s.work.Stop() }
