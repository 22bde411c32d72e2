package chatsqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
	"github.com/cinegraph/cinegraph/subgraphs/chat/store/chatstoretest"
)

func openAt(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestContract(t *testing.T) {
	t.Parallel()
	chatstoretest.Run(t, func(t *testing.T) chatservice.Store {
		s := openAt(t, filepath.Join(t.TempDir(), FileName))
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}

func TestDataSurvivesReopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	s := openAt(t, path)
	rooms, msgs := chatservice.SeedData(seed.Generate())
	if err := s.ReplaceAll(ctx, rooms, msgs); err != nil {
		t.Fatal(err)
	}
	m := chatservice.Message{ID: "019a0000-0000-7000-8000-000000000001", RoomID: rooms[0].ID, AuthorID: "profile-2", Body: "still here", SentAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
	ev, err := chatservice.PostedEvent(m, rooms[0].TitleID)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddMessage(ctx, m, ev); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openAt(t, path)
	defer s.Close()
	empty, err := s.Empty(ctx)
	if err != nil || empty {
		t.Fatalf("reopened store empty=%v err=%v", empty, err)
	}
	got, err := s.MessagesByIDs(ctx, []string{m.ID, msgs[0].ID})
	if err != nil || len(got) != 2 {
		t.Fatalf("messages after reopen = %+v, %v", got, err)
	}
	pending, err := s.PendingEvents(ctx, 10)
	if err != nil || len(pending) != 1 || pending[0].ID != m.ID {
		t.Fatalf("pending after reopen = %+v, %v", pending, err)
	}
	stats, err := s.RoomStats(ctx, []string{rooms[0].ID})
	if err != nil || len(stats) != 1 || stats[0].LastMessageAt == nil || !stats[0].LastMessageAt.Equal(m.SentAt) {
		t.Fatalf("stats after reopen = %+v, %v", stats, err)
	}
}
