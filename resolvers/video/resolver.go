// Package video holds the video subgraph's GraphQL resolvers: they read
// arguments, call the service or a per-request dataloader, and convert
// domain values to the generated GraphQL types.
package video

//go:generate go run ../../internal/codegen -subgraph video

import (
	"log/slog"

	"github.com/cinegraph/cinegraph/subgraphs/video/live"
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
