package live

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/subgraphs/insights/service"
)

func scoredEvent(t *testing.T, message, room string) events.Event {
	t.Helper()
	ev, err := events.New(events.TopicInsights, room, service.EventTypeSentimentScored, "sentiment-"+message, time.Unix(100, 0), Scored{
		MessageID: message, RoomID: room, TitleID: "t1", Label: "POSITIVE", Score: 0.5, Model: "m",
	})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func TestHubRoutesByRoomAndDrops(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		rooms  []string // room of each event, messages m0, m1, ...
		buffer int
		want   []string
		err    error
	}{
		{"own room only", []string{"room-a", "room-b", "room-a"}, 4, []string{"m0", "m2"}, nil},
		{"too slow", []string{"room-a", "room-a", "room-a"}, 2, []string{"m0", "m1"}, ErrTooSlow},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := New(tc.buffer, nil)
			sub := h.Subscribe("room-a")
			for i, room := range tc.rooms {
				h.dispatch(scoredEvent(t, "m"+string(rune('0'+i)), room))
			}
			h.dispatch(events.Event{Type: "insights.other", Payload: []byte(`{"roomId":"room-a"}`)})
			if tc.err == nil {
				sub.Close()
			}
			var got []string
			for sc := range sub.C {
				got = append(got, sc.MessageID)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
			if !errors.Is(sub.Err(), tc.err) {
				t.Fatalf("err = %v, want %v", sub.Err(), tc.err)
			}
			if n := h.Subscribers("room-a"); n != 0 {
				t.Fatalf("%d subscribers left", n)
			}
		})
	}
}

func TestStopEndsSubscriptions(t *testing.T) {
	t.Parallel()
	h := New(0, nil)
	ctx, cancel := context.WithCancel(context.Background())
	sub := h.Subscribe("room-a")
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
	late := h.Subscribe("room-a")
	if _, ok := <-late.C; ok || !errors.Is(late.Err(), ErrStopped) {
		t.Fatalf("subscription after stop: open %v, err %v; want closed with ErrStopped", ok, late.Err())
	}
}
