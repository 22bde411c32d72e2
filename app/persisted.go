package app

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/kv/rediskv"
	"github.com/cinegraph/cinegraph/internal/subgraph"
	"github.com/cinegraph/cinegraph/router/persisted"
)

// apqCache is where APQ documents live for the storage mode: in memory,
// bounded, for one embedded process; in Redis for a cluster, so that a
// document registered through one router replica is known to all. close
// releases it; nil when APQ is off.
func apqCache(cfg config.Config) (cache persisted.Cache, close func() error) {
	pq := cfg.Router.PersistedQueries
	if pq.APQ != config.APQOn {
		return nil, func() error { return nil }
	}
	if cfg.Storage.Mode == subgraph.ModeCluster {
		store := rediskv.Dial(cfg.Storage.Redis, "")
		return persisted.NewKV(store, pq.TTL), store.Close
	}
	return persisted.NewMemory(pq.CacheSize, pq.TTL), func() error { return nil }
}

// persistedDocuments builds the router's persisted operations from
// router.persisted_queries.
func persistedDocuments(cfg config.Config, logger *slog.Logger) (*persisted.Documents, func() error, error) {
	pq := cfg.Router.PersistedQueries
	var manifest *persisted.Manifest
	if pq.Manifest != "" {
		m, err := persisted.LoadManifest(pq.Manifest)
		if err != nil {
			return nil, nil, err
		}
		manifest = m
		logger.Info("persisted query manifest loaded", "operations", m.Len(), "safelist", pq.Safelist)
	}
	cache, closeCache := apqCache(cfg)
	docs, err := persisted.New(persisted.Config{APQ: cache, Manifest: manifest, Safelist: pq.Safelist, Logger: logger})
	if err != nil {
		return nil, nil, errors.Join(fmt.Errorf("router.persisted_queries: %w", err), closeCache())
	}
	return docs, closeCache, nil
}
