package rediscache_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cinegraph/cinegraph/internal/depguard"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/catalogstoretest"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/rediscache"
)

// TestGuardBypassesFailingRedis needs no Redis: the cache's client points
// at a closed port, so every Redis call fails.
func TestGuardBypassesFailingRedis(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	inner := newCounting(sqliteInner(t))
	must(t, inner.Replace(ctx, catalogstoretest.Fixture()))
	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { _ = dead.Close() })
	guard := depguard.New(rediscache.Dependency, depguard.Policy{ConsecutiveFailures: 2, OpenFor: time.Minute}, quiet())
	s := rediscache.New(inner, dead, rediscache.WithLogger(quiet()), rediscache.WithGuard(guard))
	t.Cleanup(func() { _ = s.Close() })

	for i, want := range []string{"closed", "open", "open"} {
		rctx := depguard.Collect(ctx)
		titles, err := s.TitlesByIDs(rctx, []string{"t1"})
		must(t, err)
		equal(t, "title from the store", titles["t1"].Name, "Beta")
		equal(t, "marks", depguard.Marks(rctx), []depguard.Mark{{Dependency: rediscache.Dependency, Fallback: rediscache.FallbackStore}})
		if got := guard.State().String(); got != want {
			t.Fatalf("read %d: breaker %s, want %s", i, got, want)
		}
	}
	r := guard.Report()
	// Two reads reached Redis and failed; the third was refused at once.
	if r.Failures != 2 || r.Refusals != 1 || r.Fallbacks[rediscache.FallbackStore] != 3 {
		t.Fatalf("report %+v", r)
	}
	equal(t, "store reads", len(inner.requested("TitlesByIDs")), 3)

	t.Run("a cancelled read counts for nothing", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.TitlesByIDs(cctx, []string{"t1"}); err == nil {
			t.Fatal("a cancelled read succeeded")
		}
		if after := guard.Report(); after.Failures != r.Failures || after.Refusals != r.Refusals || after.NotCounted != r.NotCounted+1 {
			t.Fatalf("report %+v after %+v", after, r)
		}
	})
}
