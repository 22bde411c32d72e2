// Package video holds the video subgraph's GraphQL resolvers: they read
// arguments, call the service or a per-request dataloader, and convert
// domain values to the generated GraphQL types.
package video

//go:generate go run ../../internal/codegen -subgraph video

import (
	"context"
	"log/slog"

	"github.com/cinegraph/cinegraph/subgraphs/video/live"
	"github.com/cinegraph/cinegraph/subgraphs/video/loaders"
	"github.com/cinegraph/cinegraph/subgraphs/video/service"
)

// Resolver holds the dependencies every resolver shares.
type Resolver struct {
	Service *service.Service
	// Hub feeds playbackEvents; nil when the subgraph runs without a bus.
	Hub    *live.Hub
	Logger *slog.Logger
}

func (r *Resolver) logger() *slog.Logger {
	if r.Logger == nil {
		return slog.Default()
	}
	return r.Logger
}

// loaders returns the request's dataloaders. Operations that arrive
// without them (over a websocket, whose connection outlives any one
// operation) get fresh ones per call: never stale, batched only within the
// call.
func (r *Resolver) loaders(ctx context.Context) *loaders.Loaders {
	if l, ok := loaders.From(ctx); ok {
		return l
	}
	return loaders.New(r.Service.Store(), 0)
}
