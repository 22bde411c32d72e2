// Package ratelimit holds the router's rate limits: a Limiter that answers
// "may this key spend one more request now" under GCRA semantics (the
// in-memory one here, the Redis one shared by every router in redislimit),
// the KeyFunc that names the client a request comes from, and the Policy
// that applies the configured limits per client, per operation and to
// websocket connections.
package ratelimit

import (
	"context"
	"fmt"
	"math"
	"time"
)

// Limit is a generic cell rate: Rate requests per second on average, with
// up to Burst at once.
type Limit struct {
	Rate  float64
	Burst int
}

// Interval is the time one request's allowance takes to return.
func (l Limit) Interval() time.Duration {
	return time.Duration(float64(time.Second) / l.Rate)
}

func (l Limit) String() string {
	return fmt.Sprintf("%g/s, burst %d", l.Rate, l.Burst)
}

// Valid reports whether l can limit anything.
func (l Limit) Valid() bool {
	return l.Rate > 0 && !math.IsInf(l.Rate, 0) && l.Burst > 0
}

// Decision is a Limiter's answer.
type Decision struct {
	Allowed bool
	// RetryAfter is how long until one request would be allowed; zero when
	// Allowed.
	RetryAfter time.Duration
}

// Limiter counts requests per key. Allow spends one request of key's
// allowance under limit when there is one; callers use the same limit for a
// key every time.
type Limiter interface {
	Allow(ctx context.Context, key string, limit Limit) (Decision, error)
}
