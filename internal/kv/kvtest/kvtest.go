// Package kvtest is the contract every kv.Store must meet, run from each
// implementation's tests so that memory and Redis answer alike.
package kvtest

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/kv"
)

// TTL is the expiry the suite waits out; long enough for a round trip to a
// busy server, short enough to keep the suite quick.
const TTL = 300 * time.Millisecond

// Run runs the contract; open returns a fresh, empty store (its own
// namespace) and arranges for it to be closed when the test ends.
func Run(t *testing.T, open func(t *testing.T) kv.Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, s kv.Store)
	}{
		{"MissingKey", testMissing},
		{"SetGetOverwrite", testSetGet},
		{"ValuesAreCopied", testCopies},
		{"Expiry", testExpiry},
		{"SetWithoutTTLClearsExpiry", testClearExpiry},
		{"Delete", testDelete},
		{"IncrCounts", testIncr},
		{"IncrWindowStartsAtFirstIncrement", testIncrWindow},
		{"IncrRefusesNonIntegers", testIncrNotInteger},
		{"IncrIsAtomic", testIncrAtomic},
		{"RejectsBadArguments", testBadArguments},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, open(t))
		})
	}
}

func get(t *testing.T, s kv.Store, key string) (string, bool) {
	t.Helper()
	v, err := s.Get(context.Background(), key)
	if errors.Is(err, kv.ErrNotFound) {
		return "", false
	}
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	return string(v), true
}

func set(t *testing.T, s kv.Store, key, value string, ttl time.Duration) {
	t.Helper()
	if err := s.Set(context.Background(), key, []byte(value), ttl); err != nil {
		t.Fatalf("Set(%q): %v", key, err)
	}
}

func incr(t *testing.T, s kv.Store, key string, delta int64, ttl time.Duration) int64 {
	t.Helper()
	n, err := s.Incr(context.Background(), key, delta, ttl)
	if err != nil {
		t.Fatalf("Incr(%q, %d): %v", key, delta, err)
	}
	return n
}

