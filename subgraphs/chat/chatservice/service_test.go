package chatservice_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
	"github.com/cinegraph/cinegraph/subgraphs/chat/store/chatsqlite"
)

func newService(t *testing.T, opts ...chatservice.Option) (*chatservice.Service, chatservice.Store) {
	t.Helper()
	store, err := chatsqlite.Open(context.Background(), filepath.Join(t.TempDir(), "chat.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	rooms := []chatservice.Room{{ID: "room-t1", TitleID: "t1", TitleName: "One"}, {ID: "room-t2", TitleID: "t2", TitleName: "Two"}}
	msgs := []chatservice.Message{{ID: "m1", RoomID: "room-t1", AuthorID: "profile-1", Body: "hi", SentAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}}
	if err := store.ReplaceAll(context.Background(), rooms, msgs); err != nil {
		t.Fatal(err)
	}
	return chatservice.New(store, opts...), store
}

func wantCode(t *testing.T, err error, code errs.Code, field string) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok {
		t.Fatalf("err = %v, want a coded %s error", err, code)
	}
	if e.Code != code || e.Field != field {
		t.Fatalf("err = %s (field %q), want %s (field %q)", e.Code, e.Field, code, field)
	}
}

func TestNormalizeBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{"plain", "hello", "hello", false},
		{"trimmed", "  \n hello there \t\n", "hello there", false},
		{"inner newline kept", "line one\nline two", "line one\nline two", false},
		{"crlf normalised", "a\r\nb", "a\nb", false},
		{"unicode counts runes", strings.Repeat("é", chatservice.MaxBodyRunes), strings.Repeat("é", chatservice.MaxBodyRunes), false},
		{"empty", "", "", true},
		{"only space", " \n\t ", "", true},
		{"too long", strings.Repeat("a", chatservice.MaxBodyRunes+1), "", true},
		{"tab inside", "a\tb", "", true},
		{"nul", "a\x00b", "", true},
		{"bell", "a\ab", "", true},
		{"lone carriage return", "a\rb", "", true},
		{"escape", "a\x1b[31mred", "", true},
		{"c1 control", "a\u0085b", "", true},
		{"invalid utf8", "a\xffb", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := chatservice.NormalizeBody(tc.in)
			if tc.wantErr {
				wantCode(t, err, errs.BadUserInput, "body")
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("NormalizeBody(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestCursorRoundTrip(t *testing.T) {
	t.Parallel()
	c := chatservice.Cursor{SentAt: time.Date(2026, 5, 6, 7, 8, 9, 123456789, time.UTC), ID: "019a-abc"}
	got, err := chatservice.DecodeCursor("before", chatservice.EncodeCursor(c))
	if err != nil || got != c {
		t.Fatalf("round trip = %+v, %v; want %+v", got, err, c)
	}
	for _, bad := range []string{"", "!!!", "bm9wZQ", "bTE6YWJjOmlk", "bTE6MTIzOg", "bTE6LTE6aWQ", strings.Repeat("A", 300)} {
		t.Run(bad, func(t *testing.T) {
			if _, err := chatservice.DecodeCursor("before", bad); err == nil {
				t.Fatalf("DecodeCursor(%q) accepted", bad)
			} else {
				wantCode(t, err, errs.BadUserInput, "before")
			}
		})
	}
}

func TestPageQuery(t *testing.T) {
	t.Parallel()
	svc, _ := newService(t)
	cursor := chatservice.EncodeCursor(chatservice.Cursor{SentAt: time.Unix(10, 0).UTC(), ID: "m1"})
	bad := "garbage"
	empty := ""
	tests := []struct {
		name    string
		first   int
		before  *string
		wantErr string // field, "" for success
	}{
		{"min", 1, nil, ""},
		{"max", chatservice.MaxFirst, nil, ""},
		{"empty before", 5, &empty, ""},
		{"cursor", 5, &cursor, ""},
		{"zero", 0, nil, "first"},
		{"negative", -1, nil, "first"},
		{"too many", chatservice.MaxFirst + 1, nil, "first"},
		{"bad cursor", 5, &bad, "before"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := svc.PageQuery("room-t1", tc.first, tc.before)
			if tc.wantErr != "" {
				wantCode(t, err, errs.BadUserInput, tc.wantErr)
				return
			}
			if err != nil || q.Limit != tc.first || q.RoomID != "room-t1" {
				t.Fatalf("PageQuery = %+v, %v", q, err)
			}
		})
	}
}

func TestRoomLookups(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, _ := newService(t)
	tests := []struct {
		name     string
		id       string
		wantRoom bool
		wantErr  errs.Code
	}{
		{"found", "room-t1", true, ""},
		{"unknown", "room-zz", false, ""},
		{"empty", "", false, errs.BadUserInput},
		{"malformed", "room t1; drop", false, errs.BadUserInput},
		{"too long", strings.Repeat("r", 200), false, errs.BadUserInput},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			room, err := svc.Room(ctx, tc.id)
			if tc.wantErr != "" {
				wantCode(t, err, tc.wantErr, "id")
				return
			}
			if err != nil || (room != nil) != tc.wantRoom {
				t.Fatalf("Room(%q) = %+v, %v", tc.id, room, err)
			}
		})
	}
	_, err := svc.RequireRoom(ctx, "roomId", "room-zz")
	wantCode(t, err, errs.NotFound, "")

	rooms, err := svc.RoomsByIDs(ctx, []string{"room-t2", "bad id", "room-zz", "room-t2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rooms) != 4 || rooms[0].ID != "room-t2" || rooms[1] != nil || rooms[2] != nil || rooms[3].ID != "room-t2" {
		t.Fatalf("RoomsByIDs not aligned: %+v", rooms)
	}
	stats, err := svc.RoomStats(ctx, []string{"room-t2", "room-t1"})
	if err != nil || stats[0].RoomID != "room-t2" || stats[0].MessageCount != 0 || stats[1].MessageCount != 1 {
		t.Fatalf("RoomStats = %+v, %v", stats, err)
	}
	if _, err := svc.ActiveRooms(ctx, 0); err == nil {
		t.Fatal("ActiveRooms(0) accepted")
	}
}

func TestPostMessage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 11, 1, 10, 0, 0, 987654321, time.UTC)
	posted := 0
	svc, store := newService(t, chatservice.WithClock(func() time.Time { return now }), chatservice.WithNotify(func() { posted++ }))

	m, err := svc.PostMessage(ctx, "room-t2", "profile-3", "  great film!  ")
	if err != nil {
		t.Fatal(err)
	}
	if m.Body != "great film!" || m.AuthorID != "profile-3" || m.RoomID != "room-t2" || !m.SentAt.Equal(now.Truncate(time.Millisecond)) {
		t.Fatalf("posted %+v", m)
	}
	if posted != 1 {
		t.Fatalf("OnPosted called %d times, want 1", posted)
	}
	pending, err := store.PendingEvents(ctx, 10)
	if err != nil || len(pending) != 1 {
		t.Fatalf("outbox = %+v, %v", pending, err)
	}
	ev := pending[0]
	if ev.ID != m.ID || ev.Key != "room-t2" || ev.Type != chatservice.EventMessagePosted {
		t.Fatalf("event = %+v", ev)
	}
	if want := `"titleId":"t2"`; !strings.Contains(string(ev.Payload), want) {
		t.Fatalf("payload %s lacks %s", ev.Payload, want)
	}

	second, err := svc.PostMessage(ctx, "room-t2", "profile-3", "again")
	if err != nil {
		t.Fatal(err)
	}
	if second.ID <= m.ID {
		t.Fatalf("ids not increasing with time: %s then %s", m.ID, second.ID)
	}

	rejects := []struct {
		name, room, author, body string
		code                     errs.Code
		field                    string
	}{
		{"unknown room", "room-zz", "profile-1", "hi", errs.NotFound, ""},
		{"malformed room", "room zz", "profile-1", "hi", errs.BadUserInput, "roomId"},
		{"empty body", "room-t1", "profile-1", "   ", errs.BadUserInput, "body"},
		{"control body", "room-t1", "profile-1", "a\x07", errs.BadUserInput, "body"},
		{"long body", "room-t1", "profile-1", strings.Repeat("x", 1001), errs.BadUserInput, "body"},
		{"bad author", "room-t1", "", "hi", errs.BadUserInput, "authorId"},
	}
	for _, tc := range rejects {
		t.Run(tc.name, func(t *testing.T) {
			_, err := svc.PostMessage(ctx, tc.room, tc.author, tc.body)
			wantCode(t, err, tc.code, tc.field)
		})
	}
	pending, _ = store.PendingEvents(ctx, 10)
	stats, _ := svc.RoomStats(ctx, []string{"room-t1", "room-t2"})
	if len(pending) != 2 || stats[0].MessageCount != 1 || stats[1].MessageCount != 2 || posted != 2 {
		t.Fatalf("rejected posts wrote something: %d events, stats %+v, posted %d", len(pending), stats, posted)
	}
}
