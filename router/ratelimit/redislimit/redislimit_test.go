package redislimit_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cinegraph/cinegraph/internal/enginetest"
	"github.com/cinegraph/cinegraph/router/ratelimit"
	"github.com/cinegraph/cinegraph/router/ratelimit/limittest"
	"github.com/cinegraph/cinegraph/router/ratelimit/redislimit"
)

var nsSeq atomic.Int64

func TestContract(t *testing.T) {
	t.Parallel()
	enginetest.Redis(t)
	cfg := enginetest.Storage(t).Redis
	c := redis.NewClient(&redis.Options{Addr: cfg.Addr, Password: cfg.Password, DB: cfg.DB})
	t.Cleanup(func() { _ = c.Close() })
	limittest.Run(t, func(t *testing.T) ratelimit.Limiter {
		// A prefix no other run uses: the keys expire on their own once
		// their allowance has refilled.
		prefix := fmt.Sprintf("test:ratelimit:%d:%d:", time.Now().UnixNano(), nsSeq.Add(1))
		t.Cleanup(func() {
			ctx := context.Background()
			iter := c.Scan(ctx, 0, "rate:"+prefix+"*", 100).Iterator()
			for iter.Next(ctx) {
				c.Del(ctx, iter.Val())
			}
		})
		return redislimit.New(c, prefix)
	})
}
