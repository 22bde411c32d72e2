package memkv_test

import (
	"context"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/kv"
	"github.com/cinegraph/cinegraph/internal/kv/kvtest"
	"github.com/cinegraph/cinegraph/internal/kv/memkv"
)

func TestContract(t *testing.T) {
	t.Parallel()
	kvtest.Run(t, func(t *testing.T) kv.Store {
		s := memkv.New()
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}

func TestSweepDropsUnreadExpiredKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := memkv.New(memkv.WithClock(func() time.Time { return now }))
	for _, k := range []string{"a", "b", "c"} {
		if err := s.Set(ctx, k, []byte("v"), time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Set(ctx, "kept", []byte("v"), 0); err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Minute)
	// Any write past the sweep interval clears what nobody read again.
	if _, err := s.Incr(ctx, "n", 1, 0); err != nil {
		t.Fatal(err)
	}
	if got := s.Len(); got != 2 {
		t.Fatalf("live keys after sweep = %d, want 2 (kept, n)", got)
	}
}
