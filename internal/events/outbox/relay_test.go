package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/outbox"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// memOutbox is an in-memory outbox whose deletes can be made to fail.
type memOutbox struct {
	mu        sync.Mutex
	evs       []events.Event
	deleteErr error
}

func (o *memOutbox) PendingEvents(_ context.Context, limit int) ([]events.Event, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.evs[:min(limit, len(o.evs))]), nil
}

func (o *memOutbox) DeleteEvents(_ context.Context, ids []string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.deleteErr != nil {
		return o.deleteErr
	}
	o.evs = slices.DeleteFunc(o.evs, func(ev events.Event) bool { return slices.Contains(ids, ev.ID) })
	return nil
}

func (o *memOutbox) add(ids ...string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, id := range ids {
		o.evs = append(o.evs, events.Event{
			ID: id, Topic: "test.events", Key: "k", Type: "test.happened",
			Time: time.Unix(100, 0).Add(time.Duration(len(o.evs)) * time.Second), Payload: []byte(`{}`),
		})
	}
}

func (o *memOutbox) addN(n int) {
	for i := range n {
		o.add(eventID(i))
	}
}

func (o *memOutbox) setDeleteErr(err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.deleteErr = err
}

func (o *memOutbox) len() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.evs)
}

func eventID(i int) string { return fmt.Sprintf("ev-%03d", i) }

func wantIDs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = eventID(i)
	}
	return out
}

// memBus records published events, dropping repeated ids as a bus must,
// and can be made to fail.
type memBus struct {
	mu    sync.Mutex
	ids   []string
	calls int
	fail  error
}

func (b *memBus) Publish(_ context.Context, evs ...events.Event) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.calls++
	if b.fail != nil {
		return b.fail
	}
	for _, ev := range evs {
		if err := ev.Validate(); err != nil {
			return err
		}
		if !slices.Contains(b.ids, ev.ID) {
			b.ids = append(b.ids, ev.ID)
		}
	}
	return nil
}

func (b *memBus) setFail(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.fail = err
}

func (b *memBus) published() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.ids)
}

func (b *memBus) publishes() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.calls
}

func TestFlush(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		pending    int
		batch      int // 0: the default
		publishErr error
		deleteErr  error
		wantSent   int
		wantLeft   int
		wantCalls  int
		wantErr    bool
	}{
		{"empty", 0, 0, nil, nil, 0, 0, 0, false},
		{"one batch", 7, 10, nil, nil, 7, 0, 1, false},
		{"exact batches", 20, 10, nil, nil, 20, 0, 2, false},
		{"several batches", 25, 10, nil, nil, 25, 0, 3, false},
		{"several default batches", outbox.DefaultBatchSize*2 + 5, 0, nil, nil, outbox.DefaultBatchSize*2 + 5, 0, 3, false},
		{"bus down keeps events", 3, 0, errors.New("bus down"), nil, 0, 3, 1, true},
		{"trim failure keeps events", 3, 0, nil, errors.New("disk full"), 0, 3, 1, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := &memOutbox{deleteErr: tc.deleteErr}
			out.addN(tc.pending)
			bus := &memBus{fail: tc.publishErr}
			sent, err := outbox.New(out, bus, outbox.Options{BatchSize: tc.batch, Logger: quiet}).Flush(context.Background())
			if (err != nil) != tc.wantErr || sent != tc.wantSent || out.len() != tc.wantLeft || bus.publishes() != tc.wantCalls {
				t.Fatalf("sent %d, left %d, %d publishes, err %v; want %d, %d, %d, error %v",
					sent, out.len(), bus.publishes(), err, tc.wantSent, tc.wantLeft, tc.wantCalls, tc.wantErr)
			}
			if tc.wantSent > 0 && !slices.Equal(bus.published(), wantIDs(tc.pending)) {
				t.Fatalf("published %v, want the outbox's order", bus.published())
			}
		})
	}
}

