package app

import (
	"fmt"
	"log/slog"

	"github.com/redis/go-redis/v9"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/kv/rediskv"
	"github.com/cinegraph/cinegraph/router/persisted"
)

// apqCache is where APQ documents live for the storage mode: in memory,
// bounded, for one embedded process; in Redis for a cluster, so that a
// document registered through one router replica is known to all (rdb,
// see routerRedis, nil in embedded mode). Nil when APQ is off.
func apqCache(cfg config.Config, rdb *redis.Client) persisted.Cache {
	pq := cfg.Router.PersistedQueries
	switch {
	case pq.APQ != config.APQOn:
		return nil
	case rdb != nil:
		return persisted.NewKV(rediskv.New(rdb, rediskv.DefaultPrefix), pq.TTL)
	}
	return persisted.NewMemory(pq.CacheSize, pq.TTL)
}

// persistedDocuments builds the router's persisted operations from
// router.persisted_queries.
func persistedDocuments(cfg config.Config, rdb *redis.Client, logger *slog.Logger) (*persisted.Documents, error) {
	pq := cfg.Router.PersistedQueries
	var manifest *persisted.Manifest
	if pq.Manifest != "" {
		m, err := persisted.LoadManifest(pq.Manifest)
		if err != nil {
			return nil, err
		}
		manifest = m
		logger.Info("persisted query manifest loaded", "operations", m.Len(), "safelist", pq.Safelist)
	}
	docs, err := persisted.New(persisted.Config{APQ: apqCache(cfg, rdb), Manifest: manifest, Safelist: pq.Safelist, Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("router.persisted_queries: %w", err)
	}
	return docs, nil
}
