package catalog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/cinegraph/cinegraph/internal/depguard"
	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/internal/storetrace"
	"github.com/cinegraph/cinegraph/internal/subgraph"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search/searchobserved"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/catalogobserved"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/catalogsqlite"
)

var (
	_ subgraph.Subgraph = (*Subgraph)(nil)
	_ subgraph.Guarded  = (*Subgraph)(nil)
)

// Hooks decorate the catalog's engines as its Module opens them, in either
// storage mode, e.g. to count or time calls (the storage benchmark does).
// A nil hook leaves its engine as it is.
type Hooks struct {
	WrapStore    func(catalogservice.Store) catalogservice.Store
	WrapSearcher func(search.Searcher) search.Searcher
}

// Module is the catalog's constructor set for the composition root: the
// embedded store and search index under the data directory, or PostgreSQL
// behind a Redis cache with Elasticsearch search on the cluster engines.
func Module(h Hooks) subgraph.Module {
	return subgraph.Module{
		Name: Name,
		OpenEmbedded: func(ctx context.Context, d subgraph.EmbeddedDeps) (subgraph.Subgraph, error) {
			if d.DataDir == "" {
				return nil, errors.New("catalog: DataDir is required")
			}
			store, searcher, err := openEmbedded(ctx, d.DataDir, d.SQLite)
			if err != nil {
				return nil, err
			}
			return h.open(ctx, store, searcher, Options{Bus: d.Bus, Logger: d.Logger})
		},
		OpenCluster: func(ctx context.Context, d subgraph.ClusterDeps) (subgraph.Subgraph, error) {
			// The cache's guard is made before the subgraph, which reports it.
			guards := newGuards(d.Logger)
			store, searcher, err := openCluster(ctx, d.Storage, guards)
			if err != nil {
				return nil, err
			}
			return h.open(ctx, store, searcher, Options{Bus: d.Bus, Logger: d.Logger, Guards: guards})
		},
	}
}

// open decorates the engines and assembles the subgraph, which owns them
// from then on; on failure they are closed.
func (h Hooks) open(ctx context.Context, store catalogservice.Store, searcher search.Searcher, opts Options) (subgraph.Subgraph, error) {
	ws, err := subgraph.Decorate("catalog store", store, h.WrapStore)
	if err != nil {
		return nil, errors.Join(err, store.Close(), searcher.Close())
	}
	wi, err := subgraph.Decorate("catalog search", searcher, h.WrapSearcher)
	if err != nil {
		return nil, errors.Join(err, store.Close(), searcher.Close())
	}
	sg, err := New(ctx, ws, wi, opts)
	if err != nil {
		return nil, err
	}
	return sg, nil
}

// newGuards is the registry of the catalog's dependency guards.
func newGuards(logger *slog.Logger) *depguard.Registry {
	if logger == nil {
		logger = slog.Default()
	}
	return depguard.NewRegistry(logger.With("subgraph", Name))
}

// bleveIndex names the embedded search index in its spans.
const bleveIndex = "catalog-search"

// openEmbedded opens the pure-Go store and search index under dataDir,
// their calls traced and timed.
func openEmbedded(ctx context.Context, dataDir string, db sqlite.Options) (catalogservice.Store, search.Searcher, error) {
	store, err := catalogsqlite.OpenWith(ctx, filepath.Join(dataDir, catalogsqlite.FileName), db)
	if err != nil {
		return nil, nil, fmt.Errorf("catalog: %w", err)
	}
	searcher, err := search.Open(filepath.Join(dataDir, search.DirName))
	if err != nil {
		return nil, nil, errors.Join(fmt.Errorf("catalog: %w", err), store.Close())
	}
	return catalogobserved.Wrap(store, storetrace.SQLite), searchobserved.Wrap(searcher, storetrace.Bleve, bleveIndex), nil
}
