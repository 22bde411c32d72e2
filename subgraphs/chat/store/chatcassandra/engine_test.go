package chatcassandra

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/cassandra/cassandratest"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
)

// TestDayBuckets checks what the day partitions must not change: pages,
// stats and activity that span several days of a room.
func TestDayBuckets(t *testing.T) {
	cfg := cassandratest.Config(t)
	s := openFresh(t, cfg)
	ctx := context.Background()
	day := time.Date(2026, time.May, 10, 0, 0, 0, 0, time.UTC)
	rooms := []chatservice.Room{
		{ID: "r-long", TitleID: "t1", TitleName: "Long"},
		{ID: "r-late", TitleID: "t2", TitleName: "Late"},
		{ID: "r-old", TitleID: "t3", TitleName: "Old"},
	}
	at := []time.Time{
		day.Add(-48 * time.Hour),  // two days before
		day.Add(-time.Nanosecond), // last instant of the day before
		day,                       // first instant of the day
		day.Add(time.Hour),
		day.Add(time.Hour), // same instant: id breaks the tie
		day.Add(72 * time.Hour),
	}
	var msgs []chatservice.Message
	var want []string
	for i, ts := range at {
		m := chatservice.Message{ID: fmt.Sprintf("m%d", i), RoomID: "r-long", AuthorID: "p", Body: "b", SentAt: ts}
		msgs = append(msgs, m)
		want = append([]string{m.ID}, want...)
	}
	msgs = append(msgs,
		chatservice.Message{ID: "late", RoomID: "r-late", AuthorID: "p", Body: "b", SentAt: day.Add(72*time.Hour + time.Minute)},
		chatservice.Message{ID: "old", RoomID: "r-old", AuthorID: "p", Body: "b", SentAt: day.Add(-72 * time.Hour)},
	)
	if err := s.ReplaceAll(ctx, rooms, msgs); err != nil {
		t.Fatal(err)
	}

	for _, limit := range []int{1, 2, 4, 10} {
		t.Run(fmt.Sprintf("walk by %d", limit), func(t *testing.T) {
			var seen []string
			q := chatservice.PageQuery{RoomID: "r-long", Limit: limit}
			for range 20 {
				pages, err := s.MessagePages(ctx, []chatservice.PageQuery{q})
				if err != nil {
					t.Fatal(err)
				}
				p := pages[0]
				for _, m := range p.Messages {
					seen = append(seen, m.ID)
				}
				if !p.HasMore {
					break
				}
				q.Before = chatservice.CursorOf(p.Messages[len(p.Messages)-1])
			}
			if !slices.Equal(seen, want) {
				t.Fatalf("walked %v, want %v", seen, want)
			}
		})
	}

	stats, err := s.RoomStats(ctx, []string{"r-long", "r-old"})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range stats {
		if st.RoomID == "r-long" && (st.MessageCount != len(at) || !st.LastMessageAt.Equal(at[len(at)-1])) {
			t.Fatalf("r-long stats %+v, want %d messages, last %v", st, len(at), at[len(at)-1])
		}
		if st.RoomID == "r-old" && st.MessageCount != 1 {
			t.Fatalf("r-old stats %+v", st)
		}
	}
	if len(stats) != 2 {
		t.Fatalf("stats for %d rooms, want 2", len(stats))
	}

	// r-long and r-late share their newest day; r-late's message is later.
	tests := []struct {
		limit int
		want  []string
	}{{1, []string{"r-late"}}, {2, []string{"r-late", "r-long"}}, {5, []string{"r-late", "r-long", "r-old"}}}
	for _, tc := range tests {
		got, err := s.ActiveRooms(ctx, tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range got {
			ids = append(ids, r.ID)
		}
		if !slices.Equal(ids, tc.want) {
			t.Fatalf("ActiveRooms(%d) = %v, want %v", tc.limit, ids, tc.want)
		}
	}
}

// TestReopen runs the migrations again on an existing keyspace and finds
// the data and the pending event still there.
func TestReopen(t *testing.T) {
	cfg := cassandratest.Config(t)
	ctx := context.Background()
	s := openFresh(t, cfg)
	room := chatservice.Room{ID: "r1", TitleID: "t1", TitleName: "One"}
	if err := s.ReplaceAll(ctx, []chatservice.Room{room}, nil); err != nil {
		t.Fatal(err)
	}
	m := chatservice.Message{ID: "m1", RoomID: "r1", AuthorID: "p", Body: "kept", SentAt: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)}
	ev, err := chatservice.PostedEvent(m, room.TitleID)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddMessage(ctx, m, ev); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.MessagesByIDs(ctx, []string{"m1"})
	if err != nil || len(got) != 1 || got[0] != m {
		t.Fatalf("message after reopen = %+v, %v; want %+v", got, err, m)
	}
	pending, err := s.PendingEvents(ctx, 10)
	if err != nil || len(pending) != 1 || pending[0].ID != ev.ID {
		t.Fatalf("pending after reopen = %+v, %v", pending, err)
	}
	// The id stays claimed: a second message with it is refused.
	if err := s.AddMessage(ctx, m, ev); !errors.Is(err, ErrDuplicateMessage) {
		t.Fatalf("second add = %v, want ErrDuplicateMessage", err)
	}
}

// TestSeedData stores the generated rooms and messages and reads them back
// through every index.
func TestSeedData(t *testing.T) {
	cfg := cassandratest.Config(t)
	s := openFresh(t, cfg)
	ctx := context.Background()
	rooms, msgs := chatservice.SeedData(seed.Generate())
	if err := s.ReplaceAll(ctx, rooms, msgs); err != nil {
		t.Fatal(err)
	}
	roomIDs := make([]string, len(rooms))
	titleIDs := make([]string, len(rooms))
	for i, r := range rooms {
		roomIDs[i], titleIDs[i] = r.ID, r.TitleID
	}
	byTitle, err := s.RoomsByTitleIDs(ctx, titleIDs)
	if err != nil || len(byTitle) != len(rooms) {
		t.Fatalf("rooms by title: %d (err %v), want %d", len(byTitle), err, len(rooms))
	}
	stats, err := s.RoomStats(ctx, roomIDs)
	if err != nil {
		t.Fatal(err)
	}
	perRoom := map[string]int{}
	for _, m := range msgs {
		perRoom[m.RoomID]++
	}
	total := 0
	for _, st := range stats {
		if st.MessageCount != perRoom[st.RoomID] {
			t.Fatalf("room %s: %d messages, want %d", st.RoomID, st.MessageCount, perRoom[st.RoomID])
		}
		total += st.MessageCount
	}
	if total != len(msgs) || len(stats) != len(perRoom) {
		t.Fatalf("stats count %d messages in %d rooms, want %d in %d", total, len(stats), len(msgs), len(perRoom))
	}
	active, err := s.ActiveRooms(ctx, 5)
	if err != nil || len(active) != min(5, len(perRoom)) {
		t.Fatalf("active rooms %d, %v", len(active), err)
	}
}
