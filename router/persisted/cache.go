package persisted

import (
	"context"
	"errors"
	"fmt"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/cinegraph/cinegraph/internal/kv"
)

// Cache keeps the documents clients registered through automatic persisted
// queries, by hash. It is a cache: a document may be evicted or expire at
// any time, and the client then sends it again.
type Cache interface {
	// Get returns the document registered under hash; ok is false when
	// there is none.
	Get(ctx context.Context, hash string) (doc string, ok bool, err error)
	// Add registers doc under hash.
	Add(ctx context.Context, hash, doc string) error
}

// DefaultCacheSize bounds the in-memory cache when NewMemory is given no
// size: a web app has a few dozen operations, so this leaves room for many
// clients' versions at once.
const DefaultCacheSize = 1000

// Memory is the in-process Cache: an LRU bounded by entries, each expiring
// ttl after it was added (never with ttl 0). Expiry is checked on reads
// rather than by a sweeper, so the cache owns no goroutine to stop.
type Memory struct {
	lru *lru.Cache[string, memEntry]
	ttl time.Duration
	now func() time.Time
}

type memEntry struct {
	doc     string
	expires time.Time // zero: never
}

var _ Cache = (*Memory)(nil)

// NewMemory returns an empty in-memory cache of at most size documents
// (DefaultCacheSize when size <= 0).
func NewMemory(size int, ttl time.Duration) *Memory {
	if size <= 0 {
		size = DefaultCacheSize
	}
	c, err := lru.New[string, memEntry](size)
	if err != nil {
		// lru.New fails only for a size <= 0, excluded above.
		panic(err)
	}
	return &Memory{lru: c, ttl: ttl, now: time.Now}
}

// Get implements Cache.
func (m *Memory) Get(_ context.Context, hash string) (string, bool, error) {
	e, ok := m.lru.Get(hash)
	if !ok {
		return "", false, nil
	}
	if !e.expires.IsZero() && !m.now().Before(e.expires) {
		m.lru.Remove(hash)
		return "", false, nil
	}
	return e.doc, true, nil
}

// Add implements Cache.
func (m *Memory) Add(_ context.Context, hash, doc string) error {
	e := memEntry{doc: doc}
	if m.ttl > 0 {
		e.expires = m.now().Add(m.ttl)
	}
	m.lru.Add(hash, e)
	return nil
}

// KeyPrefix namespaces the documents of a KV cache within its store, which
// rate limits and sessions share.
const KeyPrefix = "apq:"

// KV is a Cache over a kv.Store: rediskv in cluster mode, so that a
// document registered through one replica is found by every other.
type KV struct {
	store kv.Store
	ttl   time.Duration
}

var _ Cache = (*KV)(nil)

// NewKV returns a cache keeping documents in store for ttl (0: no expiry).
func NewKV(store kv.Store, ttl time.Duration) *KV { return &KV{store: store, ttl: ttl} }

// Get implements Cache.
func (c *KV) Get(ctx context.Context, hash string) (string, bool, error) {
	v, err := c.store.Get(ctx, KeyPrefix+hash)
	if errors.Is(err, kv.ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("persisted query %s: %w", hash, err)
	}
	return string(v), true, nil
}

// Add implements Cache.
func (c *KV) Add(ctx context.Context, hash, doc string) error {
	if err := c.store.Set(ctx, KeyPrefix+hash, []byte(doc), c.ttl); err != nil {
		return fmt.Errorf("register persisted query %s: %w", hash, err)
	}
	return nil
}
