// Package bustest is the contract every events.Bus passes: order per key,
// redelivery after a failed handler, resuming after a restart without
// duplicates, one delivery of a retried publish, Listen seeing only new
// events, and rejecting invalid batches. The embedded bus and the Kafka bus
// both run it.
package bustest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
)

// Timing of the suite: how long a consumer may take to receive what it
// waits for, and how long it is watched afterwards for extra deliveries.
const (
	Wait  = 30 * time.Second
	Quiet = 1500 * time.Millisecond
)

// Open returns a bus on a fresh log no other test uses, and reopen, which
// returns another bus on the same log, as a restarted process would.
type Open func(t *testing.T) (bus events.Bus, reopen func(t *testing.T) events.Bus)

// Run runs the contract against buses from open.
func Run(t *testing.T, open Open) {
	t.Helper()
	t.Run("OrderPerKey", func(t *testing.T) { t.Parallel(); orderPerKey(t, open) })
	t.Run("RedeliveryAfterFailedHandler", func(t *testing.T) { t.Parallel(); redelivery(t, open) })
	t.Run("ResumeAfterRestart", func(t *testing.T) { t.Parallel(); resume(t, open) })
	t.Run("RetriedPublishDeliveredOnce", func(t *testing.T) { t.Parallel(); retriedPublish(t, open) })
	t.Run("ListenSeesOnlyNewEvents", func(t *testing.T) { t.Parallel(); listen(t, open) })
	t.Run("PublishRejectsInvalid", func(t *testing.T) { t.Parallel(); rejectsInvalid(t, open) })
	t.Run("HeadersRoundTrip", func(t *testing.T) { t.Parallel(); headersRoundTrip(t, open) })
}

// Event builds a test event with id key-n.
func Event(t *testing.T, topic, key string, n int) events.Event {
	t.Helper()
	ev, err := events.New(topic, key, "test.happened", fmt.Sprintf("%s-%d", key, n), time.Unix(int64(n), 0), map[string]int{"n": n})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// Collect consumes topic as group until want events arrived, then watches
// for Quiet more so that extra deliveries show up too.
func Collect(t *testing.T, b events.Bus, topic, group string, want int) []events.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Wait)
	defer cancel()
	var mu sync.Mutex
	var got []events.Event
	err := b.Consume(ctx, topic, group, func(_ context.Context, ev events.Event) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, ev)
		if len(got) == want {
			time.AfterFunc(Quiet, cancel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	return slices.Clone(got)
}

func ids(evs []events.Event) []string {
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = ev.ID
	}
	return out
}

func publish(t *testing.T, b events.Bus, evs ...events.Event) {
	t.Helper()
	if err := b.Publish(context.Background(), evs...); err != nil {
		t.Fatal(err)
	}
}

func orderPerKey(t *testing.T, open Open) {
	b, _ := open(t)
	keys := []string{"room-a", "room-b", "room-c", "room-d"}
	const perKey = 15
	var sent []events.Event
	// Interleaved keys, over several publishes of several events each.
	for n := 1; n <= perKey; n += 3 {
		var batch []events.Event
		for i := n; i < n+3; i++ {
			for _, k := range keys {
				batch = append(batch, Event(t, events.TopicChatMessages, k, i))
			}
		}
		publish(t, b, batch...)
		sent = append(sent, batch...)
	}
	got := Collect(t, b, events.TopicChatMessages, "order", len(sent))
	if len(got) != len(sent) {
		t.Fatalf("got %d events, want %d: %v", len(got), len(sent), ids(got))
	}
	next := map[string]int{}
	for _, ev := range got {
		next[ev.Key]++
		if want := fmt.Sprintf("%s-%d", ev.Key, next[ev.Key]); ev.ID != want {
			t.Fatalf("key %s: got %s, want %s (order per key broken): %v", ev.Key, ev.ID, want, ids(got))
		}
		if ev.Topic != events.TopicChatMessages || ev.Type != "test.happened" || string(ev.Payload) != fmt.Sprintf(`{"n":%d}`, next[ev.Key]) ||
			!ev.Time.Equal(time.Unix(int64(next[ev.Key]), 0)) {
			t.Fatalf("event %s lost fields: %+v", ev.ID, ev)
		}
	}
}

