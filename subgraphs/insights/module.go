package insights

import (
	"context"
	"errors"
	"fmt"

	"github.com/cinegraph/cinegraph/internal/subgraph"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights/store/insightssqlite"
)

var _ subgraph.Subgraph = (*Subgraph)(nil)

// Hooks decorate the insights store as its Module opens it, in either storage
// mode, e.g. to count or time calls (the storage benchmark does). A nil
// hook leaves the store as it is.
type Hooks struct {
	WrapStore func(insightsservice.Store) insightsservice.Store
}

// Module is the insights subgraph's constructor set for the composition root:
// the embedded store under the data directory, or PostgreSQL on the
// cluster engines.
func Module(h Hooks) subgraph.Module {
	return subgraph.Module{
		Name: Name,
		OpenEmbedded: func(ctx context.Context, d subgraph.EmbeddedDeps) (subgraph.Subgraph, error) {
			if d.DataDir == "" {
				return nil, errors.New("insights: DataDir is required")
			}
			store, err := openEmbeddedStore(ctx, d.DataDir)
			if err != nil {
				return nil, err
			}
			return h.open(ctx, store, Options{Bus: d.Bus, Logger: d.Logger})
		},
		OpenCluster: func(ctx context.Context, d subgraph.ClusterDeps) (subgraph.Subgraph, error) {
			store, err := openClusterStore(ctx, d.Storage)
			if err != nil {
				return nil, err
			}
			return h.open(ctx, store, Options{Bus: d.Bus, Logger: d.Logger})
		},
	}
}

// open decorates store and assembles the subgraph, which owns it from then
// on; on failure it is closed.
func (h Hooks) open(ctx context.Context, store insightsservice.Store, opts Options) (subgraph.Subgraph, error) {
	w, err := subgraph.Decorate("insights store", store, h.WrapStore)
	if err != nil {
		return nil, errors.Join(err, store.Close())
	}
	opts.Store = w
	sg, err := Open(ctx, opts)
	if err != nil {
		return nil, err
	}
	return sg, nil
}

// openEmbeddedStore opens the pure-Go store under dataDir.
func openEmbeddedStore(ctx context.Context, dataDir string) (insightsservice.Store, error) {
	store, err := insightssqlite.Open(ctx, dataDir)
	if err != nil {
		return nil, fmt.Errorf("insights: %w", err)
	}
	return store, nil
}
