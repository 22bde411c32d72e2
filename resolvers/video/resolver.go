// Package video holds the video subgraph's GraphQL resolvers: they read
// arguments, call the service or a per-request dataloader, and convert
// domain values to the generated GraphQL types.
package video

//go:generate go run ../../internal/codegen -subgraph video

import (
	"log/slog"

	"github.com/cinegraph/cinegraph/subgraphs/video/videolive"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

// Resolver holds the dependencies every resolver shares.
type Resolver struct {
	Service *videoservice.Service
	// Hub feeds playbackEvents; nil when the subgraph runs without a bus.
	Hub    *videolive.Hub
	Logger *slog.Logger
}

func (r *Resolver) logger() *slog.Logger {
	if r.Logger == nil {
		return slog.Default()
	}
	return r.Logger
}
