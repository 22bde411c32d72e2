package chatservice

import (
	"context"
	"fmt"

	"github.com/cinegraph/cinegraph/internal/seed"
)

// SeedData returns the chat part of the shared fixture.
func SeedData(f *seed.Fixture) ([]Room, []Message) {
	rooms := make([]Room, len(f.Rooms))
	for i, r := range f.Rooms {
		rooms[i] = Room{ID: r.ID, TitleID: r.TitleID, TitleName: r.TitleName}
	}
	msgs := make([]Message, len(f.Messages))
	for i, m := range f.Messages {
		msgs[i] = Message{ID: m.ID, RoomID: m.RoomID, AuthorID: m.AuthorID, Body: m.Body, SentAt: m.SentAt.UTC()}
	}
	return rooms, msgs
}

// Seed replaces all rooms and messages with the fixture's; events still
// waiting in the outbox are kept and relayed.
func (s *Service) Seed(ctx context.Context, f *seed.Fixture) error {
	rooms, msgs := SeedData(f)
	if err := s.store.ReplaceAll(ctx, rooms, msgs); err != nil {
		return fmt.Errorf("seed chat: %w", err)
	}
	return nil
}

// Empty reports whether the store holds no rooms yet.
func (s *Service) Empty(ctx context.Context) (bool, error) {
	empty, err := s.store.Empty(ctx)
	if err != nil {
		return false, fmt.Errorf("check for rooms: %w", err)
	}
	return empty, nil
}

var _ seed.Seeder = (*Service)(nil)
