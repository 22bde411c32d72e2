package hub

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/subgraphs/chat/service"
)

// fakeBus hands out listener channels the test feeds by hand.
type fakeBus struct {
	mu      sync.Mutex
	streams []chan events.Event
}

func (b *fakeBus) Publish(context.Context, ...events.Event) error { return nil }
func (b *fakeBus) Consume(context.Context, string, string, events.Handler) error {
	return errors.New("not used")
}
func (b *fakeBus) Close() error { return nil }
func (b *fakeBus) Listen(ctx context.Context, topic string) (<-chan events.Event, error) {
	if topic != events.TopicChatMessages {
		return nil, fmt.Errorf("unexpected topic %s", topic)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	in := make(chan events.Event, 16)
	out := make(chan events.Event)
	b.streams = append(b.streams, in)
	// Like the real buses: the stream closes when ctx is done, or when the
	// test closes its input to simulate a failed bus.
	go func() {
		defer close(out)
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-in:
				if !ok {
					return
				}
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}

func (b *fakeBus) listens() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.streams)
}

func (b *fakeBus) stream(i int) chan events.Event {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.streams[i]
}

func posted(t *testing.T, id, room string) events.Event {
	t.Helper()
	ev, err := service.PostedEvent(service.Message{ID: id, RoomID: room, AuthorID: "profile-1", Body: "b " + id, SentAt: time.Unix(100, 0)}, "t")
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func receive(t *testing.T, sub *Subscription) (service.Message, bool) {
	t.Helper()
	select {
	case m, ok := <-sub.C:
		return m, ok
	case <-time.After(5 * time.Second):
		t.Fatal("timed out waiting for the subscription")
		return service.Message{}, false
	}
}

func start(t *testing.T, buffer int) (*Hub, *fakeBus, context.CancelFunc, <-chan struct{}) {
	t.Helper()
	bus := &fakeBus{}
	h := New(buffer, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done, err := h.Start(ctx, bus)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); <-done })
	return h, bus, cancel, done
}

func TestRoutesByRoom(t *testing.T) {
	t.Parallel()
	h, bus, _, _ := start(t, 4)
	a1, a2, b := h.Subscribe("room-a"), h.Subscribe("room-a"), h.Subscribe("room-b")
	defer a1.Close()
	defer a2.Close()
	defer b.Close()
	in := bus.stream(0)
	in <- posted(t, "m1", "room-b")
	in <- events.Event{ID: "x", Type: "something.else", Payload: []byte(`{}`)}
	in <- events.Event{ID: "y", Type: service.EventMessagePosted, Payload: []byte(`not json`)}
	in <- posted(t, "m2", "room-a")

	for name, sub := range map[string]*Subscription{"a1": a1, "a2": a2} {
		if m, ok := receive(t, sub); !ok || m.ID != "m2" || m.Body != "b m2" {
			t.Fatalf("%s got %+v, %v; want m2", name, m, ok)
		}
	}
	if m, ok := receive(t, b); !ok || m.ID != "m1" {
		t.Fatalf("b got %+v, %v; want m1", m, ok)
	}
	if bus.listens() != 1 {
		t.Fatalf("%d listens, want one per hub", bus.listens())
	}
}

func TestSlowSubscriberDropped(t *testing.T) {
	t.Parallel()
	h, bus, _, _ := start(t, 2)
	slow, fast := h.Subscribe("room-a"), h.Subscribe("room-a")
	defer fast.Close()
	in := bus.stream(0)
	for i := range 5 {
		in <- posted(t, fmt.Sprintf("m%d", i), "room-a")
		// The fast one keeps up.
		if m, ok := receive(t, fast); !ok || m.ID != fmt.Sprintf("m%d", i) {
			t.Fatalf("fast got %+v, %v", m, ok)
		}
	}
	// The slow one got its buffer's worth, then was dropped.
	for i := range 2 {
		if m, ok := receive(t, slow); !ok || m.ID != fmt.Sprintf("m%d", i) {
			t.Fatalf("slow got %+v, %v at %d", m, ok, i)
		}
	}
	if _, ok := receive(t, slow); ok {
		t.Fatal("slow subscriber still open after falling behind")
	}
	if !errors.Is(slow.Err(), ErrTooSlow) {
		t.Fatalf("slow.Err() = %v, want ErrTooSlow", slow.Err())
	}
	if n := h.Subscribers("room-a"); n != 1 {
		t.Fatalf("%d subscribers left, want 1", n)
	}
}

