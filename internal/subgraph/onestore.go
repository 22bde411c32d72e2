package subgraph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/sqlite"
)

// OneStore describes a subgraph whose parts all hang off one store (chat,
// video and insights): how to open that store in each storage mode, a
// typed hook that decorates it, and how to assemble the subgraph around
// it. Its Module opens the store, decorates it and assembles; the
// assembled subgraph owns the store from then on.
type OneStore[S interface {
	comparable
	io.Closer
}] struct {
	Name     string
	Embedded func(ctx context.Context, dataDir string, db sqlite.Options) (S, error)
	Cluster  func(ctx context.Context, storage config.Storage) (S, error)
	// Wrap, when set, decorates the store in both modes (the storage
	// benchmark counts calls through it); it must not return nil.
	Wrap func(S) S
	// Assemble builds the subgraph on store; it closes store when it fails.
	Assemble func(ctx context.Context, store S, d AssembleDeps) (Subgraph, error)
}

// Module is the constructor set the composition root loops over.
func (o OneStore[S]) Module() Module {
	return Module{
		Name: o.Name,
		OpenEmbedded: func(ctx context.Context, d EmbeddedDeps) (Subgraph, error) {
			if d.DataDir == "" {
				return nil, fmt.Errorf("%s: DataDir is required", o.Name)
			}
			store, err := o.Embedded(ctx, d.DataDir, d.SQLite)
			if err != nil {
				return nil, err
			}
			return o.assemble(ctx, store, AssembleDeps{Bus: d.Bus, Logger: d.Logger, ML: d.ML})
		},
		OpenCluster: func(ctx context.Context, d ClusterDeps) (Subgraph, error) {
			store, err := o.Cluster(ctx, d.Storage)
			if err != nil {
				return nil, err
			}
			return o.assemble(ctx, store, AssembleDeps{Bus: d.Bus, Logger: d.Logger, ML: d.ML})
		},
	}
}

func (o OneStore[S]) assemble(ctx context.Context, store S, d AssembleDeps) (Subgraph, error) {
	w, err := Decorate(o.Name+" store", store, o.Wrap)
	if err != nil {
		return nil, errors.Join(err, store.Close())
	}
	return o.Assemble(ctx, w, d)
}

// AssembleDeps is what a OneStore subgraph is built with besides its store,
// in either storage mode.
type AssembleDeps struct {
	// Bus carries domain events; shared, never closed by the subgraph.
	Bus    events.Bus
	Logger *slog.Logger
	// ML configures the models the subgraph runs.
	ML config.ML
}
