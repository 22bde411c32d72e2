package video

// The video store behind the shared outbox relay: progress and its event
// commit together, and the event reaches the bus after a restart.

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/embedded"
	"github.com/cinegraph/cinegraph/internal/events/outbox"
	"github.com/cinegraph/cinegraph/subgraphs/video/store/videosqlite"
	"github.com/cinegraph/cinegraph/subgraphs/video/store/videostoretest"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

// TestRestartDeliversPendingOutbox writes progress while no relay runs (the
// process died after the commit), reopens the store and checks that a new
// relay delivers every event to the embedded bus exactly once.
func TestRestartDeliversPendingOutbox(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	store, err := videosqlite.OpenDir(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Replace(ctx, videostoretest.Fixture()); err != nil {
		t.Fatal(err)
	}
	svc := videoservice.New(store)
	sess, err := svc.StartPlayback(ctx, videostoretest.Watcher, videostoretest.MovieFeature)
	if err != nil {
		t.Fatal(err)
	}
	for _, pos := range []int{1100, 1200, 1300} {
		if _, err := svc.ReportProgress(ctx, videostoretest.Watcher, sess.ID, pos); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}

	store, err = videosqlite.OpenDir(ctx, dir)
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
	go func() { _ = outbox.New(store, bus, outbox.Options{Interval: time.Hour, Logger: quiet}).Run(runCtx) }()

	got := consumeN(t, bus, 3)
	for i, want := range []int{1100, 1200, 1300} {
		if got[i].Key != videostoretest.MovieFeature || payloadPosition(got[i].Payload) != want {
			t.Fatalf("event %d: key %s payload %s", i, got[i].Key, got[i].Payload)
		}
	}
	waitFor(t, "the outbox to empty", func() bool {
		pending, err := store.PendingEvents(ctx, 10)
		return err == nil && len(pending) == 0
	})
}

func payloadPosition(payload []byte) int {
	var p videoservice.ProgressPayload
	if err := json.Unmarshal(payload, &p); err != nil {
		return -1
	}
	return p.PositionSeconds
}

// consumeN reads n events of the video topic from the start of the log.
func consumeN(t *testing.T, bus events.Bus, n int) []events.Event {
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