func TestFlushRecovers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("bus back up publishes what waited", func(t *testing.T) {
		t.Parallel()
		out, bus := &memOutbox{}, &memBus{fail: errors.New("bus down")}
		out.addN(3)
		r := outbox.New(out, bus, outbox.Options{Logger: quiet})
		if _, err := r.Flush(ctx); err == nil {
			t.Fatal("no error from a failing bus")
		}
		bus.setFail(nil)
		if sent, err := r.Flush(ctx); err != nil || sent != 3 || out.len() != 0 {
			t.Fatalf("retry: sent %d err %v left %d", sent, err, out.len())
		}
	})

	t.Run("crash between publish and delete republishes once", func(t *testing.T) {
		t.Parallel()
		out, bus := &memOutbox{deleteErr: errors.New("disk full")}, &memBus{}
		out.addN(4)
		r := outbox.New(out, bus, outbox.Options{Logger: quiet})
		if _, err := r.Flush(ctx); err == nil {
			t.Fatal("no error from a failing delete")
		}
		out.setDeleteErr(nil)
		if _, err := r.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if bus.publishes() != 2 || !slices.Equal(bus.published(), wantIDs(4)) || out.len() != 0 {
			t.Fatalf("%d publishes, log %v, %d left", bus.publishes(), bus.published(), out.len())
		}
	})
}

func TestRunPublishesOnWakeAndRetries(t *testing.T) {
	t.Parallel()
	out := &memOutbox{}
	out.add("left-from-before")
	bus := &memBus{}
	r := outbox.New(out, bus, outbox.Options{Interval: 20 * time.Millisecond, Logger: quiet})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()

	waitFor(t, "startup flush", func() bool { return slices.Contains(bus.published(), "left-from-before") })

	out.add("new")
	r.Wake()
	waitFor(t, "woken flush", func() bool { return slices.Contains(bus.published(), "new") })

	bus.setFail(errors.New("bus down"))
	out.add("during-outage")
	r.Wake()
	time.Sleep(50 * time.Millisecond)
	if out.len() != 1 {
		t.Fatalf("event lost during outage: %d left", out.len())
	}
	bus.setFail(nil)
	waitFor(t, "retry after outage", func() bool { return out.len() == 0 })

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop with its context")
	}
}

func TestRunWakesBeforeInterval(t *testing.T) {
	t.Parallel()
	out, bus := &memOutbox{}, &memBus{}
	// An hour-long interval: only Wake can make the relay publish in time.
	r := outbox.New(out, bus, outbox.Options{Interval: time.Hour, Logger: quiet})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = r.Run(ctx) }()

	out.addN(2)
	r.Wake()
	waitFor(t, "woken flush", func() bool { return len(bus.published()) == 2 })
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// countingOutbox is a memOutbox that can count what waits (outbox.Counter).
type countingOutbox struct{ memOutbox }

func (o *countingOutbox) PendingCount(context.Context) (int, error) { return o.len(), nil }

// TestBacklogGauge checks cinegraph_outbox_backlog: what a failed publish
// left waiting (one batch, or all of it when the store can count), and
// nothing once the relay caught up.
func TestBacklogGauge(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		counting bool
		pending  int
		batch    int
		failing  bool
		want     float64
	}{
		{"caught up", false, 25, 10, false, 0},
		{"bus down: one batch known to wait", false, 25, 10, true, 10},
		{"bus down: the store counts", true, 25, 10, true, 25},
		{"empty", false, 0, 10, false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var store outbox.Store
			if tc.counting {
				o := &countingOutbox{}
				o.addN(tc.pending)
				store = o
			} else {
				o := &memOutbox{}
				o.addN(tc.pending)
				store = o
			}
			bus := &memBus{}
			if tc.failing {
				bus.fail = errors.New("bus down")
			}
			name := "backlog-" + tc.name
			_, _ = outbox.New(store, bus, outbox.Options{Name: name, BatchSize: tc.batch, Logger: quiet}).Flush(context.Background())
			var m dto.Metric
			if err := events.OutboxBacklog(name).Write(&m); err != nil {
				t.Fatal(err)
			}
			if got := m.GetGauge().GetValue(); got != tc.want {
				t.Fatalf("backlog %v, want %v", got, tc.want)
			}
		})
	}
}
