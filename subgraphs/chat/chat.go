// Package chat wires the chat subgraph: watch-party rooms and messages on
// the embedded store or Cassandra (Module), the outbox relay to the event
// bus, the live hub that feeds subscriptions, and the GraphQL handler.
package chat

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	chatgraph "github.com/cinegraph/cinegraph/graph/chat"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/outbox"
	"github.com/cinegraph/cinegraph/internal/gqlserver"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/internal/telemetry"
	"github.com/cinegraph/cinegraph/internal/workers"
	chatresolvers "github.com/cinegraph/cinegraph/resolvers/chat"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatlive"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatloaders"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
)

// Options configure the chat subgraph.
type Options struct {
	// DataDir is where the embedded database lives.
	DataDir string
	// Bus carries chat.messages events; it may be shared with other
	// subgraphs in the process and is not closed by Close.
	Bus    events.Bus
	Logger *slog.Logger
	// Store, when set, is used instead of the embedded database (cluster
	// mode passes the Cassandra store); the subgraph closes it on Close.
	Store chatservice.Store
}

// Subgraph is a running chat subgraph.
type Subgraph struct {
	service *chatservice.Service
	hub     *chatlive.Hub
	handler http.Handler
	work    *workers.Group
}

// Open opens the store (seeding it on first start), starts the outbox relay
// and the subscription hub bound to ctx, and builds the handler.
func Open(ctx context.Context, opts Options) (*Subgraph, error) {
	if opts.Bus == nil {
		return nil, errors.New("chat: Bus is required")
	}
	store := opts.Store
	if store == nil {
		if opts.DataDir == "" {
			return nil, errors.New("chat: DataDir is required")
		}
		var err error
		if store, err = openEmbeddedStore(ctx, opts.DataDir, sqlite.Options{}); err != nil {
			return nil, err
		}
	}
	sg, err := open(ctx, store, opts, tuning{})
	if err != nil {
		_ = store.Close()
		return nil, err
	}
	return sg, nil
}

// tuning holds knobs tests turn; zero values mean the defaults.
type tuning struct {
	loaders   chatloaders.Config
	hubBuffer int
	// tracing replaces the process's tracing provider in the handler.
	tracing *telemetry.Provider
}

// open wires a subgraph around an opened store; it owns the store once it
// succeeds.
func open(ctx context.Context, store chatservice.Store, opts Options, tune tuning) (*Subgraph, error) {
	base := opts.Logger
	if base == nil {
		base = slog.Default()
	}
	// gqlserver names the subgraph in its own logs; the rest of ours say it
	// here.
	logger := base.With("subgraph", "chat")
	rel := outbox.New(store, opts.Bus, outbox.Options{Name: "chat", Logger: logger})
	svc := chatservice.New(store, chatservice.WithNotify(rel.Wake))
	seeded, err := seed.IfEmpty(ctx, svc, seed.Generate)
	if err != nil {
		return nil, fmt.Errorf("chat: %w", err)
	}
	if seeded {
		logger.Info("seeded chat store")
	}
	h := chatlive.New(tune.hubBuffer, logger)

	work := workers.New(ctx, logger)
	if err := work.Start("chat hub", func(ctx context.Context) (func() error, error) { return h.Listen(ctx, opts.Bus) }); err != nil {
		_ = work.Stop()
		return nil, fmt.Errorf("chat: %w", err)
	}
	work.Go("chat outbox relay", rel.Run)
	work.OnStop(func() error {
		if err := store.Close(); err != nil {
			return fmt.Errorf("chat: %w", err)
		}
		return nil
	})

	es := reportingSchema{chatgraph.NewExecutableSchema(chatgraph.Config{
		Resolvers: &chatresolvers.Resolver{Service: svc, Hub: h, Logger: logger},
	})}
	handler := gqlserver.New(es, gqlserver.Options{
		Name:       "chat",
		Logger:     logger,
		Middleware: chatloaders.Middleware(svc, tune.loaders),
		ContextFor: chatloaders.ForConnection(svc, tune.loaders),
		Tracing:    tune.tracing,
	})
	return &Subgraph{
		service: svc,
		hub:     h,
		handler: handler,
		work:    work,
	}, nil
}

// Handler serves the chat subgraph's GraphQL API (HTTP and websockets).
func (s *Subgraph) Handler() http.Handler { return s.handler }

// Seed replaces all rooms and messages with the deterministic seed.
// Events still waiting in the outbox are kept and relayed.
func (s *Subgraph) Seed(ctx context.Context) error {
	if err := s.service.Seed(ctx, seed.Generate()); err != nil {
		return fmt.Errorf("chat: %w", err)
	}
	return nil
}

// Ready reports whether the store can serve.
func (s *Subgraph) Ready(ctx context.Context) error {
	if err := s.service.Ping(ctx); err != nil {
		return fmt.Errorf("chat: %w", err)
	}
	return nil
}

// Close stops the relay and the hub, ending live subscriptions, then closes
// the store. The bus is left open for its other users.
func (s *Subgraph) Close() error { return s.work.Stop() }
