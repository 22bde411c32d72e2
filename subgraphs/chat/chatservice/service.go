package chatservice

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/outbox"
)

// Service applies the chat rules on top of a Store.
type Service struct {
	store  Store
	now    func() time.Time
	newID  func() (string, error)
	notify func()
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock messages are stamped with.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithIDs sets how message ids are made; they must sort by time.
func WithIDs(newID func() (string, error)) Option { return func(s *Service) { s.newID = newID } }

// WithNotify sets a function called after each stored message, so the
// outbox relay publishes its event without waiting for its next poll.
func WithNotify(notify func()) Option {
	return func(s *Service) {
		if notify != nil {
			s.notify = notify
		}
	}
}

// New returns a Service over store; a nil store is a wiring mistake and
// panics.
func New(store Store, opts ...Option) *Service {
	if store == nil {
		panic("chat service: nil store")
	}
	s := &Service{store: store, now: time.Now, newID: newMessageID, notify: func() {}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// newMessageID returns a UUIDv7: its leading bits are the creation time in
// milliseconds, so ids sort by time.
func newMessageID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("new message id: %w", err)
	}
	return id.String(), nil
}

// Room returns the room with id, or nil when there is none.
func (s *Service) Room(ctx context.Context, id string) (*Room, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	rooms, err := s.RoomsByIDs(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	return rooms[0], nil
}

// RequireRoom returns the room with id, or NOT_FOUND; field names the
// argument id came from.
func (s *Service) RequireRoom(ctx context.Context, field, id string) (*Room, error) {
	if err := checkID(field, id); err != nil {
		return nil, err
	}
	rooms, err := s.RoomsByIDs(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if rooms[0] == nil {
		return nil, errs.Missing("chat room", id)
	}
	return rooms[0], nil
}

// RoomsByIDs returns the rooms aligned with ids; nil where none exists.
func (s *Service) RoomsByIDs(ctx context.Context, ids []string) ([]*Room, error) {
	found, err := s.store.RoomsByIDs(ctx, validIDs(ids))
	if err != nil {
		return nil, fmt.Errorf("load rooms: %w", err)
	}
	return align(ids, found, func(r Room) string { return r.ID }), nil
}

// RoomsByTitleIDs returns the rooms of the titles aligned with titleIDs;
// nil where a title has none.
func (s *Service) RoomsByTitleIDs(ctx context.Context, titleIDs []string) ([]*Room, error) {
	found, err := s.store.RoomsByTitleIDs(ctx, validIDs(titleIDs))
	if err != nil {
		return nil, fmt.Errorf("load rooms by title: %w", err)
	}
	return align(titleIDs, found, func(r Room) string { return r.TitleID }), nil
}

// MessagesByIDs returns the messages aligned with ids; nil where none exists.
func (s *Service) MessagesByIDs(ctx context.Context, ids []string) ([]*Message, error) {
	found, err := s.store.MessagesByIDs(ctx, validIDs(ids))
	if err != nil {
		return nil, fmt.Errorf("load messages: %w", err)
	}
	return align(ids, found, func(m Message) string { return m.ID }), nil
}

// RoomStats returns the stats aligned with roomIDs; a room without messages
// (or without existence) has zero stats.
func (s *Service) RoomStats(ctx context.Context, roomIDs []string) ([]RoomStats, error) {
	found, err := s.store.RoomStats(ctx, validIDs(roomIDs))
	if err != nil {
		return nil, fmt.Errorf("load room stats: %w", err)
	}
	aligned := align(roomIDs, found, func(st RoomStats) string { return st.RoomID })
	out := make([]RoomStats, len(roomIDs))
	for i, st := range aligned {
		if st != nil {
			out[i] = *st
		} else {
			out[i] = RoomStats{RoomID: roomIDs[i]}
		}
	}
	return out, nil
}

// PageQuery validates the arguments of ChatRoom.messages.
func (s *Service) PageQuery(roomID string, first int, before *string) (PageQuery, error) {
	if err := checkFirst("first", first); err != nil {
		return PageQuery{}, err
	}
	q := PageQuery{RoomID: roomID, Limit: first}
	if before != nil && *before != "" {
		c, err := DecodeCursor("before", *before)
		if err != nil {
			return PageQuery{}, err
		}
		q.Before = c
	}
	return q, nil
}

// MessagePages answers each query (validated by PageQuery) in one store call.
func (s *Service) MessagePages(ctx context.Context, qs []PageQuery) ([]Page, error) {
	for _, q := range qs {
		if q.Limit < 1 || q.Limit > MaxFirst {
			return nil, errs.Invalid("first", "first must be between 1 and %d, got %d", MaxFirst, q.Limit)
		}
	}
	pages, err := s.store.MessagePages(ctx, qs)
	if err != nil {
		return nil, fmt.Errorf("load message pages: %w", err)
	}
	if len(pages) != len(qs) {
		return nil, fmt.Errorf("load message pages: store answered %d pages for %d queries", len(pages), len(qs))
	}
	return pages, nil
}

// ActiveRooms returns up to first rooms, the most recently active first.
func (s *Service) ActiveRooms(ctx context.Context, first int) ([]Room, error) {
	if err := checkFirst("first", first); err != nil {
		return nil, err
	}
	rooms, err := s.store.ActiveRooms(ctx, first)
	if err != nil {
		return nil, fmt.Errorf("load active rooms: %w", err)
	}
	return rooms, nil
}

// PostMessage stores a message by author in room roomID together with the
// event announcing it, in one transaction.
func (s *Service) PostMessage(ctx context.Context, roomID, authorID, body string) (*Message, error) {
	if err := checkID("authorId", authorID); err != nil {
		return nil, err
	}
	body, err := NormalizeBody(body)
	if err != nil {
		return nil, err
	}
	room, err := s.RequireRoom(ctx, "roomId", roomID)
	if err != nil {
		return nil, err
	}
	id, err := s.newID()
	if err != nil {
		return nil, err
	}
	// Milliseconds, the precision of the id's clock, so ids and sentAt agree.
	m := Message{ID: id, RoomID: room.ID, AuthorID: authorID, Body: body, SentAt: s.now().UTC().Truncate(time.Millisecond)}
	ev, err := PostedEvent(m, room.TitleID)
	if err != nil {
		return nil, err
	}
	// The relay publishes the event later, from another goroutine: sealed
	// with this request's trace context, it continues this trace.
	ev = outbox.Seal(ctx, ev)
	if err := s.store.AddMessage(ctx, m, ev); err != nil {
		if errors.Is(err, ErrRoomNotFound) {
			return nil, errs.Missing("chat room", roomID)
		}
		return nil, fmt.Errorf("post message to %s: %w", roomID, err)
	}
	s.notify()
	return &m, nil
}

// PostedEvent is the chat.messages event announcing m: keyed by room so a
// room's messages stay in order, identified by the message id so a relayed
// duplicate is stored once.
func PostedEvent(m Message, titleID string) (events.Event, error) {
	payload := MessagePosted{ID: m.ID, RoomID: m.RoomID, TitleID: titleID, AuthorID: m.AuthorID, Body: m.Body, SentAt: m.SentAt}
	return events.New(events.TopicChatMessages, m.RoomID, EventMessagePosted, m.ID, m.SentAt, payload)
}

// Ping checks the store.
func (s *Service) Ping(ctx context.Context) error { return s.store.Ping(ctx) }

// validIDs drops duplicates and ids that cannot exist, so stores see only
// well-formed, distinct keys.
func validIDs(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if seen[id] || !ValidID(id) {
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	return out
}

// align orders found by keys, nil where a key has no record.
func align[T any](keys []string, found []T, key func(T) string) []*T {
	byKey := make(map[string]*T, len(found))
	for i := range found {
		byKey[key(found[i])] = &found[i]
	}
	out := make([]*T, len(keys))
	for i, k := range keys {
		out[i] = byKey[k]
	}
	return out
}
