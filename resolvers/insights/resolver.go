// Package insights holds the insights subgraph's resolvers: thin functions
// that read arguments, call the insights service or a dataloader and convert
// the results to GraphQL models.
package insights

import (
	"log/slog"

	"github.com/cinegraph/cinegraph/subgraphs/insights/insightslive"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
)

//go:generate go run ../../internal/codegen -subgraph insights

// Resolver is the root resolver; its fields are the insights dependencies.
type Resolver struct {
	Service *insightsservice.Service
	// Hub feeds insightAdded; nil when the subgraph runs without a bus.
	Hub    *insightslive.Hub
	Logger *slog.Logger
}

func (r *Resolver) logger() *slog.Logger {
	if r.Logger == nil {
		return slog.Default()
	}
	return r.Logger
}

// Schema defaults, applied when an argument is explicitly null.
const (
	defaultRecommendations = 10
	defaultMinConfidence   = 0.5
)
