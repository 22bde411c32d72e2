package app

import (
	"github.com/redis/go-redis/v9"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/subgraph"
)

// routerRedis is the one Redis client the router's cluster-mode features
// share (rate limits, APQ documents), so a router holds one connection pool
// to storage.redis rather than one per feature; nil in embedded mode or when
// no feature needs it. It is not pinged: go-redis connects on first use, so
// a Redis that is down costs those features (each logs its failures), never
// the router's start, and `cinegraph router plan` never touches it.
func routerRedis(cfg config.Config) *redis.Client {
	if cfg.Storage.Mode != subgraph.ModeCluster {
		return nil
	}
	if !cfg.Router.RateLimit.Enabled && cfg.Router.PersistedQueries.APQ != config.APQOn {
		return nil
	}
	r := cfg.Storage.Redis
	return redis.NewClient(&redis.Options{Addr: r.Addr, Password: r.Password, DB: r.DB})
}
