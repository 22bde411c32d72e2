package workers_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/workers"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestStopCancelsWaitsThenCleansUp(t *testing.T) {
	t.Parallel()
	g := workers.New(context.Background(), quiet)
	var mu sync.Mutex
	var order []string
	note := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		order = append(order, s)
	}
	g.OnStop(func() error { note("store closed"); return nil })
	g.OnStop(func() error { note("index closed"); return nil })
	for _, name := range []string{"relay", "consumer"} {
		g.Go(name, func(ctx context.Context) error {
			<-ctx.Done()
			time.Sleep(10 * time.Millisecond) // finishing the event in hand
			note(name + " done")
			return ctx.Err()
		})
	}
	if err := g.Stop(); err != nil {
		t.Fatalf("Stop = %v, want nil for workers that stopped as asked", err)
	}
	if len(order) != 4 || !slices.Contains(order[:2], "relay done") || !slices.Contains(order[:2], "consumer done") ||
		order[2] != "index closed" || order[3] != "store closed" {
		t.Fatalf("order %v: want both workers done, then cleanups last registered first", order)
	}
}

func TestStopIsIdempotent(t *testing.T) {
	t.Parallel()
	g := workers.New(context.Background(), quiet)
	closes := 0
	g.OnStop(func() error { closes++; return errors.New("disk gone") })
	first, second := g.Stop(), g.Stop()
	if closes != 1 {
		t.Fatalf("cleanup ran %d times, want once", closes)
	}
	if first == nil || first != second {
		t.Fatalf("Stop = %v then %v, want the same error twice", first, second)
	}
}

func TestErrorsReported(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		work func(ctx context.Context) error
		want string // "" for none
	}{
		{"clean stop", func(ctx context.Context) error { <-ctx.Done(); return nil }, ""},
		{"context error on stop", func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }, ""},
		{"failure while running", func(context.Context) error { return errors.New("bus gone") }, "relay: bus gone"},
		{"failure on the way out", func(ctx context.Context) error { <-ctx.Done(); return errors.New("flush failed") }, "relay: flush failed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := workers.New(context.Background(), quiet)
			g.Go("relay", tc.work)
			err := g.Stop()
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("Stop = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestStart(t *testing.T) {
	t.Parallel()
	g := workers.New(context.Background(), quiet)
	ready := false
	err := g.Start("hub", func(ctx context.Context) (func() error, error) {
		ready = true // a listener registered before Start returns
		return func() error { <-ctx.Done(); return nil }, nil
	})
	if err != nil || !ready {
		t.Fatalf("Start = %v, setup ran %v", err, ready)
	}
	refused := errors.New("bus closed")
	if err := g.Start("other hub", func(context.Context) (func() error, error) { return nil, refused }); !errors.Is(err, refused) {
		t.Fatalf("Start = %v, want the setup's error", err)
	}
	if err := g.Stop(); err != nil {
		t.Fatal(err)
	}
}

func TestParentContextStopsWorkers(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	g := workers.New(ctx, quiet)
	done := make(chan struct{})
	g.Go("relay", func(ctx context.Context) error { <-ctx.Done(); close(done); return nil })
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("worker outlived its parent context")
	}
	g.Wait()
	if g.Context().Err() == nil {
		t.Fatal("workers' context still live after the parent's end")
	}
	_ = g.Stop()
}
