package relay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/embedded"
	"github.com/cinegraph/cinegraph/subgraphs/video/service"
	"github.com/cinegraph/cinegraph/subgraphs/video/store/sqlitestore"
	"github.com/cinegraph/cinegraph/subgraphs/video/store/storetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// memOutbox is an in-memory outbox whose deletes can be made to fail.
type memOutbox struct {
	mu        sync.Mutex
	events    []service.OutboxEvent
	failPurge error
}

func (m *memOutbox) add(n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for range n {
		i := len(m.events)
		m.events = append(m.events, service.OutboxEvent{
			ID: fmt.Sprintf("ev-%03d", i), Topic: events.TopicVideoEvents, Key: "v-1", Type: service.EventProgressReported,
			Time: storetest.At.Add(time.Duration(i) * time.Second), Payload: []byte(fmt.Sprintf(`{"n":%d}`, i)),
		})
	}
}

func (m *memOutbox) PendingEvents(_ context.Context, limit int) ([]service.OutboxEvent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]service.OutboxEvent(nil), m.events[:min(limit, len(m.events))]...), nil
}

func (m *memOutbox) DeleteEvents(_ context.Context, ids []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failPurge != nil {
		return m.failPurge
	}
	drop := map[string]bool{}
	for _, id := range ids {
		drop[id] = true
	}
	kept := m.events[:0]
	for _, ev := range m.events {
		if !drop[ev.ID] {
			kept = append(kept, ev)
		}
	}
	m.events = kept
	return nil
}

func (m *memOutbox) len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.events)
}

// memBus records published events, dropping repeated ids as a bus must,
// and can be made to fail.
type memBus struct {
	mu    sync.Mutex
	seen  map[string]bool
	log   []events.Event
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
	if b.seen == nil {
		b.seen = map[string]bool{}
	}
	for _, ev := range evs {
		if err := ev.Validate(); err != nil {
			return err
		}
		if !b.seen[ev.ID] {
			b.seen[ev.ID] = true
			b.log = append(b.log, ev)
		}
	}
	return nil
}

func (b *memBus) ids() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]string, len(b.log))
	for i, ev := range b.log {
		out[i] = ev.ID
	}
	return out
}

func wantIDs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("ev-%03d", i)
	}
	return out
}

func TestFlush(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		pending   int
		batch     int
		wantCalls int
	}{
		{"nothing pending", 0, 10, 0},
		{"one batch", 7, 10, 1},
		{"exact batches", 20, 10, 2},
		{"several batches", 25, 10, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, bus := &memOutbox{}, &memBus{}
			out.add(tc.pending)
			r := New(out, bus, Options{BatchSize: tc.batch, Logger: quiet})
			sent, err := r.Flush(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if sent != tc.pending || out.len() != 0 || bus.calls != tc.wantCalls {
				t.Fatalf("sent %d, left %d, %d publishes; want %d, 0, %d", sent, out.len(), bus.calls, tc.pending, tc.wantCalls)
			}
			if got := bus.ids(); tc.pending > 0 && !reflect.DeepEqual(got, wantIDs(tc.pending)) {
				t.Fatalf("published %v", got)
			}
		})
	}
}

func TestFlushFailures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("bus down keeps events", func(t *testing.T) {
		t.Parallel()
		out, bus := &memOutbox{}, &memBus{fail: errors.New("bus down")}
		out.add(3)
		r := New(out, bus, Options{Logger: quiet})
		if _, err := r.Flush(ctx); err == nil {
			t.Fatal("no error from a failing bus")
		}
		if out.len() != 3 {
			t.Fatalf("%d events left, want 3", out.len())
		}
		bus.fail = nil
		if sent, err := r.Flush(ctx); err != nil || sent != 3 || out.len() != 0 {
			t.Fatalf("retry: sent %d err %v left %d", sent, err, out.len())
		}
	})

	t.Run("crash between publish and delete republishes once", func(t *testing.T) {
		t.Parallel()
		out, bus := &memOutbox{failPurge: errors.New("disk full")}, &memBus{}
		out.add(4)
		r := New(out, bus, Options{Logger: quiet})
		if _, err := r.Flush(ctx); err == nil {
			t.Fatal("no error from a failing delete")
		}
		out.failPurge = nil
		if _, err := r.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if bus.calls != 2 || !reflect.DeepEqual(bus.ids(), wantIDs(4)) || out.len() != 0 {
			t.Fatalf("%d publishes, log %v, %d left", bus.calls, bus.ids(), out.len())
		}
	})
}

