// Package chatstoretest is the contract every chat chatservice.Store must honour:
// Run it from each implementation's tests with a function that opens a
// fresh, empty store.
package chatstoretest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
)

var base = time.Date(2026, time.March, 1, 12, 0, 0, 0, time.UTC)

// fixture: three rooms; room-a has five messages (two share a timestamp, to
// exercise the id tie-break), room-b one, room-c none.
func fixture() ([]chatservice.Room, []chatservice.Message) {
	rooms := []chatservice.Room{
		{ID: "room-a", TitleID: "ta", TitleName: "Alpha"},
		{ID: "room-b", TitleID: "tb", TitleName: "Beta"},
		{ID: "room-c", TitleID: "tc", TitleName: "Gamma"},
	}
	msgs := []chatservice.Message{
		{ID: "a1", RoomID: "room-a", AuthorID: "profile-1", Body: "one", SentAt: base.Add(1 * time.Minute)},
		{ID: "a2", RoomID: "room-a", AuthorID: "profile-2", Body: "two", SentAt: base.Add(2 * time.Minute)},
		{ID: "a3", RoomID: "room-a", AuthorID: "profile-1", Body: "three", SentAt: base.Add(3 * time.Minute)},
		{ID: "a4", RoomID: "room-a", AuthorID: "profile-3", Body: "four", SentAt: base.Add(3 * time.Minute)},
		{ID: "a5", RoomID: "room-a", AuthorID: "profile-1", Body: "five\nlines", SentAt: base.Add(4*time.Minute + 123456789)},
		{ID: "b1", RoomID: "room-b", AuthorID: "profile-2", Body: "bee", SentAt: base.Add(10 * time.Minute)},
	}
	return rooms, msgs
}

func seeded(t *testing.T, open func(t *testing.T) chatservice.Store) chatservice.Store {
	t.Helper()
	s := open(t)
	rooms, msgs := fixture()
	if err := s.ReplaceAll(context.Background(), rooms, msgs); err != nil {
		t.Fatalf("ReplaceAll: %v", err)
	}
	return s
}

