package service

import "github.com/cinegraph/cinegraph/internal/seed"

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
