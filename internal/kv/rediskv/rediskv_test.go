package rediskv_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/enginetest"
	"github.com/cinegraph/cinegraph/internal/kv"
	"github.com/cinegraph/cinegraph/internal/kv/kvtest"
	"github.com/cinegraph/cinegraph/internal/kv/rediskv"
)

var nsSeq atomic.Int64

// namespace returns a key prefix no other test run uses and deletes its
// keys when the test ends.
func namespace(t *testing.T, client *redis.Client) string {
	t.Helper()
	prefix := fmt.Sprintf("test:kv:%d:%d:", time.Now().UnixNano(), nsSeq.Add(1))
	t.Cleanup(func() {
		ctx := context.Background()
		iter := client.Scan(ctx, 0, prefix+"*", 100).Iterator()
		for iter.Next(ctx) {
			client.Del(ctx, iter.Val())
		}
	})
	return prefix
}

func client(t *testing.T) *redis.Client {
	t.Helper()
	enginetest.Redis(t)
	cfg := enginetest.Storage(t).Redis
	c := redis.NewClient(&redis.Options{Addr: cfg.Addr, Password: cfg.Password, DB: cfg.DB})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestContract(t *testing.T) {
	t.Parallel()
	c := client(t)
	kvtest.Run(t, func(t *testing.T) kv.Store {
		return rediskv.New(c, namespace(t, c))
	})
}

func TestKeysStayUnderPrefix(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := client(t)
	prefix := namespace(t, c)
	s := rediskv.New(c, prefix)
	if err := s.Set(ctx, "doc", []byte("v"), 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Incr(ctx, "hits", 1, time.Minute); err != nil {
		t.Fatal(err)
	}
	if v, err := c.Get(ctx, prefix+"doc").Result(); err != nil || v != "v" {
		t.Fatalf("raw key %sdoc = %q, %v", prefix, v, err)
	}
	if ttl, err := c.PTTL(ctx, prefix+"hits").Result(); err != nil || ttl <= 0 || ttl > time.Minute {
		t.Fatalf("counter ttl = %v, %v; want within a minute", ttl, err)
	}
	if _, err := c.Get(ctx, "doc").Result(); !errors.Is(err, redis.Nil) {
		t.Fatalf("unprefixed key written: %v", err)
	}
}

func TestOpen(t *testing.T) {
	t.Parallel()
	enginetest.Redis(t)
	cfg := enginetest.Storage(t).Redis
	ctx := context.Background()
	s, err := rediskv.Open(ctx, cfg, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := rediskv.Open(ctx, config.Redis{Addr: "127.0.0.1:1"}, ""); err == nil {
		t.Fatal("Open of an address nobody listens on succeeded")
	}
}
