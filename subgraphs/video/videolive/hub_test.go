package videolive

import (
	"context"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

// chanBus is a bus whose video.events stream the test feeds.
type chanBus chan events.Event

func (b chanBus) Listen(_ context.Context, topic string) (<-chan events.Event, error) {
	if topic != events.TopicVideoEvents {
		panic("hub listens to " + topic)
	}
	return b, nil
}

func progressEvent(t *testing.T, video string, position int) events.Event {
	t.Helper()
	ev, err := events.New(events.TopicVideoEvents, video, videoservice.EventProgressReported, "e", time.Unix(100, 0), videoservice.ProgressPayload{
		ProfileID: "profile-1", VideoID: video, PositionSeconds: position, DurationSeconds: 200, Completed: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// TestDeliversProgressByVideo checks the video part of the hub: the topic,
// the event type, the decoding and routing by video.
func TestDeliversProgressByVideo(t *testing.T) {
	t.Parallel()
	bus := make(chanBus, 4)
	h := New(4, nil)
	ctx, cancel := context.WithCancel(context.Background())
	run, err := h.Listen(ctx, bus)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = run() }()
	defer func() { cancel(); <-done }()

	one, every := h.Subscribe("v-b"), h.SubscribeAll()
	defer one.Close()
	defer every.Close()
	bus <- progressEvent(t, "v-a", 10)
	bus <- events.Event{ID: "x", Type: "video.other", Payload: []byte(`{"videoId":"v-b"}`)}
	bus <- progressEvent(t, "v-b", 20)
	want := Playback{VideoID: "v-b", ProfileID: "profile-1", PositionSeconds: 20, DurationSeconds: 200, Completed: true, At: time.Unix(100, 0).UTC()}
	for name, got := range map[string][]Playback{"one video": take(t, one, 1), "every video": take(t, every, 2)[1:]} {
		if got[0] != want {
			t.Fatalf("%s got %+v, want %+v", name, got[0], want)
		}
	}
}

func take(t *testing.T, sub *Subscription, n int) []Playback {
	t.Helper()
	var got []Playback
	for len(got) < n {
		select {
		case p := <-sub.C:
			got = append(got, p.Value)
		case <-time.After(5 * time.Second):
			t.Fatalf("got %d events, want %d", len(got), n)
		}
	}
	return got
}

func TestPlaybackProgress(t *testing.T) {
	t.Parallel()
	tests := []struct {
		position, duration int
		want               float64
	}{{50, 200, 0.25}, {0, 0, 0}, {300, 200, 1}}
	for _, tc := range tests {
		if got := (Playback{PositionSeconds: tc.position, DurationSeconds: tc.duration}).Progress(); got != tc.want {
			t.Errorf("Progress(%d/%d) = %v, want %v", tc.position, tc.duration, got, tc.want)
		}
	}
}
