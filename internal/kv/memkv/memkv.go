// Package memkv is the in-process kv.Store: a map guarded by a mutex, with
// expired keys dropped when read and swept now and then on writes.
package memkv

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/cinegraph/cinegraph/internal/kv"
)

// sweepEvery is how often (at most) a write walks the map to drop expired
// keys nobody reads any more.
const sweepEvery = time.Minute

type entry struct {
	value   []byte
	expires time.Time // zero: never
}

func (e entry) live(now time.Time) bool { return e.expires.IsZero() || now.Before(e.expires) }

// Store implements kv.Store in memory.
type Store struct {
	mu        sync.Mutex
	now       func() time.Time
	entries   map[string]entry
	lastSweep time.Time
}

var _ kv.Store = (*Store)(nil)

// Option adjusts New.
type Option func(*Store)

// WithClock makes the store read time from now (tests move time by hand).
func WithClock(now func() time.Time) Option {
	return func(s *Store) { s.now = now }
}

// New returns an empty store.
func New(opts ...Option) *Store {
	s := &Store{now: time.Now, entries: map[string]entry{}}
	for _, opt := range opts {
		opt(s)
	}
	s.lastSweep = s.now()
	return s
}

// Get implements kv.Store.
func (s *Store) Get(ctx context.Context, key string) ([]byte, error) {
	if err := kv.Check(key, 0); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[key]
	if !ok || !e.live(s.now()) {
		delete(s.entries, key)
		return nil, fmt.Errorf("get %q: %w", key, kv.ErrNotFound)
	}
	return append([]byte(nil), e.value...), nil
}

// Set implements kv.Store.
func (s *Store) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := kv.Check(key, ttl); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.sweep(now)
	e := entry{value: append([]byte(nil), value...)}
	if ttl > 0 {
		e.expires = now.Add(ttl)
	}
	s.entries[key] = e
	return nil
}

// Delete implements kv.Store.
func (s *Store) Delete(ctx context.Context, keys ...string) error {
	for _, k := range keys {
		if err := kv.Check(k, 0); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range keys {
		delete(s.entries, k)
	}
	return nil
}

// Incr implements kv.Store.
func (s *Store) Incr(ctx context.Context, key string, delta int64, ttl time.Duration) (int64, error) {
	if err := kv.Check(key, ttl); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.sweep(now)
	e, ok := s.entries[key]
	if !ok || !e.live(now) {
		e = entry{}
	}
	var n int64
	if e.value != nil {
		v, err := strconv.ParseInt(string(e.value), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("incr %q: %w", key, kv.ErrNotInteger)
		}
		n = v
	}
	if (delta > 0 && n > (1<<63-1)-delta) || (delta < 0 && n < (-1<<63)-delta) {
		return 0, fmt.Errorf("incr %q by %d: %w (overflow)", key, delta, kv.ErrNotInteger)
	}
	n += delta
	e.value = strconv.AppendInt(nil, n, 10)
	if ttl > 0 && e.expires.IsZero() {
		e.expires = now.Add(ttl)
	}
	s.entries[key] = e
	return n, nil
}

// Ping implements kv.Store.
func (s *Store) Ping(context.Context) error { return nil }

// Close implements kv.Store; the data is dropped.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries = map[string]entry{}
	return nil
}

// Len counts the live keys.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	n := 0
	for _, e := range s.entries {
		if e.live(now) {
			n++
		}
	}
	return n
}

// sweep drops expired keys, at most once per sweepEvery; s.mu is held.
func (s *Store) sweep(now time.Time) {
	if now.Sub(s.lastSweep) < sweepEvery {
		return
	}
	s.lastSweep = now
	for k, e := range s.entries {
		if !e.live(now) {
			delete(s.entries, k)
		}
	}
}
