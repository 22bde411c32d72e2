package fanout

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
)

const (
	testTopic = "test.notes"
	testType  = "test.note.posted"
)

// note is what the test hubs deliver, keyed by room.
type note struct {
	ID   string `json:"id"`
	Room string `json:"room"`
}

func newHub(buffer int) *Hub[string, note] {
	return New(Config[string, note]{
		Name: "test hub", Topic: testTopic, Type: testType,
		Decode: JSON[note], Key: func(n note) string { return n.Room },
		Buffer: buffer,
	})
}

func posted(t *testing.T, id, room string) events.Event {
	t.Helper()
	ev, err := events.New(testTopic, room, testType, id, time.Unix(100, 0), note{ID: id, Room: room})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// fakeBus hands out listener channels the test feeds by hand.
type fakeBus struct {
	mu      sync.Mutex
	streams []chan events.Event
}

func (b *fakeBus) Listen(ctx context.Context, topic string) (<-chan events.Event, error) {
	if topic != testTopic {
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

func receive(t *testing.T, sub *Subscription[string, note]) (note, bool) {
	t.Helper()
	select {
	case n, ok := <-sub.C:
		return n.Value, ok
	case <-time.After(5 * time.Second):
		t.Fatal("timed out waiting for the subscription")
		return note{}, false
	}
}

// start runs a hub over a fake bus until the test ends or cancel.
func start(t *testing.T, buffer int) (*Hub[string, note], *fakeBus, context.CancelFunc, <-chan struct{}) {
	t.Helper()
	bus := &fakeBus{}
	h := newHub(buffer)
	ctx, cancel := context.WithCancel(context.Background())
	run, err := h.Listen(ctx, bus)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = run() }()
	t.Cleanup(func() { cancel(); <-done })
	return h, bus, cancel, done
}

func TestRoutesByKey(t *testing.T) {
	t.Parallel()
	h, bus, _, _ := start(t, 4)
	a1, a2, b := h.Subscribe("room-a"), h.Subscribe("room-a"), h.Subscribe("room-b")
	defer a1.Close()
	defer a2.Close()
	defer b.Close()
	in := bus.stream(0)
	in <- posted(t, "m1", "room-b")
	in <- events.Event{ID: "x", Type: "something.else", Payload: []byte(`{"id":"x","room":"room-a"}`)}
	in <- events.Event{ID: "y", Type: testType, Payload: []byte(`not json`)}
	in <- posted(t, "m2", "room-a")

	for name, sub := range map[string]*Subscription[string, note]{"a1": a1, "a2": a2} {
		if n, ok := receive(t, sub); !ok || n.ID != "m2" {
			t.Fatalf("%s got %+v, %v; want m2", name, n, ok)
		}
	}
	if n, ok := receive(t, b); !ok || n.ID != "m1" {
		t.Fatalf("b got %+v, %v; want m1", n, ok)
	}
	if bus.listens() != 1 {
		t.Fatalf("%d listens, want one per hub", bus.listens())
	}
}

func TestRoutesAndDrops(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		every  bool     // subscribe to every key instead of room-a
		rooms  []string // room of each event, notes m0, m1, ...
		buffer int
		want   []string
		err    error
	}{
		{"own key only", false, []string{"room-a", "room-b", "room-a"}, 4, []string{"m0", "m2"}, nil},
		{"every key", true, []string{"room-a", "room-b"}, 4, []string{"m0", "m1"}, nil},
		{"too slow", false, []string{"room-a", "room-a", "room-a"}, 2, []string{"m0", "m1"}, ErrTooSlow},
		{"too slow on every key", true, []string{"room-a", "room-b", "room-c"}, 2, []string{"m0", "m1"}, ErrTooSlow},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHub(tc.buffer)
			var sub *Subscription[string, note]
			if tc.every {
				sub = h.SubscribeAll()
			} else {
				sub = h.Subscribe("room-a")
			}
			for i, room := range tc.rooms {
				h.dispatch(posted(t, fmt.Sprintf("m%d", i), room))
			}
			// An event of another type is ignored.
			h.dispatch(events.Event{Type: "test.other", Payload: []byte(`{"room":"room-a"}`)})
			if tc.err == nil {
				sub.Close()
			}
			var got []string
			for n := range sub.C {
				got = append(got, n.Value.ID)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			if !errors.Is(sub.Err(), tc.err) {
				t.Fatalf("err = %v, want %v", sub.Err(), tc.err)
			}
			if n := h.Len(); n != 0 {
				t.Fatalf("%d subscribers left", n)
			}
		})
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
		if n, ok := receive(t, fast); !ok || n.ID != fmt.Sprintf("m%d", i) {
			t.Fatalf("fast got %+v, %v", n, ok)
		}
	}
	// The slow one got its buffer's worth, then was dropped.
	for i := range 2 {
		if n, ok := receive(t, slow); !ok || n.ID != fmt.Sprintf("m%d", i) {
			t.Fatalf("slow got %+v, %v at %d", n, ok, i)
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
	for name, sub := range map[string]*Subscription[string, note]{"one key": h.Subscribe("room-a"), "every key": h.SubscribeAll()} {
		sub.Close()
		sub.Close() // twice is fine
		if _, ok := receive(t, sub); ok {
			t.Fatalf("%s: closed subscription still delivers", name)
		}
		if sub.Err() != nil {
			t.Fatalf("%s: after Close err %v", name, sub.Err())
		}
	}
	if h.Subscribers("room-a") != 0 || h.Len() != 0 {
		t.Fatalf("after Close: %d subscribers to room-a, %d in all", h.Subscribers("room-a"), h.Len())
	}
}

func TestStopEndsSubscriptions(t *testing.T) {
	t.Parallel()
	h, _, cancel, done := start(t, 2)
	sub, every := h.Subscribe("room-a"), h.SubscribeAll()
	out := sub.Stream(context.Background(), nil)
	cancel()
	<-done
	if _, ok := <-out; ok {
		t.Fatal("stream delivered after stop")
	}
	for name, s := range map[string]*Subscription[string, note]{"one key": sub, "every key": every} {
		if _, ok := receive(t, s); ok {
			t.Fatalf("%s: subscription open after stop", name)
		}
		if !errors.Is(s.Err(), ErrStopped) {
			t.Fatalf("%s: Err() = %v, want ErrStopped", name, s.Err())
		}
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
	if n, ok := receive(t, sub); !ok || n.ID != "m9" {
		t.Fatalf("after relisten got %+v, %v", n, ok)
	}
}

func TestListenFails(t *testing.T) {
	t.Parallel()
	h := New(Config[string, note]{Name: "test hub", Topic: "other.topic", Type: testType, Decode: JSON[note], Key: func(n note) string { return n.Room }})
	if _, err := h.Listen(context.Background(), &fakeBus{}); err == nil {
		t.Fatal("Listen hid the bus's refusal")
	}
}

func TestStream(t *testing.T) {
	t.Parallel()
	h, bus, _, _ := start(t, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ctx, outcome := WithOutcome(ctx)
	sub := h.Subscribe("room-a")
	ended := make(chan error, 1)
	out := sub.Stream(ctx, func(err error) { ended <- err })
	bus.stream(0) <- posted(t, "m1", "room-a")
	select {
	case n := <-out:
		if n == nil || n.ID != "m1" {
			t.Fatalf("stream got %+v", n)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("stream timed out")
	}
	if outcome.Err() != nil {
		t.Fatalf("outcome %v before the stream ended", outcome.Err())
	}
	// Not reading: the hub buffer (1) fills while the stream goroutine
	// blocks handing over the next value, and the subscriber is dropped.
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
				if !errors.Is(outcome.Err(), ErrTooSlow) {
					t.Fatalf("outcome %v, want ErrTooSlow", outcome.Err())
				}
				return
			}
		case <-deadline:
			t.Fatal("stream did not end after falling behind")
		}
	}
}

func TestStreamEndedByClient(t *testing.T) {
	t.Parallel()
	h, _, _, _ := start(t, 1)
	ctx, cancel := context.WithCancel(context.Background())
	ctx, outcome := WithOutcome(ctx)
	sub := h.Subscribe("room-a")
	out := sub.Stream(ctx, func(err error) { t.Errorf("onEnd(%v) after the client left", err) })
	cancel()
	for range out {
	}
	deadline := time.Now().Add(5 * time.Second)
	for h.Subscribers("room-a") != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the stream's subscription outlived its client")
		}
		time.Sleep(time.Millisecond)
	}
	if outcome.Err() != nil {
		t.Fatalf("outcome %v, want none when the client left", outcome.Err())
	}
}
