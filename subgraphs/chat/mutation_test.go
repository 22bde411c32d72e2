package chat

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"

	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
)

const postMutation = `mutation($room: ID!, $body: String!) {
	postMessage(roomId: $room, body: $body) { id body sentAt author { id } room { id messageCount } }
}`

type postedJSON struct {
	PostMessage *struct {
		ID     string
		Body   string
		SentAt string
		Author struct{ ID string }
		Room   struct {
			ID           string
			MessageCount int
		}
	}
}

func TestPostMessage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sf := facts()
	room := sf.fixture.Rooms[3]
	before := len(sf.byRoom[room.ID])

	var out postedJSON
	h.mustExec(t, postMutation, map[string]any{"room": room.ID, "body": "  What a twist!\n  "}, &out, viewertest.As("profile-3"))
	p := out.PostMessage
	if p == nil || p.Body != "What a twist!" || p.Author.ID != "profile-3" || p.Room.ID != room.ID || p.Room.MessageCount != before+1 {
		t.Fatalf("posted %+v", p)
	}
	sent, err := time.Parse(time.RFC3339Nano, p.SentAt)
	if err != nil || time.Since(sent) > time.Minute {
		t.Fatalf("sentAt %q: %v", p.SentAt, err)
	}

	// Newest first: the new message leads the room's page.
	var page struct {
		ChatRoom struct{ Messages connectionJSON }
	}
	h.mustExec(t, pageQuery, map[string]any{"id": room.ID, "first": 1}, &page)
	if e := page.ChatRoom.Messages.Edges; len(e) != 1 || e[0].Node.ID != p.ID {
		t.Fatalf("newest message = %+v, want %s", e, p.ID)
	}

	rejects := []struct {
		name, room, body, code, field string
	}{
		{"empty body", room.ID, "", "BAD_USER_INPUT", "body"},
		{"blank body", room.ID, " \n\t ", "BAD_USER_INPUT", "body"},
		{"oversized body", room.ID, strings.Repeat("ü", chatservice.MaxBodyRunes+1), "BAD_USER_INPUT", "body"},
		{"control character", room.ID, "hi\x1b[2J", "BAD_USER_INPUT", "body"},
		{"unknown room", "room-t9999", "hello", "NOT_FOUND", ""},
		{"malformed room", "room/../t1", "hello", "BAD_USER_INPUT", "roomId"},
	}
	for _, tc := range rejects {
		t.Run(tc.name, func(t *testing.T) {
			var out postedJSON
			errs := h.exec(t, postMutation, map[string]any{"room": tc.room, "body": tc.body}, &out)
			wantError(t, errs, tc.code, tc.field)
		})
	}

	// Rejected posts stored nothing: the room count moved by one, and the
	// bus saw exactly one event, the accepted message's.
	var after struct{ ChatRoom roomJSON }
	h.mustExec(t, `query($id: ID!) { chatRoom(id: $id) { id messageCount } }`, map[string]any{"id": room.ID}, &after)
	if after.ChatRoom.MessageCount != before+1 {
		t.Fatalf("messageCount = %d, want %d", after.ChatRoom.MessageCount, before+1)
	}
	evs := h.busEvents(t, "post-test", 2*time.Second)
	if len(evs) != 1 || evs[0].ID != p.ID || evs[0].Key != room.ID {
		t.Fatalf("bus events %+v, want only %s", evs, p.ID)
	}
	var payload map[string]any
	if err := json.Unmarshal(evs[0].Payload, &payload); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]any{"id": p.ID, "roomId": room.ID, "titleId": room.TitleID, "authorId": "profile-3", "body": "What a twist!"} {
		if payload[k] != v {
			t.Fatalf("payload[%s] = %v, want %v (payload %s)", k, payload[k], v, evs[0].Payload)
		}
	}
	if at, err := time.Parse(time.RFC3339Nano, payload["sentAt"].(string)); err != nil || !at.Equal(sent) {
		t.Fatalf("payload sentAt %v, want %v", payload["sentAt"], sent)
	}
}

func TestAnonymousCannotPost(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	room := facts().fixture.Rooms[0]
	var before, after struct{ ChatRoom struct{ MessageCount int } }
	h.mustExec(t, `query($id: ID!) { chatRoom(id: $id) { messageCount } }`, map[string]any{"id": room.ID}, &before)
	errs := h.exec(t, postMutation, map[string]any{"room": room.ID, "body": "hi"}, nil, viewertest.Anonymous())
	wantError(t, errs, "UNAUTHENTICATED", "")
	h.mustExec(t, `query($id: ID!) { chatRoom(id: $id) { messageCount } }`, map[string]any{"id": room.ID}, &after)
	if after.ChatRoom.MessageCount != before.ChatRoom.MessageCount {
		t.Fatalf("message count %d -> %d: an anonymous post was written", before.ChatRoom.MessageCount, after.ChatRoom.MessageCount)
	}
	if evs := h.busEvents(t, "anonymous-post", 200*time.Millisecond); len(evs) != 0 {
		t.Fatalf("anonymous post published %d events", len(evs))
	}
}
