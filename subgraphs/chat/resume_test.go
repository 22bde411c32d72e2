package chat

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/client"
)

const resumeSubscription = `subscription($room: ID!, $since: String) {
	messageAdded(roomId: $room, since: $since) { id body }
}`

// TestMessageAddedResumesWithoutGapOrDuplicate subscribes with since while
// messages are being posted: every message after the cursor arrives exactly
// once, in order, whether it came from the store or the live feed.
func TestMessageAddedResumesWithoutGapOrDuplicate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		since func(t *testing.T, h *harness, room, firstID string) string
	}{
		{"message id", func(_ *testing.T, _ *harness, _, firstID string) string { return firstID }},
		{"message cursor", func(t *testing.T, h *harness, room, firstID string) string {
			var page struct {
				ChatRoom struct {
					Messages struct {
						Edges []struct {
							Cursor string
							Node   struct{ ID string }
						}
					}
				}
			}
			h.mustExec(t, `query($room: ID!) { chatRoom(id: $room) { messages(first: 100) { edges { cursor node { id } } } } }`, map[string]any{"room": room}, &page)
			for _, e := range page.ChatRoom.Messages.Edges {
				if e.Node.ID == firstID {
					return e.Cursor
				}
			}
			t.Fatalf("message %s not in the room's first page", firstID)
			return ""
		}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			room := facts().fixture.Rooms[10+i].ID
			const total = 12
			var mu sync.Mutex
			var ids []string
			post := func(n int) {
				var posted postedJSON
				h.mustExec(t, postMutation, map[string]any{"room": room, "body": fmt.Sprintf("resume %d", n)}, &posted)
				mu.Lock()
				ids = append(ids, posted.PostMessage.ID)
				mu.Unlock()
			}
			for n := range 4 {
				post(n)
			}
			since := tc.since(t, h, room, ids[0])
			// Keep posting while the subscription starts, so messages land
			// on both sides of the moment it reads the backlog.
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := 4; n < total; n++ {
					post(n)
				}
			}()
			sub := h.c.WebsocketWithPayload(resumeSubscription, map[string]any{"profile": "profile-3"}, client.Var("room", room), client.Var("since", since))
			defer sub.Close()
			var got []string
			for len(got) < total-1 {
				var m struct{ MessageAdded struct{ ID, Body string } }
				if err := next(t, sub, &m); err != nil {
					t.Fatalf("next after %d messages: %v", len(got), err)
				}
				got = append(got, m.MessageAdded.ID)
			}
			wg.Wait()
			// One more live message proves nothing extra was queued.
			post(total)
			var last struct{ MessageAdded struct{ ID, Body string } }
			if err := next(t, sub, &last); err != nil {
				t.Fatal(err)
			}
			got = append(got, last.MessageAdded.ID)
			want := slices.Clone(ids[1:])
			slices.Sort(want) // ids sort by time
			if !slices.Equal(got, want) {
				t.Fatalf("received %v\nwant     %v", got, want)
			}
		})
	}
}

func TestMessageAddedRejectsUnknownSince(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	room := facts().fixture.Rooms[3].ID
	sub := h.c.WebsocketWithPayload(resumeSubscription, map[string]any{"profile": "profile-3"}, client.Var("room", room), client.Var("since", "no-such-message"))
	defer sub.Close()
	var m map[string]any
	err := next(t, sub, &m)
	if err == nil || !strings.Contains(err.Error(), "since") {
		t.Fatalf("got %v, %v; want an error about since", m, err)
	}
}
