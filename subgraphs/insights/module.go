package insights

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/internal/storetrace"
	"github.com/cinegraph/cinegraph/internal/subgraph"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights/store/insightsobserved"
	"github.com/cinegraph/cinegraph/subgraphs/insights/store/insightssqlite"
)

var (
	_ subgraph.Subgraph = (*Subgraph)(nil)
	_ subgraph.Guarded  = (*Subgraph)(nil)
)

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
	return subgraph.OneStore[insightsservice.Store]{
		Name:     Name,
		Embedded: openEmbeddedStore,
		Cluster:  openClusterStore,
		Wrap:     h.WrapStore,
		Assemble: func(ctx context.Context, store insightsservice.Store, d subgraph.AssembleDeps) (subgraph.Subgraph, error) {
			logger := d.Logger
			if logger == nil {
				logger = slog.Default()
			}
			det, err := OpenDetection(ctx, d.ML, logger.With("subgraph", Name))
			if err != nil {
				return nil, errors.Join(fmt.Errorf("insights: %w", err), store.Close())
			}
			sg, err := Open(ctx, Options{Store: store, Bus: d.Bus, Logger: d.Logger, Detection: det})
			if err != nil {
				if det != nil {
					err = errors.Join(err, det.Detector.Close())
				}
				return nil, err
			}
			return sg, nil
		},
	}.Module()
}

// openEmbeddedStore opens the pure-Go store under dataDir, its calls traced
// and timed.
func openEmbeddedStore(ctx context.Context, dataDir string, db sqlite.Options) (insightsservice.Store, error) {
	store, err := insightssqlite.OpenWith(ctx, filepath.Join(dataDir, insightssqlite.FileName), db)
	if err != nil {
		return nil, fmt.Errorf("insights: %w", err)
	}
	return insightsobserved.Wrap(store, storetrace.SQLite), nil
}