func TestRunWakesOnNotifyAndStops(t *testing.T) {
	t.Parallel()
	out, bus := &memOutbox{}, &memBus{}
	// An hour-long interval: only Notify can make the relay publish in time.
	r := New(out, bus, Options{Interval: time.Hour, Logger: quiet})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()

	out.add(2)
	r.Wake()
	waitFor(t, func() bool { return len(bus.ids()) == 2 })

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop after cancel")
	}
}

func TestRunRetriesAfterFailure(t *testing.T) {
	t.Parallel()
	out := &memOutbox{}
	bus := &flakyBus{memBus: &memBus{}, failures: 2}
	out.add(3)
	r := New(out, bus, Options{Interval: 10 * time.Millisecond, Logger: quiet})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = r.Run(ctx) }()
	waitFor(t, func() bool { return out.len() == 0 })
	if got := bus.ids(); !reflect.DeepEqual(got, wantIDs(3)) {
		t.Fatalf("published %v", got)
	}
}

// flakyBus fails its first publishes.
type flakyBus struct {
	*memBus
	mu       sync.Mutex
	failures int
}

func (b *flakyBus) Publish(ctx context.Context, evs ...events.Event) error {
	b.mu.Lock()
	if b.failures > 0 {
		b.failures--
		b.mu.Unlock()
		return errors.New("transient")
	}
	b.mu.Unlock()
	return b.memBus.Publish(ctx, evs...)
}

// TestRestartDeliversPendingOutbox writes progress while no relay runs (the
// process died after the commit), reopens the store and checks that a new
// relay delivers every event to the embedded bus exactly once.
func TestRestartDeliversPendingOutbox(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	store, err := sqlitestore.OpenDir(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Seed(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	svc := service.New(store)
	sess, err := svc.StartPlayback(ctx, storetest.Watcher, storetest.MovieFeature)
	if err != nil {
		t.Fatal(err)
	}
	for _, pos := range []int{1100, 1200, 1300} {
		if _, err := svc.ReportProgress(ctx, storetest.Watcher, sess.ID, pos); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}

	store, err = sqlitestore.OpenDir(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	bus, err := embedded.Open(ctx, filepath.Join(dir, "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Close()

	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go func() { _ = New(store, bus, Options{Interval: time.Hour, Logger: quiet}).Run(runCtx) }()

	got := consume(t, bus, 3)
	for i, want := range []int{1100, 1200, 1300} {
		if got[i].Key != storetest.MovieFeature || payloadPosition(got[i].Payload) != want {
			t.Fatalf("event %d: key %s payload %s", i, got[i].Key, got[i].Payload)
		}
	}
	waitFor(t, func() bool {
		pending, err := store.PendingEvents(ctx, 10)
		return err == nil && len(pending) == 0
	})
}

func payloadPosition(payload []byte) int {
	var p service.ProgressPayload
	if err := json.Unmarshal(payload, &p); err != nil {
		return -1
	}
	return p.PositionSeconds
}

// consume reads n events of the video topic from the start of the log.
func consume(t *testing.T, bus events.Bus, n int) []events.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var got []events.Event
	errDone := errors.New("done")
	err := bus.Consume(ctx, events.TopicVideoEvents, "relay-test", func(_ context.Context, ev events.Event) error {
		got = append(got, ev)
		if len(got) == n {
			return errDone
		}
		return nil
	})
	if !errors.Is(err, errDone) {
		t.Fatalf("consumed %d of %d events: %v", len(got), n, err)
	}
	return got
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in time")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
