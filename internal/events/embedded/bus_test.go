package embedded

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
)

func openBus(t *testing.T, path string) *Bus {
	t.Helper()
	b, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func event(t *testing.T, topic, key string, n int) events.Event {
	t.Helper()
	ev, err := events.New(topic, key, "test.happened", fmt.Sprintf("%s-%d", key, n), time.Unix(int64(n), 0), map[string]int{"n": n})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// collect consumes until want events arrived or the deadline passes.
func collect(t *testing.T, b *Bus, topic, group string, want int) []events.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var mu sync.Mutex
	var got []events.Event
	err := b.Consume(ctx, topic, group, func(_ context.Context, ev events.Event) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, ev)
		if len(got) == want {
			cancel()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestPublishConsumeResume(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "events.db")
	b := openBus(t, path)
	for n := 1; n <= 3; n++ {
		if err := b.Publish(context.Background(), event(t, "chat.messages", "room-1", n)); err != nil {
			t.Fatal(err)
		}
	}
	// Retried publish of the same id is stored once.
	if err := b.Publish(context.Background(), event(t, "chat.messages", "room-1", 2)); err != nil {
		t.Fatal(err)
	}
	if err := b.Publish(context.Background(), event(t, "video.events", "v-1", 1)); err != nil {
		t.Fatal(err)
	}
	got := collect(t, b, "chat.messages", "g1", 3)
	for i, ev := range got {
		if want := fmt.Sprintf("room-1-%d", i+1); ev.ID != want {
			t.Fatalf("event %d is %s, want %s", i, ev.ID, want)
		}
	}
	_ = b.Close()

	// After a restart the group resumes after its last commit.
	b = openBus(t, path)
	defer b.Close()
	if err := b.Publish(context.Background(), event(t, "chat.messages", "room-1", 4)); err != nil {
		t.Fatal(err)
	}
	got = collect(t, b, "chat.messages", "g1", 1)
	if len(got) != 1 || got[0].ID != "room-1-4" {
		t.Fatalf("after restart got %v", got)
	}
	// A new group starts from the beginning.
	if got := collect(t, b, "chat.messages", "g2", 4); len(got) != 4 {
		t.Fatalf("new group got %d events", len(got))
	}
}

func TestFailedHandlerDoesNotCommit(t *testing.T) {
	t.Parallel()
	b := openBus(t, filepath.Join(t.TempDir(), "events.db"))
	defer b.Close()
	if err := b.Publish(context.Background(), event(t, "t", "k", 1), event(t, "t", "k", 2)); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := b.Consume(context.Background(), "t", "g", func(_ context.Context, ev events.Event) error {
		if ev.ID == "k-2" {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	got := collect(t, b, "t", "g", 1)
	if len(got) != 1 || got[0].ID != "k-2" {
		t.Fatalf("redelivery got %v", got)
	}
}

func TestListenSeesOnlyNewEvents(t *testing.T) {
	t.Parallel()
	b := openBus(t, filepath.Join(t.TempDir(), "events.db"))
	defer b.Close()
	if err := b.Publish(context.Background(), event(t, "t", "old", 1)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ch, err := b.Listen(ctx, "t")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Publish(context.Background(), event(t, "t", "new", 1), event(t, "other", "x", 1)); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-ch:
		if ev.ID != "new-1" || ev.Topic != "t" {
			t.Fatalf("got %+v", ev)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("no event")
	}
	cancel()
	for range ch {
	}
}

func TestPublishRejectsInvalid(t *testing.T) {
	t.Parallel()
	b := openBus(t, filepath.Join(t.TempDir(), "events.db"))
	defer b.Close()
	good := event(t, "t", "k", 1)
	bad := good
	bad.ID = ""
	if err := b.Publish(context.Background(), good, bad); err == nil {
		t.Fatal("want error")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	n := 0
	_ = b.Consume(ctx, "t", "g", func(context.Context, events.Event) error { n++; return nil })
	if n != 0 {
		t.Fatalf("a rejected batch stored %d events", n)
	}
}
