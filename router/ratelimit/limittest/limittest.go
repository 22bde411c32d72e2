// Package limittest is the contract every ratelimit.Limiter passes. It
// never asserts on wall time: limits refill slowly enough (one request an
// hour) that a test run cannot see a refill, and it counts decisions.
package limittest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/router/ratelimit"
)

// slow refills one request an hour.
var slow = ratelimit.Limit{Rate: 1.0 / 3600, Burst: 3}

// Run runs the contract against limiters newLimiter returns, a fresh one
// (with no keys) per subtest.
func Run(t *testing.T, newLimiter func(t *testing.T) ratelimit.Limiter) {
	t.Run("burst then refused", func(t *testing.T) {
		l := newLimiter(t)
		allowed := count(t, l, "a", slow, 10)
		if allowed != slow.Burst {
			t.Fatalf("allowed %d of 10, want the burst %d", allowed, slow.Burst)
		}
	})
	t.Run("refusal says when to retry", func(t *testing.T) {
		l := newLimiter(t)
		count(t, l, "a", slow, slow.Burst)
		d, err := l.Allow(context.Background(), "a", slow)
		if err != nil {
			t.Fatal(err)
		}
		if d.Allowed {
			t.Fatal("allowed past the burst")
		}
		// One request returns per interval (an hour); a test run takes
		// far less than the slack.
		if d.RetryAfter <= slow.Interval()-10*time.Minute || d.RetryAfter > slow.Interval() {
			t.Fatalf("RetryAfter %s, want about %s", d.RetryAfter, slow.Interval())
		}
	})
	t.Run("keys are independent", func(t *testing.T) {
		l := newLimiter(t)
		for i := range 4 {
			key := fmt.Sprintf("k%d", i)
			if got := count(t, l, key, slow, 5); got != slow.Burst {
				t.Fatalf("key %s allowed %d, want %d", key, got, slow.Burst)
			}
		}
	})
	t.Run("allowed decisions carry no wait", func(t *testing.T) {
		l := newLimiter(t)
		d, err := l.Allow(context.Background(), "a", slow)
		if err != nil {
			t.Fatal(err)
		}
		if !d.Allowed || d.RetryAfter != 0 {
			t.Fatalf("decision %+v, want allowed with no wait", d)
		}
	})
}

// count makes n requests for key and returns how many were allowed.
func count(t *testing.T, l ratelimit.Limiter, key string, limit ratelimit.Limit, n int) int {
	t.Helper()
	allowed := 0
	for range n {
		d, err := l.Allow(context.Background(), key, limit)
		if err != nil {
			t.Fatalf("Allow(%q): %v", key, err)
		}
		if d.Allowed {
			allowed++
		}
	}
	return allowed
}
