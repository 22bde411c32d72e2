package chat_test

// The chat store behind the shared outbox relay: a message and its event
// commit together, and the event reaches the bus once, whatever crashed.

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/embedded"
	"github.com/cinegraph/cinegraph/internal/events/outbox"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
	"github.com/cinegraph/cinegraph/subgraphs/chat/store/chatsqlite"
)

func openOutboxStore(t *testing.T, path string) *chatsqlite.Store {
	t.Helper()
	s, err := chatsqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func openOutboxBus(t *testing.T, dir string) *embedded.Bus {
	t.Helper()
	b, err := embedded.Open(context.Background(), filepath.Join(dir, "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func seedRooms(t *testing.T, s chatservice.Store) {
	t.Helper()
	rooms := []chatservice.Room{{ID: "room-t1", TitleID: "t1", TitleName: "One"}}
	if err := s.ReplaceAll(context.Background(), rooms, nil); err != nil {
		t.Fatal(err)
	}
}

// published reads every chat.messages event in the bus, from the start,
// until want distinct ids arrived, then a little longer to catch duplicates.
func publishedChat(t *testing.T, bus events.Bus, group string, want int) []events.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var mu sync.Mutex
	var got []events.Event
	seen := map[string]bool{}
	settle := time.AfterFunc(time.Hour, cancel)
	_ = bus.Consume(ctx, events.TopicChatMessages, group, func(_ context.Context, ev events.Event) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, ev)
		seen[ev.ID] = true
		if len(seen) >= want {
			settle.Reset(300 * time.Millisecond)
		}
		return nil
	})
	mu.Lock()
	defer mu.Unlock()
	return got
}

func TestUnrelayedMessagePublishedAfterRestartExactlyOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, chatsqlite.FileName)

	// First run: the message and its event are committed, then the process
	// "crashes" before any relay ran.
	store := openOutboxStore(t, path)
	seedRooms(t, store)
	msg, err := chatservice.New(store).PostMessage(ctx, "room-t1", "profile-2", "before the crash")
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}

	// Restart: the relay finds the event and publishes it.
	store = openOutboxStore(t, path)
	defer store.Close()
	bus := openOutboxBus(t, dir)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); outbox.New(store, bus, outbox.Options{}).Run(runCtx) }()

	got := publishedChat(t, bus, "check-1", 1)
	stop()
	<-done
	if len(got) != 1 || got[0].ID != msg.ID || got[0].Key != "room-t1" || got[0].Type != chatservice.EventMessagePosted {
		t.Fatalf("published %+v, want exactly the message's event", got)
	}
	var p chatservice.MessagePosted
	if err := json.Unmarshal(got[0].Payload, &p); err != nil {
		t.Fatal(err)
	}
	want := chatservice.MessagePosted{ID: msg.ID, RoomID: "room-t1", TitleID: "t1", AuthorID: "profile-2", Body: "before the crash", SentAt: msg.SentAt}
	if p.ID != want.ID || p.RoomID != want.RoomID || p.TitleID != want.TitleID || p.AuthorID != want.AuthorID || p.Body != want.Body || !p.SentAt.Equal(want.SentAt) {
		t.Fatalf("payload %+v, want %+v", p, want)
	}
	pending, err := store.PendingEvents(ctx, 10)
	if err != nil || len(pending) != 0 {
		t.Fatalf("outbox after relay = %d events, %v; want empty", len(pending), err)
	}
}

// forgetfulOutbox loses its deletes, as a crash right after publishing would.
type forgetfulOutbox struct{ outbox.Store }

func (forgetfulOutbox) DeleteEvents(context.Context, []string) error {
	return errors.New("crashed before trimming the outbox")
}

func TestRepublishedEventStoredOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	store := openOutboxStore(t, filepath.Join(dir, chatsqlite.FileName))
	defer store.Close()
	seedRooms(t, store)
	bus := openOutboxBus(t, dir)
	svc := chatservice.New(store)
	var ids []string
	for _, body := range []string{"one", "two", "three"} {
		m, err := svc.PostMessage(ctx, "room-t1", "profile-1", body)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}

	// Published, but the outbox was not trimmed.
	if _, err := outbox.New(forgetfulOutbox{store}, bus, outbox.Options{}).Flush(ctx); err == nil {
		t.Fatal("Drain hid the failed trim")
	}
	if pending, _ := store.PendingEvents(ctx, 10); len(pending) != 3 {
		t.Fatalf("outbox holds %d events, want 3 still pending", len(pending))
	}
	// The next run publishes them again and trims.
	n, err := outbox.New(store, bus, outbox.Options{}).Flush(ctx)
	if err != nil || n != 3 {
		t.Fatalf("Drain = %d, %v; want 3", n, err)
	}
	got := publishedChat(t, bus, "check-2", 3)
	if len(got) != 3 {
		t.Fatalf("bus holds %d events, want 3 (one per message)", len(got))
	}
	for i, ev := range got {
		if ev.ID != ids[i] {
			t.Fatalf("event %d is %s, want %s (posting order)", i, ev.ID, ids[i])
		}
	}
}

// failingBus refuses the first publishes.
type failingBus struct {
	events.Publisher
	mu       sync.Mutex
	failures int
}

func (b *failingBus) Publish(ctx context.Context, evs ...events.Event) error {
	b.mu.Lock()
	if b.failures > 0 {
		b.failures--
		b.mu.Unlock()
		return errors.New("bus unavailable")
	}
	b.mu.Unlock()
	return b.Publisher.Publish(ctx, evs...)
}

func TestFailedPublishKeepsEvent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	store := openOutboxStore(t, filepath.Join(dir, chatsqlite.FileName))
	defer store.Close()
	seedRooms(t, store)
	bus := openOutboxBus(t, dir)
	flaky := &failingBus{Publisher: bus, failures: 1}
	r := outbox.New(store, flaky, outbox.Options{})
	if _, err := chatservice.New(store, chatservice.WithNotify(r.Wake)).PostMessage(ctx, "room-t1", "profile-1", "retry me"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Flush(ctx); err == nil {
		t.Fatal("Drain hid the failed publish")
	}
	if pending, _ := store.PendingEvents(ctx, 10); len(pending) != 1 {
		t.Fatalf("failed publish dropped the event: %d pending", len(pending))
	}
	if n, err := r.Flush(ctx); err != nil || n != 1 {
		t.Fatalf("retry Drain = %d, %v", n, err)
	}
	if got := publishedChat(t, bus, "check-3", 1); len(got) != 1 {
		t.Fatalf("bus holds %d events, want 1", len(got))
	}
}

func TestDrainManyBatches(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	store := openOutboxStore(t, filepath.Join(dir, chatsqlite.FileName))
	defer store.Close()
	seedRooms(t, store)
	bus := openOutboxBus(t, dir)
	svc := chatservice.New(store)
	total := outbox.DefaultBatchSize*2 + 7
	for range total {
		if _, err := svc.PostMessage(ctx, "room-t1", "profile-1", "x"); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := outbox.New(store, bus, outbox.Options{}).Flush(ctx); err != nil || n != total {
		t.Fatalf("Drain = %d, %v; want %d", n, err, total)
	}
	if pending, _ := store.PendingEvents(ctx, 10); len(pending) != 0 {
		t.Fatalf("%d events left", len(pending))
	}
}
