package video

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"

	"github.com/99designs/gqlgen/client"

	"github.com/cinegraph/cinegraph/internal/events/embedded"
	"github.com/cinegraph/cinegraph/subgraphs/video/store/videosqlite"
	"github.com/cinegraph/cinegraph/subgraphs/video/store/videostoretest"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoloaders"
)

const playbackQ = `subscription($v: ID) { playbackEvents(videoId: $v) {
	video { id durationSeconds } profile { id } positionSeconds progress completed at } }`

type playbackJSON struct {
	PlaybackEvents struct {
		Video struct {
			ID              string
			DurationSeconds int
		}
		Profile         struct{ ID string }
		PositionSeconds int
		Progress        float64
		Completed       bool
		At              string
	}
}

// busSubgraph opens a subgraph over the small fixture with an embedded bus,
// so the relay publishes and the hub listens.
func busSubgraph(t *testing.T) *Subgraph {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	bus, err := embedded.Open(ctx, filepath.Join(dir, "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bus.Close() })
	store, err := videosqlite.OpenDir(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Replace(ctx, videostoretest.Fixture()); err != nil {
		t.Fatal(err)
	}
	sg, err := openWith(ctx, store, Options{Bus: bus, Logger: quiet}, videoloaders.DefaultWait)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sg.Close() })
	return sg
}

// next reads one subscription payload, failing the test after a timeout.
func next(t *testing.T, sub *client.Subscription, out any) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- sub.Next(out) }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("timed out waiting for a subscription message")
		return nil
	}
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

func TestPlaybackEventsOverWebsocket(t *testing.T) {
	t.Parallel()
	sg := busSubgraph(t)
	c := viewertest.Client(sg.Handler(), viewertest.As("profile-1"))

	// One subscription follows the feature only, the other every video.
	feature := c.Websocket(playbackQ, client.Var("v", videostoretest.MovieFeature))
	defer feature.Close()
	all := c.Websocket(playbackQ)
	defer all.Close()
	waitFor(t, "both subscriptions to reach the hub", func() bool { return sg.hub.Len() == 2 })

	var episode struct{ StartPlayback sessionOut }
	mustPost(t, c, videostoretest.OtherWatcher, startQ, &episode, client.Var("v", videostoretest.Episode1Video))
	mustPost(t, c, videostoretest.OtherWatcher, reportQ, nil, client.Var("s", episode.StartPlayback.ID), client.Var("p", 10))
	var movie struct{ StartPlayback sessionOut }
	mustPost(t, c, videostoretest.Watcher, startQ, &movie, client.Var("v", videostoretest.MovieFeature))
	mustPost(t, c, videostoretest.Watcher, reportQ, nil, client.Var("s", movie.StartPlayback.ID), client.Var("p", videostoretest.FeatureSeconds/2))

	check := func(name string, got playbackJSON, video, profile string, position int) {
		t.Helper()
		e := got.PlaybackEvents
		if e.Video.ID != video || e.Profile.ID != profile || e.PositionSeconds != position {
			t.Fatalf("%s: event %+v, want %s by %s at %d", name, e, video, profile, position)
		}
		if _, err := time.Parse(time.RFC3339, e.At); err != nil {
			t.Fatalf("%s: at %q: %v", name, e.At, err)
		}
		want := float64(position) / float64(e.Video.DurationSeconds)
		if e.Progress != want || e.Completed {
			t.Fatalf("%s: progress %v completed %v, want %v and not completed", name, e.Progress, e.Completed, want)
		}
	}
	var got playbackJSON
	if err := next(t, all, &got); err != nil {
		t.Fatalf("all, first: %v", err)
	}
	check("all, first", got, videostoretest.Episode1Video, videostoretest.OtherWatcher, 10)
	if err := next(t, all, &got); err != nil {
		t.Fatalf("all, second: %v", err)
	}
	check("all, second", got, videostoretest.MovieFeature, videostoretest.Watcher, videostoretest.FeatureSeconds/2)
	// The filtered subscription skipped the episode: its first event is the feature's.
	if err := next(t, feature, &got); err != nil {
		t.Fatalf("feature: %v", err)
	}
	check("feature", got, videostoretest.MovieFeature, videostoretest.Watcher, videostoretest.FeatureSeconds/2)

	_ = feature.Close()
	waitFor(t, "the hub to drop the closed subscription", func() bool { return sg.hub.Len() == 1 })
}

func TestPlaybackEventsRejectsBadVideos(t *testing.T) {
	t.Parallel()
	sg := busSubgraph(t)
	c := viewertest.Client(sg.Handler(), viewertest.As("profile-1"))
	tests := []struct{ name, video, want string }{
		{"unknown video", "v-t9999-feature", "NOT_FOUND"},
		{"malformed video", "v t1", "BAD_USER_INPUT"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sub := c.Websocket(`subscription($v: ID) { playbackEvents(videoId: $v) { positionSeconds } }`, client.Var("v", tc.video))
			defer sub.Close()
			var got playbackJSON
			err := next(t, sub, &got)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
	if n := sg.hub.Len(); n != 0 {
		t.Fatalf("%d subscriptions left after rejections", n)
	}
}

func TestPlaybackEventsWithoutBus(t *testing.T) {
	t.Parallel()
	sg, _ := testSubgraph(t, nil)
	sub := viewertest.Client(sg.Handler(), viewertest.As("profile-1")).Websocket(`subscription { playbackEvents { positionSeconds } }`)
	defer sub.Close()
	var got playbackJSON
	if err := next(t, sub, &got); err == nil || !strings.Contains(err.Error(), "without an event bus") {
		t.Fatalf("err = %v, want the missing bus reported", err)
	}
}
