package live

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/subgraphs/video/service"
)

func progressEvent(t *testing.T, id, video string, position int) events.Event {
	t.Helper()
	ev, err := events.New(events.TopicVideoEvents, video, service.EventProgressReported, id, time.Unix(100, 0), service.ProgressPayload{
		ProfileID: "profile-1", VideoID: video, PositionSeconds: position, DurationSeconds: 200,
	})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func TestHubRoutesAndDrops(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		filter string
		events []string // video of each event
		buffer int
		want   []int // positions received, in order
		err    error
	}{
		{"every video", "", []string{"v-a", "v-b"}, 4, []int{0, 1}, nil},
		{"one video", "v-b", []string{"v-a", "v-b", "v-a"}, 4, []int{1}, nil},
		{"too slow", "", []string{"v-a", "v-a", "v-a"}, 2, []int{0, 1}, ErrTooSlow},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := New(tc.buffer, nil)
			sub := h.Subscribe(tc.filter)
			for i, video := range tc.events {
				h.dispatch(progressEvent(t, "e", video, i))
			}
			// An event of another type is ignored.
			h.dispatch(events.Event{Type: "video.other", Payload: []byte(`{}`)})
			if tc.err == nil {
				sub.Close()
			}
			var got []int
			for p := range sub.C {
				got = append(got, p.PositionSeconds)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got positions %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got positions %v, want %v", got, tc.want)
				}
			}
			if !errors.Is(sub.Err(), tc.err) {
				t.Fatalf("err = %v, want %v", sub.Err(), tc.err)
			}
			if n := h.Subscribers(); n != 0 {
				t.Fatalf("%d subscribers left", n)
			}
		})
	}
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

func TestStopEndsSubscriptions(t *testing.T) {
	t.Parallel()
	h := New(0, nil)
	ctx, cancel := context.WithCancel(context.Background())
	sub := h.Subscribe("")
	out := sub.Stream(context.Background(), nil)
	done := make(chan struct{})
	go func() {
		h.pump(ctx, make(chan events.Event))
		h.stop()
		close(done)
	}()
	cancel()
	<-done
	if _, ok := <-out; ok {
		t.Fatal("stream delivered after stop")
	}
	if !errors.Is(sub.Err(), ErrStopped) {
		t.Fatalf("err = %v, want ErrStopped", sub.Err())
	}
	late := h.Subscribe("")
	if _, ok := <-late.C; ok || !errors.Is(late.Err(), ErrStopped) {
		t.Fatalf("subscription after stop: open %v, err %v; want closed with ErrStopped", ok, late.Err())
	}
}
