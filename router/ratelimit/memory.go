package ratelimit

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// DefaultMaxKeys bounds the keys a Memory limiter holds: about a hundred
// bytes each, so the default costs some megabytes at most.
const DefaultMaxKeys = 100_000

// Memory is the in-process Limiter of the embedded mode: a token bucket
// (equivalent to GCRA) per key, at most MaxKeys of them. Over the bound,
// keys whose bucket has refilled are dropped first (forgetting them changes
// nothing); if none has, an arbitrary key is dropped and its client starts
// again with a full burst, which is the price of bounded memory.
type Memory struct {
	// MaxKeys bounds the keys held; 0 means DefaultMaxKeys.
	MaxKeys int
	// Now is the clock; nil means time.Now. Tests set it.
	Now func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

var _ Limiter = (*Memory)(nil)

type bucket struct {
	lim   *rate.Limiter
	limit Limit
}

// Allow implements Limiter; it never fails.
func (m *Memory) Allow(_ context.Context, key string, limit Limit) (Decision, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	b := m.buckets[key]
	if b == nil || b.limit != limit {
		if m.buckets == nil {
			m.buckets = map[string]*bucket{}
		}
		if b == nil && len(m.buckets) >= m.maxKeys() {
			m.evict(now)
		}
		// A new bucket starts full.
		b = &bucket{lim: rate.NewLimiter(rate.Limit(limit.Rate), limit.Burst), limit: limit}
		m.buckets[key] = b
	}
	if b.lim.AllowN(now, 1) {
		return Decision{Allowed: true}, nil
	}
	missing := 1 - b.lim.TokensAt(now)
	wait := time.Duration(missing / limit.Rate * float64(time.Second))
	if wait <= 0 {
		wait = time.Nanosecond
	}
	return Decision{RetryAfter: wait}, nil
}

// evict makes room for one key: every full bucket goes, else one at random
// (map order).
func (m *Memory) evict(now time.Time) {
	for k, b := range m.buckets {
		if b.lim.TokensAt(now) >= float64(b.limit.Burst) {
			delete(m.buckets, k)
		}
	}
	if len(m.buckets) < m.maxKeys() {
		return
	}
	for k := range m.buckets {
		delete(m.buckets, k)
		return
	}
}

// Keys returns how many keys are held.
func (m *Memory) Keys() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.buckets)
}

func (m *Memory) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

func (m *Memory) maxKeys() int {
	if m.MaxKeys > 0 {
		return m.MaxKeys
	}
	return DefaultMaxKeys
}
