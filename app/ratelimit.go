package app

import (
	"log/slog"

	"github.com/redis/go-redis/v9"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/router/ratelimit"
	"github.com/cinegraph/cinegraph/router/ratelimit/redislimit"
)

// RateLimitPrefix starts the Redis keys of the cluster mode's rate limits.
const RateLimitPrefix = "cinegraph:ratelimit:"

// rateLimit builds router.rate_limit's policy, nil when disabled: counted
// in memory in embedded mode, in storage.redis in cluster mode so that
// every router spends from one allowance. release closes what it opened.
func rateLimit(cfg config.Config, logger *slog.Logger) (policy *ratelimit.Policy, release func() error) {
	rl := cfg.Router.RateLimit
	release = func() error { return nil }
	if !rl.Enabled {
		return nil, release
	}
	var limiter ratelimit.Limiter = &ratelimit.Memory{}
	if cfg.Storage.Mode == "cluster" {
		// Not pinged: a Redis that is down costs the limits (requests pass,
		// and the failure is logged), never the router's start or service.
		r := cfg.Storage.Redis
		client := redis.NewClient(&redis.Options{Addr: r.Addr, Password: r.Password, DB: r.DB})
		limiter = redislimit.New(client, RateLimitPrefix)
		release = client.Close
	}
	perOp := make(map[string]ratelimit.Limit, len(rl.PerOperation))
	for name, r := range rl.PerOperation {
		perOp[name] = ratelimit.Limit{Rate: r.Rate, Burst: r.Burst}
	}
	return ratelimit.New(ratelimit.Config{
		Limiter:                 limiter,
		Key:                     ratelimit.HeaderOrIP(rl.KeyHeaders...),
		PerClient:               ratelimit.Limit{Rate: rl.PerClient.Rate, Burst: rl.PerClient.Burst},
		PerOperation:            perOp,
		MaxConnectionsPerClient: rl.WebSocket.MaxPerClient,
		MaxConnections:          rl.WebSocket.MaxTotal,
		Logger:                  logger,
	}), release
}