func TestCloseUnsubscribes(t *testing.T) {
	t.Parallel()
	h, _, _, _ := start(t, 2)
	sub := h.Subscribe("room-a")
	sub.Close()
	sub.Close() // twice is fine
	if _, ok := receive(t, sub); ok {
		t.Fatal("closed subscription still delivers")
	}
	if sub.Err() != nil || h.Subscribers("room-a") != 0 {
		t.Fatalf("after Close: err %v, %d subscribers", sub.Err(), h.Subscribers("room-a"))
	}
}

func TestStopEndsSubscriptions(t *testing.T) {
	t.Parallel()
	h, _, cancel, done := start(t, 2)
	sub := h.Subscribe("room-a")
	cancel()
	<-done
	if _, ok := receive(t, sub); ok {
		t.Fatal("subscription open after stop")
	}
	if !errors.Is(sub.Err(), ErrStopped) {
		t.Fatalf("Err() = %v, want ErrStopped", sub.Err())
	}
	late := h.Subscribe("room-a")
	if _, ok := receive(t, late); ok || !errors.Is(late.Err(), ErrStopped) {
		t.Fatalf("subscribe after stop: open=%v err=%v", ok, late.Err())
	}
}

func TestListensAgainWhenStreamEnds(t *testing.T) {
	t.Parallel()
	h, bus, _, _ := start(t, 2)
	sub := h.Subscribe("room-a")
	defer sub.Close()
	close(bus.stream(0))
	deadline := time.Now().Add(5 * time.Second)
	for bus.listens() < 2 {
		if time.Now().After(deadline) {
			t.Fatal("hub did not listen again")
		}
		time.Sleep(10 * time.Millisecond)
	}
	bus.stream(1) <- posted(t, "m9", "room-a")
	if m, ok := receive(t, sub); !ok || m.ID != "m9" {
		t.Fatalf("after relisten got %+v, %v", m, ok)
	}
}

func TestStream(t *testing.T) {
	t.Parallel()
	h, bus, _, _ := start(t, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sub := h.Subscribe("room-a")
	ended := make(chan error, 1)
	out := sub.Stream(ctx, func(err error) { ended <- err })
	bus.stream(0) <- posted(t, "m1", "room-a")
	select {
	case m := <-out:
		if m == nil || m.ID != "m1" {
			t.Fatalf("stream got %+v", m)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("stream timed out")
	}
	// Not reading: the hub buffer (1) fills while the stream goroutine
	// blocks handing over the next message, and the subscriber is dropped.
	for i := range 4 {
		bus.stream(0) <- posted(t, fmt.Sprintf("n%d", i), "room-a")
	}
	waitDeadline := time.Now().Add(5 * time.Second)
	for h.Subscribers("room-a") != 0 {
		if time.Now().After(waitDeadline) {
			t.Fatal("lagging stream was not dropped")
		}
		time.Sleep(time.Millisecond)
	}
	deadline := time.After(5 * time.Second)
	for {
		select {
		case _, ok := <-out:
			if !ok {
				if err := <-ended; !errors.Is(err, ErrTooSlow) {
					t.Fatalf("ended with %v, want ErrTooSlow", err)
				}
				return
			}
		case <-deadline:
			t.Fatal("stream did not end after falling behind")
		}
	}
}
