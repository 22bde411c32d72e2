package video

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/internal/storetrace"
	"github.com/cinegraph/cinegraph/internal/subgraph"
	"github.com/cinegraph/cinegraph/subgraphs/video/store/videoobserved"
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
	return subgraph.OneStore[videoservice.Store]{
		Name:     Name,
		Embedded: openEmbeddedStore,
		Cluster:  openClusterStore,
		Wrap:     h.WrapStore,
		Assemble: func(ctx context.Context, store videoservice.Store, d subgraph.AssembleDeps) (subgraph.Subgraph, error) {
			sg, err := Open(ctx, Options{Store: store, Bus: d.Bus, Logger: d.Logger})
			if err != nil {
				return nil, err
			}
			return sg, nil
		},
	}.Module()
}

// openEmbeddedStore opens the pure-Go store under dataDir, its calls traced
// and timed.
func openEmbeddedStore(ctx context.Context, dataDir string, db sqlite.Options) (videoservice.Store, error) {
	store, err := videosqlite.OpenWith(ctx, filepath.Join(dataDir, videosqlite.FileName), db)
	if err != nil {
		return nil, fmt.Errorf("video: %w", err)
	}
	return videoobserved.Wrap(store, storetrace.SQLite, ""), nil
}
