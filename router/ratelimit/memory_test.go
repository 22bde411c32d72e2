package ratelimit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/router/ratelimit"
	"github.com/cinegraph/cinegraph/router/ratelimit/limittest"
)

func TestMemoryContract(t *testing.T) {
	t.Parallel()
	limittest.Run(t, func(*testing.T) ratelimit.Limiter { return &ratelimit.Memory{} })
}

// clock is a fake time the test moves.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func TestMemoryRefillsOnItsClock(t *testing.T) {
	t.Parallel()
	c := &clock{now: time.Unix(1_700_000_000, 0)}
	m := &ratelimit.Memory{Now: c.Now}
	limit := ratelimit.Limit{Rate: 2, Burst: 2} // one back every 500ms
	ctx := context.Background()
	steps := []struct {
		name    string
		advance time.Duration
		allowed bool
		retry   time.Duration
	}{
		{"burst 1", 0, true, 0},
		{"burst 2", 0, true, 0},
		{"empty", 0, false, 500 * time.Millisecond},
		{"partly refilled", 200 * time.Millisecond, false, 300 * time.Millisecond},
		{"refilled one", 300 * time.Millisecond, true, 0},
		{"empty again", 0, false, 500 * time.Millisecond},
		{"long idle", time.Hour, true, 0},
		{"burst after idle", 0, true, 0},
		{"no more than the burst", 0, false, 500 * time.Millisecond},
	}
	for _, s := range steps {
		c.now = c.now.Add(s.advance)
		d, err := m.Allow(ctx, "k", limit)
		if err != nil {
			t.Fatal(err)
		}
		if d.Allowed != s.allowed || d.RetryAfter.Round(time.Millisecond) != s.retry {
			t.Fatalf("%s: got %+v, want allowed=%v retry=%s", s.name, d, s.allowed, s.retry)
		}
	}
}

func TestMemoryBoundsItsKeys(t *testing.T) {
	t.Parallel()
	c := &clock{now: time.Unix(1_700_000_000, 0)}
	m := &ratelimit.Memory{Now: c.Now, MaxKeys: 10}
	limit := ratelimit.Limit{Rate: 1, Burst: 1}
	ctx := context.Background()
	for i := range 100 {
		if _, err := m.Allow(ctx, fmt.Sprint(i), limit); err != nil {
			t.Fatal(err)
		}
		if m.Keys() > 10 {
			t.Fatalf("%d keys held after %d, want at most 10", m.Keys(), i+1)
		}
	}
	// Once refilled, buckets go first and the newcomer keeps its place.
	c.now = c.now.Add(time.Minute)
	if _, err := m.Allow(ctx, "new", limit); err != nil {
		t.Fatal(err)
	}
	if m.Keys() != 1 {
		t.Fatalf("%d keys held, want only the new one after refilled buckets went", m.Keys())
	}
}
