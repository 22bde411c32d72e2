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
// in memory in embedded mode, in Redis (rdb, see routerRedis) in cluster
// mode so that every router spends from one allowance. A Redis that is down
// costs the limits (requests pass, the failure is logged), never service.
func rateLimit(cfg config.Config, rdb *redis.Client, logger *slog.Logger) *ratelimit.Policy {
	rl := cfg.Router.RateLimit
	if !rl.Enabled {
		return nil
	}
	var limiter ratelimit.Limiter = &ratelimit.Memory{}
	if rdb != nil {
		limiter = redislimit.New(rdb, RateLimitPrefix)
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
	})
}