func redelivery(t *testing.T, open Open) {
	b, _ := open(t)
	publish(t, b, Event(t, events.TopicVideoEvents, "k", 1), Event(t, events.TopicVideoEvents, "k", 2))
	boom := errors.New("boom")
	ctx, cancel := context.WithTimeout(context.Background(), Wait)
	defer cancel()
	var delivered []string
	err := b.Consume(ctx, events.TopicVideoEvents, "g", func(_ context.Context, ev events.Event) error {
		delivered = append(delivered, ev.ID)
		if ev.ID == "k-2" {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Consume returned %v, want the handler's error", err)
	}
	if !slices.Equal(delivered, []string{"k-1", "k-2"}) {
		t.Fatalf("first run delivered %v", delivered)
	}
	got := Collect(t, b, events.TopicVideoEvents, "g", 1)
	if !slices.Equal(ids(got), []string{"k-2"}) {
		t.Fatalf("redelivery got %v, want only the failed k-2", ids(got))
	}
}

func resume(t *testing.T, open Open) {
	b, reopen := open(t)
	for n := 1; n <= 3; n++ {
		publish(t, b, Event(t, events.TopicChatMessages, "room-1", n))
	}
	if got := Collect(t, b, events.TopicChatMessages, "g1", 3); !slices.Equal(ids(got), []string{"room-1-1", "room-1-2", "room-1-3"}) {
		t.Fatalf("first run got %v", ids(got))
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	// After a restart the group resumes after its last commit.
	b = reopen(t)
	publish(t, b, Event(t, events.TopicChatMessages, "room-1", 4))
	if got := Collect(t, b, events.TopicChatMessages, "g1", 1); !slices.Equal(ids(got), []string{"room-1-4"}) {
		t.Fatalf("after restart got %v, want only room-1-4", ids(got))
	}
	// A new group starts from the beginning.
	if got := Collect(t, b, events.TopicChatMessages, "g2", 4); len(got) != 4 {
		t.Fatalf("new group got %v", ids(got))
	}
}

func retriedPublish(t *testing.T, open Open) {
	b, _ := open(t)
	publish(t, b, Event(t, events.TopicInsights, "x", 1), Event(t, events.TopicInsights, "x", 2))
	// The same id again, as a publisher retrying after a timeout would.
	publish(t, b, Event(t, events.TopicInsights, "x", 2), Event(t, events.TopicInsights, "x", 3))
	got := Collect(t, b, events.TopicInsights, "g", 3)
	if !slices.Equal(ids(got), []string{"x-1", "x-2", "x-3"}) {
		t.Fatalf("got %v, want each id once", ids(got))
	}
}

func listen(t *testing.T, open Open) {
	b, _ := open(t)
	publish(t, b, Event(t, events.TopicCatalogChanges, "old", 1))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, err := b.Listen(ctx, events.TopicCatalogChanges)
	if err != nil {
		t.Fatal(err)
	}
	publish(t, b, Event(t, events.TopicCatalogChanges, "new", 1), Event(t, events.TopicVideoEvents, "x", 1))
	select {
	case ev := <-ch:
		if ev.ID != "new-1" || ev.Topic != events.TopicCatalogChanges {
			t.Fatalf("got %+v, want new-1", ev)
		}
	case <-time.After(Wait):
		t.Fatal("no event")
	}
	select {
	case ev := <-ch:
		t.Fatalf("unexpected %+v", ev)
	case <-time.After(Quiet):
	}
	cancel()
	for range ch {
	}
}

func rejectsInvalid(t *testing.T, open Open) {
	b, _ := open(t)
	good := Event(t, events.TopicVideoEvents, "k", 1)
	bad := good
	bad.ID = ""
	if err := b.Publish(context.Background(), good, bad); err == nil {
		t.Fatal("a batch with an invalid event was accepted")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	n := 0
	if err := b.Consume(ctx, events.TopicVideoEvents, "g", func(context.Context, events.Event) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("a rejected batch stored %d events", n)
	}
}

// headersRoundTrip publishes events with and without trace headers: both
// a consumer and a listener get each event's headers back as published,
// and none for an event published without.
func headersRoundTrip(t *testing.T, open Open) {
	b, _ := open(t)
	ctx, cancel := context.WithTimeout(context.Background(), Wait)
	defer cancel()
	live, err := b.Listen(ctx, events.TopicInsights)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{
		"plain-1": nil,
		"traced-2": {
			events.HeaderTraceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
			events.HeaderTracestate:  "congo=t61rcWkgMzE",
			events.HeaderBaggage:     "userId=alice",
		},
	}
	plain, traced := Event(t, events.TopicInsights, "plain", 1), Event(t, events.TopicInsights, "traced", 2)
	traced.Headers = want[traced.ID]
	publish(t, b, plain, traced)
	check := func(how string, ev events.Event) {
		t.Helper()
		w, ok := want[ev.ID]
		if !ok {
			t.Fatalf("%s an unexpected event %s", how, ev.ID)
		}
		if len(ev.Headers) != len(w) || (w == nil && ev.Headers != nil) {
			t.Fatalf("%s %s with headers %v, want %v", how, ev.ID, ev.Headers, w)
		}
		for k, v := range w {
			if ev.Headers[k] != v {
				t.Fatalf("%s %s with headers %v, want %v", how, ev.ID, ev.Headers, w)
			}
		}
	}
	for _, ev := range Collect(t, b, events.TopicInsights, "headers", len(want)) {
		check("consumed", ev)
	}
	for range want {
		select {
		case ev := <-live:
			check("listened", ev)
		case <-ctx.Done():
			t.Fatal("the listener missed events")
		}
	}
}