func ids[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func roomID(r chatservice.Room) string       { return r.ID }
func messageID(m chatservice.Message) string { return m.ID }

func event(t *testing.T, m chatservice.Message) events.Event {
	t.Helper()
	ev, err := chatservice.PostedEvent(m, "ta")
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// Run checks the Store contract against stores made by open.
func Run(t *testing.T, open func(t *testing.T) chatservice.Store) {
	ctx := context.Background()

	t.Run("Empty", func(t *testing.T) {
		s := open(t)
		empty, err := s.Empty(ctx)
		if err != nil || !empty {
			t.Fatalf("new store: Empty = %v, %v; want true", empty, err)
		}
		rooms, msgs := fixture()
		if err := s.ReplaceAll(ctx, rooms, msgs); err != nil {
			t.Fatal(err)
		}
		empty, err = s.Empty(ctx)
		if err != nil || empty {
			t.Fatalf("seeded store: Empty = %v, %v; want false", empty, err)
		}
		if err := s.Ping(ctx); err != nil {
			t.Fatalf("Ping: %v", err)
		}
	})

	t.Run("RoomsByIDs", func(t *testing.T) {
		s := seeded(t, open)
		tests := []struct {
			name string
			ids  []string
			want []string
		}{
			{"none", nil, nil},
			{"some", []string{"room-a", "room-c"}, []string{"room-a", "room-c"}},
			{"missing skipped", []string{"room-x", "room-b"}, []string{"room-b"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := s.RoomsByIDs(ctx, tc.ids)
				if err != nil {
					t.Fatal(err)
				}
				if g := sorted(ids(got, roomID)); !slices.Equal(g, tc.want) {
					t.Fatalf("got %v, want %v", g, tc.want)
				}
			})
		}
		got, _ := s.RoomsByIDs(ctx, []string{"room-b"})
		if len(got) != 1 || got[0] != (chatservice.Room{ID: "room-b", TitleID: "tb", TitleName: "Beta"}) {
			t.Fatalf("room-b = %+v", got)
		}
	})

	t.Run("RoomsByTitleIDs", func(t *testing.T) {
		s := seeded(t, open)
		got, err := s.RoomsByTitleIDs(ctx, []string{"tc", "tx", "ta"})
		if err != nil {
			t.Fatal(err)
		}
		if g := sorted(ids(got, roomID)); !slices.Equal(g, []string{"room-a", "room-c"}) {
			t.Fatalf("got %v", g)
		}
	})

	t.Run("LargeBatch", func(t *testing.T) {
		s := open(t)
		var rooms []chatservice.Room
		var keys []string
		for i := range 1200 {
			r := chatservice.Room{ID: fmt.Sprintf("room-%04d", i), TitleID: fmt.Sprintf("t%04d", i), TitleName: "T"}
			rooms = append(rooms, r)
			keys = append(keys, r.ID)
		}
		if err := s.ReplaceAll(ctx, rooms, nil); err != nil {
			t.Fatal(err)
		}
		got, err := s.RoomsByIDs(ctx, keys)
		if err != nil || len(got) != len(keys) {
			t.Fatalf("got %d rooms, %v; want %d", len(got), err, len(keys))
		}
	})

	t.Run("MessagesByIDs", func(t *testing.T) {
		s := seeded(t, open)
		got, err := s.MessagesByIDs(ctx, []string{"a5", "zz", "b1"})
		if err != nil {
			t.Fatal(err)
		}
		if g := sorted(ids(got, messageID)); !slices.Equal(g, []string{"a5", "b1"}) {
			t.Fatalf("got %v", g)
		}
		_, msgs := fixture()
		for _, m := range got {
			if m.ID == "a5" && (!m.SentAt.Equal(msgs[4].SentAt) || m.Body != msgs[4].Body || m.AuthorID != "profile-1" || m.RoomID != "room-a") {
				t.Fatalf("a5 = %+v, want %+v", m, msgs[4])
			}
		}
	})

	t.Run("RoomStats", func(t *testing.T) {
		s := seeded(t, open)
		got, err := s.RoomStats(ctx, []string{"room-a", "room-b", "room-c", "room-x"})
		if err != nil {
			t.Fatal(err)
		}
		byRoom := map[string]chatservice.RoomStats{}
		for _, st := range got {
			byRoom[st.RoomID] = st
		}
		if len(byRoom) != 2 {
			t.Fatalf("stats for %d rooms, want 2 (rooms with messages): %+v", len(byRoom), got)
		}
		a := byRoom["room-a"]
		if a.MessageCount != 5 || a.LastMessageAt == nil || !a.LastMessageAt.Equal(base.Add(4*time.Minute+123456789)) {
			t.Fatalf("room-a stats = %+v", a)
		}
		if b := byRoom["room-b"]; b.MessageCount != 1 {
			t.Fatalf("room-b stats = %+v", b)
		}
	})

	t.Run("DuplicateIDsAcrossChunks", func(t *testing.T) {
		// Copies of one id beyond one SQL IN list (500 keys) fall into
		// different chunks of a batch read; each must be answered once.
		s := seeded(t, open)
		copies := func(id string) []string {
			out := make([]string, 501)
			for i := range out {
				out[i] = id
			}
			return out
		}
		rooms, err := s.RoomsByIDs(ctx, append(copies("room-a"), "room-b"))
		if g := sorted(ids(rooms, roomID)); err != nil || !slices.Equal(g, []string{"room-a", "room-b"}) {
			t.Fatalf("RoomsByIDs = %v, %v; want room-a and room-b once each", g, err)
		}
		byTitle, err := s.RoomsByTitleIDs(ctx, copies("ta"))
		if g := ids(byTitle, roomID); err != nil || !slices.Equal(g, []string{"room-a"}) {
			t.Fatalf("RoomsByTitleIDs = %v, %v; want room-a once", g, err)
		}
		msgs, err := s.MessagesByIDs(ctx, copies("a1"))
		if g := ids(msgs, messageID); err != nil || !slices.Equal(g, []string{"a1"}) {
			t.Fatalf("MessagesByIDs = %v, %v; want a1 once", g, err)
		}
		stats, err := s.RoomStats(ctx, copies("room-a"))
		if err != nil || len(stats) != 1 || stats[0].MessageCount != 5 {
			t.Fatalf("RoomStats = %+v, %v; want room-a once, with its 5 messages", stats, err)
		}
	})

	t.Run("MessagePages", func(t *testing.T) {
		s := seeded(t, open)
		tests := []struct {
			name     string
			q        chatservice.PageQuery
			want     []string
			wantMore bool
		}{
			{"newest first", chatservice.PageQuery{RoomID: "room-a", Limit: 10}, []string{"a5", "a4", "a3", "a2", "a1"}, false},
			{"limited", chatservice.PageQuery{RoomID: "room-a", Limit: 2}, []string{"a5", "a4"}, true},
			{"exact fit", chatservice.PageQuery{RoomID: "room-a", Limit: 5}, []string{"a5", "a4", "a3", "a2", "a1"}, false},
			{"before tie", chatservice.PageQuery{RoomID: "room-a", Limit: 2, Before: chatservice.Cursor{SentAt: base.Add(3 * time.Minute), ID: "a4"}}, []string{"a3", "a2"}, true},
			{"before last", chatservice.PageQuery{RoomID: "room-a", Limit: 2, Before: chatservice.Cursor{SentAt: base.Add(2 * time.Minute), ID: "a2"}}, []string{"a1"}, false},
			{"empty room", chatservice.PageQuery{RoomID: "room-c", Limit: 5}, nil, false},
			{"unknown room", chatservice.PageQuery{RoomID: "room-x", Limit: 5}, nil, false},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				pages, err := s.MessagePages(ctx, []chatservice.PageQuery{tc.q})
				if err != nil {
					t.Fatal(err)
				}
				if len(pages) != 1 {
					t.Fatalf("%d pages for 1 query", len(pages))
				}
				if g := ids(pages[0].Messages, messageID); !slices.Equal(g, tc.want) || pages[0].HasMore != tc.wantMore {
					t.Fatalf("got %v more=%v, want %v more=%v", g, pages[0].HasMore, tc.want, tc.wantMore)
				}
			})
		}
		t.Run("aligned batch", func(t *testing.T) {
			qs := []chatservice.PageQuery{{RoomID: "room-b", Limit: 1}, {RoomID: "room-c", Limit: 1}, {RoomID: "room-a", Limit: 1}}
			pages, err := s.MessagePages(ctx, qs)
			if err != nil {
				t.Fatal(err)
			}
			var got [][]string
			for _, p := range pages {
				got = append(got, ids(p.Messages, messageID))
			}
			want := [][]string{{"b1"}, nil, {"a5"}}
			if len(got) != 3 || !slices.Equal(got[0], want[0]) || !slices.Equal(got[1], want[1]) || !slices.Equal(got[2], want[2]) {
				t.Fatalf("got %v, want %v", got, want)
			}
		})
		t.Run("walk all pages", func(t *testing.T) {
			var seen []string
			q := chatservice.PageQuery{RoomID: "room-a", Limit: 2}
			for range 10 {
				pages, err := s.MessagePages(ctx, []chatservice.PageQuery{q})
				if err != nil {
					t.Fatal(err)
				}
				p := pages[0]
				seen = append(seen, ids(p.Messages, messageID)...)
				if !p.HasMore {
					break
				}
				q.Before = chatservice.CursorOf(p.Messages[len(p.Messages)-1])
			}
			if want := []string{"a5", "a4", "a3", "a2", "a1"}; !slices.Equal(seen, want) {
				t.Fatalf("walked %v, want %v", seen, want)
			}
		})
	})

	t.Run("ActiveRooms", func(t *testing.T) {
		s := seeded(t, open)
		tests := []struct {
			limit int
			want  []string
		}{
			{10, []string{"room-b", "room-a"}},
			{1, []string{"room-b"}},
		}
		for _, tc := range tests {
			t.Run(fmt.Sprint(tc.limit), func(t *testing.T) {
				got, err := s.ActiveRooms(ctx, tc.limit)
				if err != nil {
					t.Fatal(err)
				}
				if g := ids(got, roomID); !slices.Equal(g, tc.want) {
					t.Fatalf("got %v, want %v", g, tc.want)
				}
			})
		}
	})

	t.Run("AddMessage", func(t *testing.T) {
		s := seeded(t, open)
		m := chatservice.Message{ID: "n1", RoomID: "room-c", AuthorID: "profile-4", Body: "hello", SentAt: base.Add(time.Hour)}
		ev := event(t, m)
		if err := s.AddMessage(ctx, m, ev); err != nil {
			t.Fatal(err)
		}
		got, err := s.MessagesByIDs(ctx, []string{"n1"})
		if err != nil || len(got) != 1 || got[0].Body != "hello" || !got[0].SentAt.Equal(m.SentAt) {
			t.Fatalf("stored message = %+v, %v", got, err)
		}
		pending, err := s.PendingEvents(ctx, 10)
		if err != nil || len(pending) != 1 {
			t.Fatalf("pending = %+v, %v; want the one event", pending, err)
		}
		p := pending[0]
		if p.ID != ev.ID || p.Topic != ev.Topic || p.Key != ev.Key || p.Type != ev.Type || !p.Time.Equal(ev.Time) || string(p.Payload) != string(ev.Payload) {
			t.Fatalf("pending event = %+v, want %+v", p, ev)
		}
		active, _ := s.ActiveRooms(ctx, 1)
		if len(active) != 1 || active[0].ID != "room-c" {
			t.Fatalf("most active = %+v, want room-c", active)
		}
	})

	t.Run("AddMessageUnknownRoomWritesNothing", func(t *testing.T) {
		s := seeded(t, open)
		m := chatservice.Message{ID: "n2", RoomID: "room-x", AuthorID: "profile-1", Body: "lost", SentAt: base}
		err := s.AddMessage(ctx, m, event(t, m))
		if !errors.Is(err, chatservice.ErrRoomNotFound) {
			t.Fatalf("err = %v, want ErrRoomNotFound", err)
		}
		got, _ := s.MessagesByIDs(ctx, []string{"n2"})
		pending, _ := s.PendingEvents(ctx, 10)
		if len(got) != 0 || len(pending) != 0 {
			t.Fatalf("rejected message left %d messages and %d events", len(got), len(pending))
		}
	})

	t.Run("AddMessageDuplicateIDWritesNothing", func(t *testing.T) {
		s := seeded(t, open)
		m := chatservice.Message{ID: "a1", RoomID: "room-b", AuthorID: "profile-1", Body: "dup", SentAt: base}
		ev := event(t, m)
		ev.ID = "other-event"
		if err := s.AddMessage(ctx, m, ev); err == nil {
			t.Fatal("duplicate message id accepted")
		}
		pending, _ := s.PendingEvents(ctx, 10)
		if len(pending) != 0 {
			t.Fatalf("failed add left %d events", len(pending))
		}
	})

	t.Run("Outbox", func(t *testing.T) {
		s := seeded(t, open)
		var want []string
		for i := range 5 {
			m := chatservice.Message{ID: fmt.Sprintf("o%d", i), RoomID: "room-b", AuthorID: "profile-1", Body: "x", SentAt: base.Add(time.Duration(i) * time.Second)}
			if err := s.AddMessage(ctx, m, event(t, m)); err != nil {
				t.Fatal(err)
			}
			want = append(want, m.ID)
		}
		got, err := s.PendingEvents(ctx, 3)
		if err != nil {
			t.Fatal(err)
		}
		evID := func(e events.Event) string { return e.ID }
		if g := ids(got, evID); !slices.Equal(g, want[:3]) {
			t.Fatalf("first 3 pending = %v, want %v", g, want[:3])
		}
		var payload chatservice.MessagePosted
		if err := json.Unmarshal(got[0].Payload, &payload); err != nil || payload.ID != "o0" || payload.RoomID != "room-b" {
			t.Fatalf("payload = %+v, %v", payload, err)
		}
		if err := s.DeleteEvents(ctx, []string{"o0", "o2", "nope"}); err != nil {
			t.Fatal(err)
		}
		got, _ = s.PendingEvents(ctx, 10)
		if g := ids(got, evID); !slices.Equal(g, []string{"o1", "o3", "o4"}) {
			t.Fatalf("after delete pending = %v", g)
		}
		if err := s.DeleteEvents(ctx, nil); err != nil {
			t.Fatalf("delete none: %v", err)
		}
	})

	t.Run("ReplaceAll", func(t *testing.T) {
		s := seeded(t, open)
		m := chatservice.Message{ID: "n3", RoomID: "room-a", AuthorID: "profile-1", Body: "mine", SentAt: base.Add(time.Hour)}
		if err := s.AddMessage(ctx, m, event(t, m)); err != nil {
			t.Fatal(err)
		}
		rooms, msgs := fixture()
		if err := s.ReplaceAll(ctx, rooms[:1], msgs[:2]); err != nil {
			t.Fatal(err)
		}
		gotRooms, _ := s.RoomsByIDs(ctx, []string{"room-a", "room-b"})
		gotMsgs, _ := s.MessagesByIDs(ctx, []string{"a1", "a2", "a3", "n3"})
		if g := sorted(ids(gotRooms, roomID)); !slices.Equal(g, []string{"room-a"}) {
			t.Fatalf("rooms after replace = %v", g)
		}
		if g := sorted(ids(gotMsgs, messageID)); !slices.Equal(g, []string{"a1", "a2"}) {
			t.Fatalf("messages after replace = %v", g)
		}
		pending, _ := s.PendingEvents(ctx, 10)
		if len(pending) != 1 {
			t.Fatalf("replace dropped pending events: %d left, want 1", len(pending))
		}
	})
}
