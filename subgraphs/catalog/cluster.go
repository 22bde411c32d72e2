package catalog

import (
	"context"
	"errors"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/depguard"
	"github.com/cinegraph/cinegraph/internal/storetrace"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search/elastic"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search/searchobserved"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/catalogobserved"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/catalogpostgres"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/rediscache"
)

// openCluster opens the catalog's cluster engines: the PostgreSQL store
// behind a Redis read cache, guarded in guards, and Elasticsearch search,
// each engine's calls traced and timed.
func openCluster(ctx context.Context, st config.Storage, guards *depguard.Registry) (catalogservice.Store, search.Searcher, error) {
	pg, err := catalogpostgres.Open(ctx, st.Postgres)
	if err != nil {
		return nil, nil, err
	}
	// The cache's misses are PostgreSQL's spans, under the cache's own.
	cached, err := rediscache.Open(ctx, st.Redis, catalogobserved.Wrap(pg, storetrace.PostgreSQL), rediscache.WithGuard(guards.Guard(rediscache.Dependency, cachePolicy())))
	if err != nil {
		return nil, nil, errors.Join(err, pg.Close())
	}
	searcher, err := elastic.Open(ctx, st.Elasticsearch)
	if err != nil {
		// Closing the cache closes the PostgreSQL store behind it.
		return nil, nil, errors.Join(err, cached.Close())
	}
	return cached, searchobserved.Wrap(searcher, storetrace.Elasticsearch, st.Elasticsearch.Index), nil
}
