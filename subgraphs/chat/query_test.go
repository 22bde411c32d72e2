package chat

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

type roomJSON struct {
	ID    string `json:"id"`
	Title struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"title"`
	MessageCount  int     `json:"messageCount"`
	LastMessageAt *string `json:"lastMessageAt"`
}

func TestChatRoomQuery(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sf := facts()
	const q = `query($id: ID!) { chatRoom(id: $id) { id title { id name } messageCount lastMessageAt } }`

	seeded := sf.fixture.Rooms[0]
	quiet := sf.fixture.Rooms[len(sf.fixture.Rooms)-1]
	tests := []struct {
		name      string
		id        string
		wantNull  bool
		wantCount int
		wantLast  string
		wantCode  string
	}{
		{name: "room with messages", id: seeded.ID, wantCount: len(sf.byRoom[seeded.ID]), wantLast: sf.byRoom[seeded.ID][0].SentAt.Format(time.RFC3339Nano)},
		{name: "room without messages", id: quiet.ID},
		{name: "unknown room", id: "room-t9999", wantNull: true},
		{name: "malformed id", id: "room t1!", wantCode: "BAD_USER_INPUT"},
		{name: "oversized id", id: strings.Repeat("r", 129), wantCode: "BAD_USER_INPUT"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out struct{ ChatRoom *roomJSON }
			errs := h.exec(t, q, map[string]any{"id": tc.id}, &out)
			if tc.wantCode != "" {
				wantError(t, errs, tc.wantCode, "id")
				return
			}
			if len(errs) > 0 {
				t.Fatalf("errors: %+v", errs)
			}
			if tc.wantNull {
				if out.ChatRoom != nil {
					t.Fatalf("got %+v, want null", out.ChatRoom)
				}
				return
			}
			r := out.ChatRoom
			room := sf.titleOf[tc.id]
			if r == nil || r.ID != tc.id || r.Title.ID != room.TitleID || r.Title.Name != room.TitleName || r.MessageCount != tc.wantCount {
				t.Fatalf("got %+v, want room %+v with %d messages", r, room, tc.wantCount)
			}
			if (r.LastMessageAt == nil) != (tc.wantLast == "") || (r.LastMessageAt != nil && *r.LastMessageAt != tc.wantLast) {
				t.Fatalf("lastMessageAt = %v, want %q", r.LastMessageAt, tc.wantLast)
			}
		})
	}
}

func TestActiveRooms(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sf := facts()
	tests := []struct {
		name     string
		query    string
		want     []string
		wantCode string
	}{
		{"default ten", `{ activeRooms { id } }`, sf.active[:10], ""},
		{"first three", `{ activeRooms(first: 3) { id } }`, sf.active[:3], ""},
		{"max", `{ activeRooms(first: 100) { id } }`, sf.active[:100], ""},
		{"zero", `{ activeRooms(first: 0) { id } }`, nil, "BAD_USER_INPUT"},
		{"over max", `{ activeRooms(first: 101) { id } }`, nil, "BAD_USER_INPUT"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out struct{ ActiveRooms []struct{ ID string } }
			errs := h.exec(t, tc.query, nil, &out)
			if tc.wantCode != "" {
				wantError(t, errs, tc.wantCode, "first")
				return
			}
			if len(errs) > 0 {
				t.Fatalf("errors: %+v", errs)
			}
			var got []string
			for _, r := range out.ActiveRooms {
				got = append(got, r.ID)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

type connectionJSON struct {
	Edges []struct {
		Cursor string `json:"cursor"`
		Node   struct {
			ID     string `json:"id"`
			Body   string `json:"body"`
			SentAt string `json:"sentAt"`
			Author struct{ ID string }
			Room   struct{ ID string }
		} `json:"node"`
	} `json:"edges"`
	PageInfo struct {
		HasNextPage     bool    `json:"hasNextPage"`
		HasPreviousPage bool    `json:"hasPreviousPage"`
		StartCursor     *string `json:"startCursor"`
		EndCursor       *string `json:"endCursor"`
	} `json:"pageInfo"`
}

const pageQuery = `query($id: ID!, $first: Int, $before: String) {
	chatRoom(id: $id) { messages(first: $first, before: $before) {
		edges { cursor node { id body sentAt author { id } room { id } } }
		pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
	} }
}`

func TestMessagesPaging(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sf := facts()
	// The first room with a few pages of seeded messages.
	var room string
	for _, r := range sf.fixture.Rooms {
		if len(sf.byRoom[r.ID]) >= 4 {
			room = r.ID
			break
		}
	}
	want := sf.byRoom[room]
	if len(want) < 4 {
		t.Fatalf("fixture room %s has only %d messages", room, len(want))
	}

	var walked []string
	var before any
	for page := 0; ; page++ {
		if page > len(want) {
			t.Fatal("paging does not end")
		}
		var out struct {
			ChatRoom struct{ Messages connectionJSON }
		}
		h.mustExec(t, pageQuery, map[string]any{"id": room, "first": 3, "before": before}, &out)
		conn := out.ChatRoom.Messages
		if conn.PageInfo.HasPreviousPage != (page > 0) {
			t.Fatalf("page %d: hasPreviousPage = %v", page, conn.PageInfo.HasPreviousPage)
		}
		for i, e := range conn.Edges {
			m := want[len(walked)]
			if e.Node.ID != m.ID || e.Node.Body != m.Body || e.Node.Author.ID != m.AuthorID || e.Node.Room.ID != room || e.Node.SentAt != m.SentAt.Format(time.RFC3339Nano) {
				t.Fatalf("page %d edge %d = %+v, want %+v", page, i, e.Node, m)
			}
			walked = append(walked, e.Node.ID)
		}
		if len(conn.Edges) > 0 && (*conn.PageInfo.StartCursor != conn.Edges[0].Cursor || *conn.PageInfo.EndCursor != conn.Edges[len(conn.Edges)-1].Cursor) {
			t.Fatalf("page %d: start/end cursors do not match edges", page)
		}
		if !conn.PageInfo.HasNextPage {
			break
		}
		before = *conn.PageInfo.EndCursor
	}
	if len(walked) != len(want) {
		t.Fatalf("walked %d messages, want %d", len(walked), len(want))
	}

	t.Run("default page size", func(t *testing.T) {
		var out struct {
			ChatRoom struct{ Messages connectionJSON }
		}
		h.mustExec(t, pageQuery, map[string]any{"id": room}, &out)
		if n := len(out.ChatRoom.Messages.Edges); n != min(20, len(want)) {
			t.Fatalf("default page has %d edges", n)
		}
	})

	invalid := []struct {
		name  string
		vars  map[string]any
		field string
	}{
		{"first zero", map[string]any{"id": room, "first": 0}, "first"},
		{"first over max", map[string]any{"id": room, "first": 101}, "first"},
		{"garbage cursor", map[string]any{"id": room, "before": "not-a-cursor"}, "before"},
		{"forged cursor", map[string]any{"id": room, "before": "bTE6eHg6eXk"}, "before"},
	}
	for _, tc := range invalid {
		t.Run(tc.name, func(t *testing.T) {
			var out struct {
				ChatRoom *struct{ Messages *connectionJSON }
			}
			errs := h.exec(t, pageQuery, tc.vars, &out)
			wantError(t, errs, "BAD_USER_INPUT", tc.field)
		})
	}
}
