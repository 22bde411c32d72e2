package chat

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"

	"github.com/99designs/gqlgen/client"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/embedded"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
)

type addedJSON struct {
	MessageAdded struct {
		ID     string
		Body   string
		Author struct{ ID string }
		Room   struct {
			ID           string
			MessageCount int
			Title        struct{ Name string }
		}
	}
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

func TestMessageAddedOverWebsocket(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sf := facts()
	room, other := sf.fixture.Rooms[4], sf.fixture.Rooms[5]
	count := len(sf.byRoom[room.ID])

	sub := h.c.WebsocketWithPayload(`subscription($room: ID!) {
		messageAdded(roomId: $room) { id body author { id } room { id messageCount title { name } } }
	}`, viewertest.InitPayload("profile-4"), client.Var("room", room.ID))
	waitFor(t, "the subscription to reach the hub", func() bool { return h.sg.hub.Subscribers(room.ID) == 1 })

	var posted postedJSON
	h.mustExec(t, postMutation, map[string]any{"room": other.ID, "body": "elsewhere"}, &posted)
	for i, body := range []string{"first!", "second"} {
		h.mustExec(t, postMutation, map[string]any{"room": room.ID, "body": body}, &posted, viewertest.As("profile-2"))
		var got addedJSON
		if err := next(t, sub, &got); err != nil {
			t.Fatalf("next: %v", err)
		}
		m := got.MessageAdded
		// Counts are fresh for every event, not cached for the connection.
		if m.ID != posted.PostMessage.ID || m.Body != body || m.Author.ID != "profile-2" || m.Room.ID != room.ID ||
			m.Room.Title.Name != room.TitleName || m.Room.MessageCount != count+i+1 {
			t.Fatalf("event %d = %+v, want %s %q in %s with %d messages", i, m, posted.PostMessage.ID, body, room.ID, count+i+1)
		}
	}

	if err := sub.Close(); err != nil {
		t.Logf("close: %v", err)
	}
	waitFor(t, "the hub to drop the closed subscription", func() bool { return h.sg.hub.Subscribers(room.ID) == 0 })
}

func TestMessageAddedRejectsBadRooms(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tests := []struct{ name, room, want string }{
		{"unknown room", "room-t9999", "not found"},
		{"malformed room", "room t1", "malformed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sub := h.c.Websocket(`subscription($room: ID!) { messageAdded(roomId: $room) { id } }`, client.Var("room", tc.room))
			defer sub.Close()
			var got addedJSON
			err := next(t, sub, &got)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

func TestCloseEndsSubscriptions(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sub := h.c.Websocket(`subscription { messageAdded(roomId: "room-t0001") { id } }`)
	defer sub.Close()
	waitFor(t, "the subscription", func() bool { return h.sg.hub.Subscribers("room-t0001") == 1 })
	if err := h.sg.Close(); err != nil {
		t.Fatal(err)
	}
	var got addedJSON
	err := next(t, sub, &got)
	if err == nil {
		t.Fatalf("subscription still delivering after Close: %+v", got)
	}
	if !strings.Contains(err.Error(), "UNAVAILABLE") || !strings.Contains(err.Error(), "shutting down") {
		t.Fatalf("stream ended with %v, want the UNAVAILABLE shutdown error", err)
	}
}

// TestLaggingSubscriberGetsError floods a room faster than one subscriber
// with a tiny buffer can take, and checks the client is told why its stream
// ended.
func TestLaggingSubscriberGetsError(t *testing.T) {
	t.Parallel()
	h := newTunedHarness(t, tuning{hubBuffer: 1})
	room := facts().fixture.Rooms[6]
	sub := h.c.Websocket(`subscription($room: ID!) { messageAdded(roomId: $room) { id body } }`, client.Var("room", room.ID))
	defer sub.Close()
	waitFor(t, "the subscription", func() bool { return h.sg.hub.Subscribers(room.ID) == 1 })

	// Straight onto the bus in one publish: the hub hands them out far
	// faster than the websocket can write them.
	var evs []events.Event
	for i := range 2000 {
		ev, err := chatservice.PostedEvent(chatservice.Message{
			ID: fmt.Sprintf("flood-%04d", i), RoomID: room.ID, AuthorID: "profile-1",
			Body: strings.Repeat("x", 200), SentAt: time.Now().UTC(),
		}, room.TitleID)
		if err != nil {
			t.Fatal(err)
		}
		evs = append(evs, ev)
	}
	if err := h.bus.Publish(context.Background(), evs...); err != nil {
		t.Fatal(err)
	}

	for received := 0; ; received++ {
		var got addedJSON
		err := next(t, sub, &got)
		if err == nil {
			if received >= len(evs) {
				t.Fatal("every message arrived: the subscriber was never dropped")
			}
			continue
		}
		if !strings.Contains(err.Error(), "UNAVAILABLE") || !strings.Contains(err.Error(), "too far behind") {
			t.Fatalf("stream ended with %v, want the UNAVAILABLE lagging error", err)
		}
		break
	}
	waitFor(t, "the hub to forget the dropped subscriber", func() bool { return h.sg.hub.Subscribers(room.ID) == 0 })
}

// TestMessageAddedAcrossProcesses runs two chat subgraphs, each with its own
// store and its own handle on one shared event log, as two processes would:
// a message posted to one reaches a subscriber of the other through the bus.
func TestMessageAddedAcrossProcesses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	logPath := filepath.Join(t.TempDir(), "events.db")
	open := func() *Subgraph {
		bus, err := embedded.Open(ctx, logPath)
		if err != nil {
			t.Fatal(err)
		}
		sg, err := Open(ctx, Options{DataDir: t.TempDir(), Bus: bus, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = sg.Close(); _ = bus.Close() })
		return sg
	}
	writer, reader := open(), open()
	room := facts().fixture.Rooms[7]

	sub := viewertest.Client(reader.Handler()).Websocket(`subscription($room: ID!) { messageAdded(roomId: $room) { id body author { id } } }`, client.Var("room", room.ID))
	defer sub.Close()
	waitFor(t, "the subscription", func() bool { return reader.hub.Subscribers(room.ID) == 1 })

	var posted postedJSON
	viewertest.Client(writer.Handler()).MustPost(postMutation, &posted, client.Var("room", room.ID), client.Var("body", "from the other side"),
		viewertest.As("profile-5"))
	var got addedJSON
	if err := next(t, sub, &got); err != nil {
		t.Fatal(err)
	}
	if m := got.MessageAdded; m.ID != posted.PostMessage.ID || m.Body != "from the other side" || m.Author.ID != "profile-5" {
		t.Fatalf("received %+v, want %s", m, posted.PostMessage.ID)
	}
}
