// Package cachetest is the contract every persisted.Cache must meet, run
// from each implementation's tests so that memory and Redis answer alike.
package cachetest

import (
	"context"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/router/persisted"
)

// TTL is the expiry the suite waits out.
const TTL = 300 * time.Millisecond

// Run runs the contract; open returns a fresh, empty cache (its own
// namespace) whose documents expire after ttl (never with 0).
func Run(t *testing.T, open func(t *testing.T, ttl time.Duration) persisted.Cache) {
	tests := []struct {
		name string
		run  func(t *testing.T, open func(t *testing.T, ttl time.Duration) persisted.Cache)
	}{
		{"MissThenHit", testMissThenHit},
		{"AddReplaces", testReplace},
		{"Expiry", testExpiry},
		{"KeysAreApart", testApart},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, open)
		})
	}
}

func get(t *testing.T, c persisted.Cache, hash string) (string, bool) {
	t.Helper()
	doc, ok, err := c.Get(context.Background(), hash)
	if err != nil {
		t.Fatalf("Get(%q): %v", hash, err)
	}
	return doc, ok
}

func add(t *testing.T, c persisted.Cache, hash, doc string) {
	t.Helper()
	if err := c.Add(context.Background(), hash, doc); err != nil {
		t.Fatalf("Add(%q): %v", hash, err)
	}
}

func testMissThenHit(t *testing.T, open func(*testing.T, time.Duration) persisted.Cache) {
	c := open(t, 0)
	const doc = "{ count }"
	h := persisted.Hash(doc)
	if got, ok := get(t, c, h); ok {
		t.Fatalf("empty cache has %q", got)
	}
	add(t, c, h, doc)
	if got, ok := get(t, c, h); !ok || got != doc {
		t.Fatalf("Get = %q, %v; want %q", got, ok, doc)
	}
}

func testReplace(t *testing.T, open func(*testing.T, time.Duration) persisted.Cache) {
	c := open(t, 0)
	add(t, c, "h", "{ a }")
	add(t, c, "h", "{ b }")
	if got, _ := get(t, c, "h"); got != "{ b }" {
		t.Fatalf("Get = %q, want the later document", got)
	}
}

func testExpiry(t *testing.T, open func(*testing.T, time.Duration) persisted.Cache) {
	c := open(t, TTL)
	add(t, c, "h", "{ a }")
	if _, ok := get(t, c, "h"); !ok {
		t.Fatal("document gone before its ttl")
	}
	time.Sleep(TTL + 200*time.Millisecond)
	if got, ok := get(t, c, "h"); ok {
		t.Fatalf("document %q outlived its ttl", got)
	}
}

func testApart(t *testing.T, open func(*testing.T, time.Duration) persisted.Cache) {
	c := open(t, 0)
	add(t, c, "a", "{ a }")
	add(t, c, "b", "{ b }")
	for hash, want := range map[string]string{"a": "{ a }", "b": "{ b }"} {
		if got, ok := get(t, c, hash); !ok || got != want {
			t.Fatalf("Get(%q) = %q, %v; want %q", hash, got, ok, want)
		}
	}
}
