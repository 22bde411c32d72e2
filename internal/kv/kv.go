// Package kv is Cinegraph's small, engine-neutral key/value contract:
// byte values with an optional time to live, and an atomic counter, which
// is what persisted-query documents, rate-limit windows and sessions need.
// memkv keeps keys in process memory (embedded mode, tests); rediskv keeps
// them in Redis so that every replica shares them (cluster mode).
package kv

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrNotFound is returned by Get for a key that is absent or expired.
var ErrNotFound = errors.New("kv: key not found")

// ErrNotInteger is returned by Incr when the key holds a value that is not
// a decimal 64-bit integer.
var ErrNotInteger = errors.New("kv: value is not an integer")

// Store is a key/value store. Keys are non-empty strings; a ttl of zero
// means "never expires".
type Store interface {
	// Get returns the value of key, or ErrNotFound.
	Get(ctx context.Context, key string) ([]byte, error)
	// Set stores value under key, replacing any value and expiry it had;
	// with ttl > 0 the key expires after ttl.
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
	// Delete removes keys; absent keys are not an error.
	Delete(ctx context.Context, keys ...string) error
	// Incr atomically adds delta to the integer under key (absent counts as
	// 0) and returns the new value. With ttl > 0, a key that has no expiry
	// yet, such as one this call creates, expires after ttl; an existing
	// expiry is kept, so a counter measures a fixed window from its first
	// increment. Incr stores the counter as decimal text, so Get reads it.
	Incr(ctx context.Context, key string, delta int64, ttl time.Duration) (int64, error)
	// Ping checks the store can serve.
	Ping(ctx context.Context) error
	// Close releases the store.
	Close() error
}

// Check validates a key and a ttl; implementations call it first so that
// every engine rejects the same arguments.
func Check(key string, ttl time.Duration) error {
	if key == "" {
		return errors.New("kv: empty key")
	}
	if ttl < 0 {
		return fmt.Errorf("kv: negative ttl %v for key %q", ttl, key)
	}
	return nil
}
