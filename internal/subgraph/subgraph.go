// Package subgraph is the contract between each subgraph under subgraphs/
// and the composition root: the constructor set a subgraph exports (a
// Module), what the root hands it in each storage mode (EmbeddedDeps,
// ClusterDeps), and what a running subgraph offers back (Subgraph). The
// root opens every registered module the same way, so adding a subgraph or
// an engine needs no switch on names.
package subgraph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/depguard"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/sqlite"
)

// Subgraph is a running subgraph: its GraphQL endpoint, seeding, readiness
// and shutdown. Its background work stops when the context it was opened
// with is done or on Close.
type Subgraph interface {
	Handler() http.Handler
	Seed(ctx context.Context) error
	Ready(ctx context.Context) error
	Close() error
}

// Guarded is a Subgraph that guards the dependencies behind its resolvers
// (a search engine, a cache, a model) with internal/depguard; the
// composition root reports their guards.
type Guarded interface {
	Dependencies() *depguard.Registry
}

// EmbeddedDeps is what a subgraph gets in embedded mode: a data directory
// for its pure-Go stores.
type EmbeddedDeps struct {
	// DataDir holds the subgraph's files; it is shared by every subgraph of
	// the process, each keeping to its own file names.
	DataDir string
	// Bus carries domain events; it is shared by the process's subgraphs
	// and never closed by them.
	Bus    events.Bus
	Logger *slog.Logger
	// SQLite is how the subgraph opens its embedded databases
	// (storage.sqlite: their durability).
	SQLite sqlite.Options
	// ML configures the models a subgraph runs (insights).
	ML config.ML
}

// ClusterDeps is what a subgraph gets in cluster mode: the settings of the
// real engines, to which it opens its own connections (each store keeps
// its own schema or keyspace and migrations).
type ClusterDeps struct {
	Storage config.Storage
	// Bus carries domain events; it is shared by the process's subgraphs
	// and never closed by them.
	Bus    events.Bus
	Logger *slog.Logger
	// ML configures the models a subgraph runs (insights).
	ML config.ML
}

// Module is one subgraph's constructor set: how to open it on either kind
// of storage. Each subgraph package exports one; the composition root
// registers them in start order.
type Module struct {
	// Name is the subgraph's name in the supergraph and the configuration.
	Name         string
	OpenEmbedded func(ctx context.Context, deps EmbeddedDeps) (Subgraph, error)
	OpenCluster  func(ctx context.Context, deps ClusterDeps) (Subgraph, error)
}

// Storage modes a Module opens in (config.Storage.Mode).
const (
	ModeEmbedded = "embedded"
	ModeCluster  = "cluster"
)

// Open opens m in cfg's storage mode.
func (m Module) Open(ctx context.Context, cfg config.Config, bus events.Bus, logger *slog.Logger) (Subgraph, error) {
	switch cfg.Storage.Mode {
	case ModeEmbedded:
		sg, err := m.OpenEmbedded(ctx, EmbeddedDeps{DataDir: cfg.DataDir, Bus: bus, Logger: logger, SQLite: sqlite.Options{Synchronous: sqlite.Synchronous(cfg.Storage.SQLite.Synchronous)}, ML: cfg.ML})
		if err != nil {
			return nil, fmt.Errorf("open %s subgraph: %w", m.Name, err)
		}
		return sg, nil
	case ModeCluster:
		sg, err := m.OpenCluster(ctx, ClusterDeps{Storage: cfg.Storage, Bus: bus, Logger: logger, ML: cfg.ML})
		if err != nil {
			return nil, fmt.Errorf("open %s subgraph on the cluster engines: %w", m.Name, err)
		}
		return sg, nil
	default:
		return nil, fmt.Errorf("open %s subgraph: storage mode %q is not one of %s, %s", m.Name, cfg.Storage.Mode, ModeEmbedded, ModeCluster)
	}
}

// Decorate passes v through wrap when one is set, for a Module's typed
// store hooks; a wrapper returning nil is an error naming what it wrapped.
// On error the caller still owns v.
func Decorate[T comparable](what string, v T, wrap func(T) T) (T, error) {
	if wrap == nil {
		return v, nil
	}
	var zero T
	w := wrap(v)
	if w == zero {
		return zero, errors.New(what + " wrapper returned nil")
	}
	return w, nil
}