func testMissing(t *testing.T, s kv.Store) {
	if v, ok := get(t, s, "nope"); ok {
		t.Fatalf("Get of a missing key = %q", v)
	}
	if err := s.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

func testSetGet(t *testing.T, s kv.Store) {
	set(t, s, "doc", "query { a }", 0)
	set(t, s, "other", "", 0)
	if v, ok := get(t, s, "doc"); !ok || v != "query { a }" {
		t.Fatalf("Get = %q, %v", v, ok)
	}
	if v, ok := get(t, s, "other"); !ok || v != "" {
		t.Fatalf("an empty value reads back as %q, %v; want present and empty", v, ok)
	}
	set(t, s, "doc", "query { b }", 0)
	if v, _ := get(t, s, "doc"); v != "query { b }" {
		t.Fatalf("after overwrite Get = %q", v)
	}
	binary := string([]byte{0, 0xff, '\n', 0x80})
	set(t, s, "bin", binary, 0)
	if v, _ := get(t, s, "bin"); v != binary {
		t.Fatalf("binary value came back as %q", v)
	}
}

func testCopies(t *testing.T, s kv.Store) {
	ctx := context.Background()
	in := []byte("abc")
	if err := s.Set(ctx, "k", in, 0); err != nil {
		t.Fatal(err)
	}
	in[0] = 'X'
	out, err := s.Get(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	out[1] = 'Y'
	if v, _ := get(t, s, "k"); v != "abc" {
		t.Fatalf("stored value changed through a caller's slice: %q", v)
	}
}

func testExpiry(t *testing.T, s kv.Store) {
	set(t, s, "short", "v", TTL)
	set(t, s, "long", "v", time.Hour)
	if _, ok := get(t, s, "short"); !ok {
		t.Fatal("key gone before its ttl")
	}
	time.Sleep(TTL + 200*time.Millisecond)
	if v, ok := get(t, s, "short"); ok {
		t.Fatalf("key still there after its ttl: %q", v)
	}
	if _, ok := get(t, s, "long"); !ok {
		t.Fatal("key with a long ttl expired")
	}
}

func testClearExpiry(t *testing.T, s kv.Store) {
	set(t, s, "k", "v1", TTL)
	set(t, s, "k", "v2", 0)
	time.Sleep(TTL + 200*time.Millisecond)
	if v, ok := get(t, s, "k"); !ok || v != "v2" {
		t.Fatalf("Set without ttl kept the old expiry: %q, %v", v, ok)
	}
}

func testDelete(t *testing.T, s kv.Store) {
	set(t, s, "a", "1", 0)
	set(t, s, "b", "2", 0)
	set(t, s, "c", "3", 0)
	if err := s.Delete(context.Background(), "a", "b", "absent"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if err := s.Delete(context.Background()); err != nil {
		t.Fatalf("Delete of nothing: %v", err)
	}
	for key, want := range map[string]bool{"a": false, "b": false, "c": true} {
		if _, ok := get(t, s, key); ok != want {
			t.Errorf("after Delete, %q present = %v, want %v", key, ok, want)
		}
	}
}

func testIncr(t *testing.T, s kv.Store) {
	for i, want := range []int64{1, 2, 12, 7} {
		delta := []int64{1, 1, 10, -5}[i]
		if got := incr(t, s, "n", delta, 0); got != want {
			t.Fatalf("Incr #%d = %d, want %d", i, got, want)
		}
	}
	if v, _ := get(t, s, "n"); v != "7" {
		t.Fatalf("counter reads as %q, want 7", v)
	}
	set(t, s, "m", "41", 0)
	if got := incr(t, s, "m", 1, 0); got != 42 {
		t.Fatalf("Incr of a set integer = %d, want 42", got)
	}
}

func testIncrWindow(t *testing.T, s kv.Store) {
	start := time.Now()
	incr(t, s, "window", 1, TTL)
	time.Sleep(TTL / 2)
	// A later increment must not push the window's end out.
	if got := incr(t, s, "window", 1, TTL); got != 2 {
		t.Fatalf("second increment = %d, want 2", got)
	}
	time.Sleep(time.Until(start.Add(TTL + 200*time.Millisecond)))
	if got := incr(t, s, "window", 1, TTL); got != 1 {
		t.Fatalf("increment after the window = %d, want a fresh count of 1", got)
	}
	// A counter without expiry gets one from the first call that names a ttl.
	incr(t, s, "forever", 1, 0)
	incr(t, s, "forever", 1, TTL)
	time.Sleep(TTL + 200*time.Millisecond)
	if v, ok := get(t, s, "forever"); ok {
		t.Fatalf("counter kept without expiry: %q", v)
	}
}

func testIncrNotInteger(t *testing.T, s kv.Store) {
	set(t, s, "text", "hello", 0)
	if _, err := s.Incr(context.Background(), "text", 1, 0); !errors.Is(err, kv.ErrNotInteger) {
		t.Fatalf("Incr of text: err = %v, want ErrNotInteger", err)
	}
	if v, _ := get(t, s, "text"); v != "hello" {
		t.Fatalf("a refused Incr changed the value to %q", v)
	}
	set(t, s, "max", strconv.FormatInt(1<<63-1, 10), 0)
	if _, err := s.Incr(context.Background(), "max", 1, 0); !errors.Is(err, kv.ErrNotInteger) {
		t.Fatalf("Incr past the int64 range: err = %v, want ErrNotInteger", err)
	}
}

func testIncrAtomic(t *testing.T, s kv.Store) {
	const workers, each = 16, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				if _, err := s.Incr(context.Background(), "shared", 1, time.Hour); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent Incr: %v", err)
	}
	if v, _ := get(t, s, "shared"); v != strconv.Itoa(workers*each) {
		t.Fatalf("after %d concurrent increments the counter is %q", workers*each, v)
	}
}

func testBadArguments(t *testing.T, s kv.Store) {
	ctx := context.Background()
	if err := s.Set(ctx, "", []byte("v"), 0); err == nil {
		t.Error("Set accepted an empty key")
	}
	if err := s.Set(ctx, "k", []byte("v"), -time.Second); err == nil {
		t.Error("Set accepted a negative ttl")
	}
	if _, err := s.Get(ctx, ""); err == nil || errors.Is(err, kv.ErrNotFound) {
		t.Errorf("Get of an empty key: err = %v, want a refusal", err)
	}
	if _, err := s.Incr(ctx, "", 1, 0); err == nil {
		t.Error("Incr accepted an empty key")
	}
	if err := s.Delete(ctx, "ok", ""); err == nil {
		t.Error("Delete accepted an empty key")
	}
}
