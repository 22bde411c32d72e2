package video

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"

	"github.com/99designs/gqlgen/client"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/embedded"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

// seededViewing is the first seeded viewing of profile-1 that is in
// progress, so playback resumes there.
func seededViewing(t *testing.T) seed.Viewing {
	t.Helper()
	f := seed.Generate()
	dur := map[string]int{}
	for _, v := range f.Videos {
		dur[v.ID] = v.DurationSeconds
	}
	for _, v := range f.Viewing {
		if v.ProfileID == "profile-1" && v.PositionSeconds > 0 && v.PositionSeconds*100 < dur[v.VideoID]*95 {
			return v
		}
	}
	t.Fatal("seed has no in-progress viewing for profile-1")
	return seed.Viewing{}
}

// TestOpenEndToEnd runs the subgraph as the binary does: seeded on first
// start, progress published to the embedded bus by the relay, data kept
// across a restart, and reseeding restoring the fixture.
func TestOpenEndToEnd(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	bus, err := embedded.Open(ctx, filepath.Join(dir, "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Close()
	opts := Options{DataDir: dir, Bus: bus, Logger: quiet}

	sg, err := Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := sg.Ready(ctx); err != nil {
		t.Fatal(err)
	}
	c := viewertest.Client(sg.Handler(), viewertest.As("profile-1"))
	watched := seededViewing(t)
	var started struct{ StartPlayback sessionOut }
	mustPost(t, c, "", startQ, &started, client.Var("v", watched.VideoID))
	if started.StartPlayback.PositionSeconds != watched.PositionSeconds {
		t.Fatalf("resumed at %d, want seeded %d", started.StartPlayback.PositionSeconds, watched.PositionSeconds)
	}
	pos := watched.PositionSeconds + 30
	mustPost(t, c, "", reportQ, nil, client.Var("s", started.StartPlayback.ID), client.Var("p", pos))

	ev := consumeOne(t, bus)
	var payload videoservice.ProgressPayload
	if err := json.Unmarshal(ev.Payload, &payload); err != nil {
		t.Fatal(err)
	}
	if ev.Key != watched.VideoID || ev.Type != videoservice.EventProgressReported || payload.ProfileID != "profile-1" ||
		payload.VideoID != watched.VideoID || payload.PositionSeconds != pos || payload.TitleID == "" || payload.DurationSeconds == 0 {
		t.Fatalf("event %+v payload %+v", ev, payload)
	}
	if err := sg.Close(); err != nil {
		t.Fatal(err)
	}
	if err := sg.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}

	// Restart: no reseed, the progress is still there.
	sg, err = Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer sg.Close()
	c = viewertest.Client(sg.Handler(), viewertest.As("profile-1"))
	var again struct{ StartPlayback sessionOut }
	mustPost(t, c, "", startQ, &again, client.Var("v", watched.VideoID))
	if again.StartPlayback.PositionSeconds != pos {
		t.Fatalf("after restart resumed at %d, want %d", again.StartPlayback.PositionSeconds, pos)
	}

	if err := sg.Seed(ctx); err != nil {
		t.Fatal(err)
	}
	var reseeded struct{ StartPlayback sessionOut }
	mustPost(t, c, "", startQ, &reseeded, client.Var("v", watched.VideoID))
	if reseeded.StartPlayback.PositionSeconds != watched.PositionSeconds {
		t.Fatalf("after reseed resumed at %d, want %d", reseeded.StartPlayback.PositionSeconds, watched.PositionSeconds)
	}
}

func consumeOne(t *testing.T, bus events.Bus) events.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var got events.Event
	done := errors.New("done")
	err := bus.Consume(ctx, events.TopicVideoEvents, "video-test", func(_ context.Context, ev events.Event) error {
		got = ev
		return done
	})
	if !errors.Is(err, done) {
		t.Fatalf("no video event: %v", err)
	}
	return got
}

func TestOpenWithoutBusKeepsEventsInOutbox(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sg, err := Open(ctx, Options{DataDir: t.TempDir(), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer sg.Close()
	c := viewertest.Client(sg.Handler(), viewertest.As("profile-1"))
	watched := seededViewing(t)
	var started struct{ StartPlayback sessionOut }
	mustPost(t, c, "", startQ, &started, client.Var("v", watched.VideoID))
	mustPost(t, c, "", reportQ, nil, client.Var("s", started.StartPlayback.ID), client.Var("p", 1))
	pending, err := sg.store.PendingEvents(ctx, 10)
	if err != nil || len(pending) != 1 {
		t.Fatalf("outbox %v %v, want one event", pending, err)
	}
}

func TestOpenRequiresDataDir(t *testing.T) {
	t.Parallel()
	if _, err := Open(context.Background(), Options{}); err == nil {
		t.Fatal("Open without a data dir succeeded")
	}
}

// TestRelayStopsWithContext checks the relay is bound to Open's context.
func TestRelayStopsWithContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	bus, err := embedded.Open(ctx, filepath.Join(dir, "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Close()
	sg, err := Open(ctx, Options{DataDir: dir, Bus: bus, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	stopped := make(chan struct{})
	go func() { sg.work.Wait(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("relay still running after its context ended")
	}
	if err := sg.Close(); err != nil {
		t.Fatal(err)
	}
}
