package insightslive

import (
	"context"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
)

// chanBus is a bus whose insights stream the test feeds.
type chanBus chan events.Event

func (b chanBus) Listen(_ context.Context, topic string) (<-chan events.Event, error) {
	if topic != events.TopicInsights {
		panic("hub listens to " + topic)
	}
	return b, nil
}

func scoredEvent(t *testing.T, message, room string) events.Event {
	t.Helper()
	ev, err := events.New(events.TopicInsights, room, insightsservice.EventTypeSentimentScored, "sentiment-"+message, time.Unix(100, 0), Scored{
		MessageID: message, RoomID: room, TitleID: "t1", Label: "POSITIVE", Score: 0.5, Model: "m",
	})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// TestDeliversScoresByRoom checks the insights part of the hub: the topic,
// the event type, the decoding and routing by room.
func TestDeliversScoresByRoom(t *testing.T) {
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

	sub := h.Subscribe("room-a")
	defer sub.Close()
	bus <- scoredEvent(t, "m0", "room-b")
	bus <- events.Event{ID: "x", Type: "insights.other", Payload: []byte(`{"roomId":"room-a"}`)}
	bus <- scoredEvent(t, "m1", "room-a")
	select {
	case d := <-sub.C:
		sc := d.Value
		want := Scored{MessageID: "m1", RoomID: "room-a", TitleID: "t1", Label: "POSITIVE", Score: 0.5, Model: "m"}
		if sc != want {
			t.Fatalf("got %+v, want %+v", sc, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no score")
	}
}
