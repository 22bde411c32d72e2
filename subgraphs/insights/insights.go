// Package insights wires the insights subgraph together: the embedded store
// or PostgreSQL (Module), the sentiment model, the object detector when its
// model is installed (OpenDetection), the service, the event consumers that
// score live chat messages, count viewers and detect objects in video
// frames, the live hub that feeds insight subscriptions, and the GraphQL
// handler with per-request dataloaders.
package insights

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	graph "github.com/cinegraph/cinegraph/graph/insights"
	"github.com/cinegraph/cinegraph/internal/depguard"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/gqlserver"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/internal/telemetry"
	"github.com/cinegraph/cinegraph/internal/workers"
	resolvers "github.com/cinegraph/cinegraph/resolvers/insights"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightslive"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsloaders"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights/sentiment"
)

// Name is the subgraph's name in the supergraph.
const Name = "insights"

// Group is the consumer group the insights consumers commit under.
const Group = "insights"

// Options configure the subgraph.
type Options struct {
	// DataDir is where the embedded database lives (DataDir/insights.db).
	DataDir string
	// Bus delivers chat messages and video progress and receives insight
	// results; when nil the subgraph serves its data but learns nothing new.
	Bus    events.Bus
	Logger *slog.Logger
	// Store replaces the embedded store when set (another engine, or a
	// test's decorator); the subgraph then ignores DataDir and closes it on
	// Close.
	Store insightsservice.Store
	// Model scores message sentiment; the chat lexicon model
	// (sentiment.NewChat) when nil.
	Model sentiment.Model
	// Guards keeps the guards of the sentiment model and the
	// recommendations ranking; a new registry when nil. Dependencies
	// reports it.
	Guards *depguard.Registry
	// Tracing is the provider of the handler's spans; the process's
	// (telemetry.Current) when nil.
	Tracing *telemetry.Provider
	// Detection finds objects in video frames; when nil, videos have no
	// detections. The subgraph closes its detector on Close.
	Detection *Detection
}

// Subgraph is a running insights subgraph.
type Subgraph struct {
	store   insightsservice.Store
	service *insightsservice.Service
	handler http.Handler
	logger  *slog.Logger
	hub     *insightslive.Hub // nil without a bus
	work    *workers.Group
	guards  *depguard.Registry
}

// Open opens the store, migrates it, seeds it when empty and starts the
// event consumers, which run until ctx is done or Close.
func Open(ctx context.Context, opts Options) (*Subgraph, error) {
	store := opts.Store
	if store == nil {
		if opts.DataDir == "" {
			return nil, errors.New("insights: DataDir is required")
		}
		var err error
		if store, err = openEmbeddedStore(ctx, opts.DataDir, sqlite.Options{}); err != nil {
			return nil, err
		}
	}
	s, err := open(ctx, store, opts)
	if err != nil {
		_ = store.Close()
		return nil, err
	}
	return s, nil
}

func open(ctx context.Context, store insightsservice.Store, opts Options) (*Subgraph, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	logger = logger.With("subgraph", Name)
	model := opts.Model
	if model == nil {
		model = sentiment.NewChat()
	}
	guards := opts.Guards
	if guards == nil {
		guards = depguard.NewRegistry(logger)
	}
	svcOpts := []insightsservice.Option{
		insightsservice.WithModel(model),
		insightsservice.WithSentimentGuard(guards.Guard(insightsservice.SentimentDependency, sentimentPolicy())),
		insightsservice.WithRecommendationsGuard(guards.Guard(insightsservice.RecommendationsDependency, recommendationsPolicy())),
	}
	if opts.Bus != nil {
		svcOpts = append(svcOpts, insightsservice.WithPublisher(opts.Bus))
	}
	if d := opts.Detection; d != nil {
		svcOpts = append(svcOpts,
			insightsservice.WithDetector(d.Detector, d.Frames),
			insightsservice.WithDetectionGuard(guards.Guard(insightsservice.DetectionDependency, detectionPolicy())))
	}
	svc := insightsservice.New(store, svcOpts...)
	seeded, err := seed.IfEmpty(ctx, svc, seed.Generate)
	if err != nil {
		return nil, fmt.Errorf("insights: %w", err)
	}
	if seeded {
		logger.InfoContext(ctx, "seeded empty insights store")
	}

	work := workers.New(ctx, logger)
	s := &Subgraph{store: store, service: svc, logger: logger, work: work, guards: guards}
	if opts.Bus != nil {
		h := insightslive.New(0, logger)
		if err := work.Start("insights hub", func(ctx context.Context) (func() error, error) { return h.Listen(ctx, opts.Bus) }); err != nil {
			_ = work.Stop()
			return nil, fmt.Errorf("insights: %w", err)
		}
		s.hub = h
		c := consumer{bus: opts.Bus, svc: svc, logger: logger}
		work.Go("chat messages consumer", func(ctx context.Context) error { return c.run(ctx, events.TopicChatMessages, c.chatMessage) })
		work.Go("video events consumer", func(ctx context.Context) error { return c.run(ctx, events.TopicVideoEvents, c.videoProgress) })
		// Without a detector, frames stay in their topic for an instance
		// that has one.
		if opts.Detection != nil {
			work.Go("video frames consumer", func(ctx context.Context) error { return c.run(ctx, events.TopicVideoFrames, c.videoFrames) })
		}
	} else {
		logger.WarnContext(ctx, "no event bus: live chat messages and viewing are not consumed")
	}
	work.OnStop(func() error {
		var errs []error
		if opts.Detection != nil {
			if err := opts.Detection.Detector.Close(); err != nil {
				errs = append(errs, fmt.Errorf("insights: close detector: %w", err))
			}
		}
		if err := store.Close(); err != nil {
			errs = append(errs, fmt.Errorf("insights: close store: %w", err))
		}
		return errors.Join(errs...)
	})
	s.handler = gqlserver.New(
		graph.NewExecutableSchema(graph.Config{Resolvers: &resolvers.Resolver{Service: svc, Hub: s.hub, Logger: logger}}),
		gqlserver.Options{
			Name:       Name,
			Logger:     logger,
			Middleware: insightsloaders.Middleware(svc, insightsloaders.Config{}),
			ContextFor: insightsloaders.ForConnection(svc, insightsloaders.Config{}),
			Tracing:    opts.Tracing,
		},
	)
	return s, nil
}

// Handler serves the subgraph's GraphQL API.
func (s *Subgraph) Handler() http.Handler { return s.handler }

// Service is the subgraph's domain service.
func (s *Subgraph) Service() *insightsservice.Service { return s.service }

// Dependencies reports the guards of the sentiment model and the
// recommendations ranking.
func (s *Subgraph) Dependencies() *depguard.Registry { return s.guards }

// Seed replaces the seeded scores, detections and views with the
// deterministic seed; data from live events stays.
func (s *Subgraph) Seed(ctx context.Context) error {
	if err := s.service.Seed(ctx, seed.Generate()); err != nil {
		return fmt.Errorf("insights: %w", err)
	}
	return nil
}

// Ready reports whether the subgraph can serve.
func (s *Subgraph) Ready(ctx context.Context) error {
	if err := s.service.Ready(ctx); err != nil {
		return fmt.Errorf("insights: %w", err)
	}
	return nil
}

// Close stops the consumers, waiting for the event in hand, and closes the
// store. Uncommitted events are delivered again on the next start.
func (s *Subgraph) Close() error { return s.work.Stop() }
