package video

import (
	"context"
	"errors"
	"fmt"

	"github.com/cinegraph/cinegraph/internal/subgraph"
	"github.com/cinegraph/cinegraph/subgraphs/video/store/videosqlite"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

var _ subgraph.Subgraph = (*Subgraph)(nil)

// Hooks decorate the video store as its Module opens it, in either storage
// mode, e.g. to count or time calls (the storage benchmark does). A nil
// hook leaves the store as it is.
type Hooks struct {
	WrapStore func(videoservice.Store) videoservice.Store
}

// Module is the video subgraph's constructor set for the composition root:
// the embedded store under the data directory, or Cassandra on the
// cluster engines.
func Module(h Hooks) subgraph.Module {
	return subgraph.Module{
		Name: Name,
		OpenEmbedded: func(ctx context.Context, d subgraph.EmbeddedDeps) (subgraph.Subgraph, error) {
			if d.DataDir == "" {
				return nil, errors.New("video: DataDir is required")
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
func (h Hooks) open(ctx context.Context, store videoservice.Store, opts Options) (subgraph.Subgraph, error) {
	w, err := subgraph.Decorate("video store", store, h.WrapStore)
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
func openEmbeddedStore(ctx context.Context, dataDir string) (videoservice.Store, error) {
	store, err := videosqlite.OpenDir(ctx, dataDir)
	if err != nil {
		return nil, fmt.Errorf("video: %w", err)
	}
	return store, nil
}
