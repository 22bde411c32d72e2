// Package redislimit is the cluster mode's ratelimit.Limiter: GCRA kept in
// Redis (go-redis/redis_rate), so every router instance spends from the same
// allowance.
package redislimit

import (
	"context"
	"fmt"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/cinegraph/cinegraph/router/ratelimit"
)

// Limiter keeps its counters under Prefix in Redis.
type Limiter struct {
	limiter *redis_rate.Limiter
	prefix  string
}

var _ ratelimit.Limiter = (*Limiter)(nil)

// New returns a Limiter on client whose keys start with prefix.
func New(client redis.UniversalClient, prefix string) *Limiter {
	return &Limiter{limiter: redis_rate.NewLimiter(client), prefix: prefix}
}

// Allow implements ratelimit.Limiter.
func (l *Limiter) Allow(ctx context.Context, key string, limit ratelimit.Limit) (ratelimit.Decision, error) {
	// GCRA depends only on the emission interval and the burst, so any
	// rate becomes one request per interval.
	res, err := l.limiter.Allow(ctx, l.prefix+key, redis_rate.Limit{Rate: 1, Period: limit.Interval(), Burst: limit.Burst})
	if err != nil {
		return ratelimit.Decision{}, fmt.Errorf("redis rate limit: %w", err)
	}
	if res.Allowed > 0 {
		return ratelimit.Decision{Allowed: true}, nil
	}
	return ratelimit.Decision{RetryAfter: res.RetryAfter}, nil
}
