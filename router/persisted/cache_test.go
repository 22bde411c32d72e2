package persisted_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cinegraph/cinegraph/internal/enginetest"
	"github.com/cinegraph/cinegraph/internal/kv/memkv"
	"github.com/cinegraph/cinegraph/internal/kv/rediskv"
	"github.com/cinegraph/cinegraph/router/persisted"
	"github.com/cinegraph/cinegraph/router/persisted/cachetest"
)

func TestMemory(t *testing.T) {
	t.Parallel()
	cachetest.Run(t, func(t *testing.T, ttl time.Duration) persisted.Cache {
		return persisted.NewMemory(0, ttl)
	})
}

// TestMemoryIsBounded: the least recently used document makes room.
func TestMemoryIsBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := persisted.NewMemory(2, 0)
	for _, h := range []string{"a", "b"} {
		_ = c.Add(ctx, h, h)
	}
	_, _, _ = c.Get(ctx, "a")
	_ = c.Add(ctx, "c", "c")
	for h, want := range map[string]bool{"a": true, "b": false, "c": true} {
		if _, ok, _ := c.Get(ctx, h); ok != want {
			t.Fatalf("%s cached = %v, want %v", h, ok, want)
		}
	}
}

func TestKVOnMemory(t *testing.T) {
	t.Parallel()
	cachetest.Run(t, func(t *testing.T, ttl time.Duration) persisted.Cache {
		s := memkv.New()
		t.Cleanup(func() { _ = s.Close() })
		return persisted.NewKV(s, ttl)
	})
}

var nsSeq atomic.Int64

func TestKVOnRedis(t *testing.T) {
	t.Parallel()
	enginetest.Redis(t)
	cfg := enginetest.Storage(t).Redis
	c := redis.NewClient(&redis.Options{Addr: cfg.Addr, Password: cfg.Password, DB: cfg.DB})
	t.Cleanup(func() { _ = c.Close() })
	cachetest.Run(t, func(t *testing.T, ttl time.Duration) persisted.Cache {
		prefix := fmt.Sprintf("test:apq:%d:%d:", time.Now().UnixNano(), nsSeq.Add(1))
		t.Cleanup(func() {
			ctx := context.Background()
			iter := c.Scan(ctx, 0, prefix+"*", 100).Iterator()
			for iter.Next(ctx) {
				c.Del(ctx, iter.Val())
			}
		})
		return persisted.NewKV(rediskv.New(c, prefix), ttl)
	})
}
