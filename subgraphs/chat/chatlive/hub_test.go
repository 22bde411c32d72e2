package chatlive

import (
	"context"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
)

// chanBus is a bus whose chat.messages stream the test feeds.
type chanBus chan events.Event

func (b chanBus) Listen(_ context.Context, topic string) (<-chan events.Event, error) {
	if topic != events.TopicChatMessages {
		panic("hub listens to " + topic)
	}
	return b, nil
}

func posted(t *testing.T, id, room string) events.Event {
	t.Helper()
	ev, err := chatservice.PostedEvent(chatservice.Message{ID: id, RoomID: room, AuthorID: "profile-1", Body: "b " + id, SentAt: time.Unix(100, 0).UTC()}, "t")
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// TestDeliversPostedMessagesByRoom checks the chat part of the hub: the
// topic, the event type, the decoding and routing by room.
func TestDeliversPostedMessagesByRoom(t *testing.T) {
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
	bus <- posted(t, "m1", "room-b")
	bus <- events.Event{ID: "y", Type: chatservice.EventMessagePosted, Payload: []byte(`not json`)}
	bus <- posted(t, "m2", "room-a")
	select {
	case d := <-sub.C:
		m := d.Value
		want := chatservice.Message{ID: "m2", RoomID: "room-a", AuthorID: "profile-1", Body: "b m2", SentAt: time.Unix(100, 0).UTC()}
		if m.ID != want.ID || m.RoomID != want.RoomID || m.AuthorID != want.AuthorID || m.Body != want.Body || !m.SentAt.Equal(want.SentAt) {
			t.Fatalf("got %+v, want %+v", m, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no message")
	}
}
