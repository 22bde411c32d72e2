package relay_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/relay"
)

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
		o.evs = append(o.evs, events.Event{ID: id})
	}
}

func (o *memOutbox) len() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.evs)
}

type memBus struct {
	mu   sync.Mutex
	ids  []string
	fail error
}

func (b *memBus) Publish(_ context.Context, evs ...events.Event) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fail != nil {
		return b.fail
	}
	for _, ev := range evs {
		if !slices.Contains(b.ids, ev.ID) {
			b.ids = append(b.ids, ev.ID)
		}
	}
	return nil
}

func (b *memBus) published() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.ids)
}

func TestFlush(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		pending    int
		publishErr error
		deleteErr  error
		wantSent   int
		wantLeft   int
		wantErr    bool
	}{
		{"empty", 0, nil, nil, 0, 0, false},
		{"several batches", relay.DefaultBatch*2 + 5, nil, nil, relay.DefaultBatch*2 + 5, 0, false},
		{"bus down keeps events", 3, errors.New("bus down"), nil, 0, 3, true},
		{"trim failure keeps events", 3, nil, errors.New("disk full"), 0, 3, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := &memOutbox{deleteErr: tc.deleteErr}
			for i := range tc.pending {
				out.add(fmt.Sprintf("ev-%d", i))
			}
			bus := &memBus{fail: tc.publishErr}
			sent, err := relay.New(out, bus, nil, 0).Flush(context.Background())
			if (err != nil) != tc.wantErr || sent != tc.wantSent || out.len() != tc.wantLeft {
				t.Errorf("sent %d, left %d, err %v", sent, out.len(), err)
			}
		})
	}
}

func TestRunPublishesOnWakeAndRetries(t *testing.T) {
	t.Parallel()
	out := &memOutbox{}
	out.add("left-from-before")
	bus := &memBus{}
	r := relay.New(out, bus, nil, 20*time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()

	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitFor("startup flush", func() bool { return slices.Contains(bus.published(), "left-from-before") })

	out.add("new")
	r.Wake()
	waitFor("woken flush", func() bool { return slices.Contains(bus.published(), "new") })

	bus.mu.Lock()
	bus.fail = errors.New("bus down")
	bus.mu.Unlock()
	out.add("during-outage")
	r.Wake()
	time.Sleep(50 * time.Millisecond)
	if out.len() != 1 {
		t.Fatalf("event lost during outage: %d left", out.len())
	}
	bus.mu.Lock()
	bus.fail = nil
	bus.mu.Unlock()
	waitFor("retry after outage", func() bool { return out.len() == 0 })

	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop with its context")
	}
}
