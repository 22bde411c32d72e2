package chat

import (
	"encoding/json"
	"maps"
	"testing"

	"github.com/cinegraph/cinegraph/internal/seed"
)

// TestStoreCallsPerLevel proves pages of 50 entities cost a fixed number of
// store calls per relation level, whatever the page size.
func TestStoreCallsPerLevel(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sf := facts()
	var titles, rooms, messages []string
	var picked []seed.Room
	// Fifty rooms with seeded messages.
	for _, r := range sf.fixture.Rooms {
		if len(sf.byRoom[r.ID]) == 0 {
			continue
		}
		if len(rooms) == 50 {
			break
		}
		picked = append(picked, r)
		titles = append(titles, r.TitleID)
		rooms = append(rooms, r.ID)
		messages = append(messages, sf.byRoom[r.ID][0].ID)
	}

	tests := []struct {
		name      string
		query     string
		vars      map[string]any
		wantCalls map[string]int
		check     func(t *testing.T, data json.RawMessage)
	}{
		{
			name:      "titles with room count and provided name",
			query:     `query($r: [_Any!]!) { _entities(representations: $r) { ... on Title { chatRoom { messageCount title { name } } } } }`,
			vars:      map[string]any{"r": reps("Title", titles...)},
			wantCalls: map[string]int{"RoomsByTitleIDs": 1, "RoomStats": 1},
			check: func(t *testing.T, data json.RawMessage) {
				var out struct {
					Entities []struct {
						ChatRoom struct {
							MessageCount int
							Title        struct{ Name string }
						}
					} `json:"_entities"`
				}
				if err := json.Unmarshal(data, &out); err != nil {
					t.Fatal(err)
				}
				if len(out.Entities) != 50 {
					t.Fatalf("%d entities", len(out.Entities))
				}
				for i, e := range out.Entities {
					r := picked[i]
					if e.ChatRoom.MessageCount != len(sf.byRoom[r.ID]) || e.ChatRoom.Title.Name != r.TitleName {
						t.Fatalf("entity %d = %+v, want %d messages, name %q", i, e, len(sf.byRoom[r.ID]), r.TitleName)
					}
				}
			},
		},
		{
			name: "titles with rooms, pages and message rooms",
			query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Title { chatRoom {
				id lastMessageAt messages(first: 5) { edges { node { id author { id } room { id title { name } } } } }
			} } } }`,
			vars: map[string]any{"r": reps("Title", titles...)},
			// Message.room is primed by the rooms-by-title lookup.
			wantCalls: map[string]int{"RoomsByTitleIDs": 1, "RoomStats": 1, "MessagePages": 1},
		},
		{
			name: "chat rooms with pages",
			query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on ChatRoom {
				id messageCount lastMessageAt messages(first: 2) { edges { node { id room { id } } } }
			} } }`,
			vars:      map[string]any{"r": reps("ChatRoom", rooms...)},
			wantCalls: map[string]int{"RoomsByIDs": 1, "RoomStats": 1, "MessagePages": 1},
		},
		{
			name:      "messages with rooms",
			query:     `query($r: [_Any!]!) { _entities(representations: $r) { ... on Message { id body author { id } room { id messageCount } } } }`,
			vars:      map[string]any{"r": reps("Message", messages...)},
			wantCalls: map[string]int{"MessagesByIDs": 1, "RoomsByIDs": 1, "RoomStats": 1},
		},
		{
			name: "active rooms, first 50",
			query: `{ activeRooms(first: 50) {
				id messageCount lastMessageAt title { name }
				messages(first: 3) { edges { node { id room { id messageCount } } } }
			} }`,
			wantCalls: map[string]int{"ActiveRooms": 1, "RoomStats": 1, "MessagePages": 1},
			check: func(t *testing.T, data json.RawMessage) {
				var out struct{ ActiveRooms []struct{ ID string } }
				if err := json.Unmarshal(data, &out); err != nil {
					t.Fatal(err)
				}
				if len(out.ActiveRooms) != 50 {
					t.Fatalf("%d active rooms, want 50", len(out.ActiveRooms))
				}
			},
		},
	}
	for _, tc := range tests {
		// Sequential: the counter is shared.
		t.Run(tc.name, func(t *testing.T) {
			data := h.measure(t, tc.query, tc.vars, tc.wantCalls)
			if tc.check != nil {
				tc.check(t, data)
			}
		})
	}

	// The same query over 5 and 50 titles costs the same.
	t.Run("independent of page size", func(t *testing.T) {
		for _, n := range []int{5, 50} {
			h.measure(t, tests[1].query, map[string]any{"r": reps("Title", titles[:n]...)}, tests[1].wantCalls)
		}
	})
}

// measure runs query and checks the store calls it cost, exactly.
func (h *harness) measure(t *testing.T, query string, vars map[string]any, want map[string]int) json.RawMessage {
	t.Helper()
	h.counter.take()
	var data json.RawMessage
	h.mustExec(t, query, vars, &data)
	if got := h.counter.take(); !maps.Equal(got, want) {
		t.Fatalf("store calls %v, want %v", got, want)
	}
	return data
}
