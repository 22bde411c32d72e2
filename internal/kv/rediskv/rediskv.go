// Package rediskv is the kv.Store on Redis (go-redis v9), so that every
// replica shares persisted queries, rate-limit counters and sessions. All
// keys live under a prefix, which keeps this data apart from the catalog
// cache and lets tests use a namespace of their own.
package rediskv

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/kv"
)

// DefaultPrefix namespaces the keys of Open's store.
const DefaultPrefix = "cinegraph:kv:"

// incr adds to a counter and, in the same atomic step, gives it an expiry
// if it has none, so a crash between the two can never leave a rate-limit
// counter that never resets.
var incr = redis.NewScript(`
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = tonumber(ARGV[2])
if ttl > 0 and redis.call('PTTL', KEYS[1]) < 0 then
	redis.call('PEXPIRE', KEYS[1], ttl)
end
return n`)

// Store implements kv.Store on Redis.
type Store struct {
	client redis.UniversalClient
	prefix string
	owned  bool
}

var _ kv.Store = (*Store)(nil)

// New wraps a client the caller owns (and closes); keys get prefix.
func New(client redis.UniversalClient, prefix string) *Store {
	return &Store{client: client, prefix: prefix}
}

// Open connects to the Redis of cfg, checks it answers, and returns a store
// whose keys get prefix (DefaultPrefix when empty). Close closes the client.
func Open(ctx context.Context, cfg config.Redis, prefix string) (*Store, error) {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	client := redis.NewClient(&redis.Options{Addr: cfg.Addr, Password: cfg.Password, DB: cfg.DB})
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("connect redis at %s: %w", cfg.Addr, err)
	}
	return &Store{client: client, prefix: prefix, owned: true}, nil
}

// Get implements kv.Store.
func (s *Store) Get(ctx context.Context, key string) ([]byte, error) {
	if err := kv.Check(key, 0); err != nil {
		return nil, err
	}
	v, err := s.client.Get(ctx, s.prefix+key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("get %q: %w", key, kv.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get %q: %w", key, err)
	}
	return v, nil
}

// Set implements kv.Store; a zero ttl also clears an earlier expiry, as
// SET without an expiry does.
func (s *Store) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := kv.Check(key, ttl); err != nil {
		return err
	}
	if err := s.client.Set(ctx, s.prefix+key, value, ttl).Err(); err != nil {
		return fmt.Errorf("set %q: %w", key, err)
	}
	return nil
}

// Delete implements kv.Store.
func (s *Store) Delete(ctx context.Context, keys ...string) error {
	if len(keys) == 0 {
		return nil
	}
	full := make([]string, len(keys))
	for i, k := range keys {
		if err := kv.Check(k, 0); err != nil {
			return err
		}
		full[i] = s.prefix + k
	}
	if err := s.client.Del(ctx, full...).Err(); err != nil {
		return fmt.Errorf("delete %d keys: %w", len(keys), err)
	}
	return nil
}

// Incr implements kv.Store.
func (s *Store) Incr(ctx context.Context, key string, delta int64, ttl time.Duration) (int64, error) {
	if err := kv.Check(key, ttl); err != nil {
		return 0, err
	}
	// Redis counts expiry in whole milliseconds: round up so that a tiny
	// ttl still expires rather than meaning "never".
	ms := int64((ttl + time.Millisecond - 1) / time.Millisecond)
	n, err := incr.Run(ctx, s.client, []string{s.prefix + key}, delta, ms).Int64()
	if err != nil {
		// INCRBY refuses non-integers and overflow with these messages.
		if msg := err.Error(); strings.Contains(msg, "not an integer") || strings.Contains(msg, "overflow") {
			return 0, fmt.Errorf("incr %q: %w (%v)", key, kv.ErrNotInteger, err)
		}
		return 0, fmt.Errorf("incr %q: %w", key, err)
	}
	return n, nil
}

// Ping implements kv.Store.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("ping redis: %w", err)
	}
	return nil
}

// Close implements kv.Store; it closes the client only if Open made it.
func (s *Store) Close() error {
	if !s.owned {
		return nil
	}
	if err := s.client.Close(); err != nil {
		return fmt.Errorf("close redis client: %w", err)
	}
	return nil
}
