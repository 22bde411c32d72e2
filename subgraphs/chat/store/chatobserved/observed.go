// Package chatobserved decorates a chat store, whatever its engine, with a
// client span and a timing per call of the chatservice.Store contract
// (internal/storetrace). The module wraps every store it opens with it, so
// an operator sees the same spans and series on SQLite and Cassandra.
package chatobserved

import (
	"context"
	"errors"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/storetrace"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
)

// Subgraph is the subgraph label of the chat store's calls.
const Subgraph = "chat"

// Wrap returns next with its calls traced and timed as a store on system
// (storetrace.SQLite, storetrace.Cassandra). prefix is what the engine puts
// before the contract's collection names in its tables ("chat_" on
// Cassandra), so db.collection.name names a real table.
func Wrap(next chatservice.Store, system, prefix string) chatservice.Store {
	return WrapWith(next, storetrace.Options{Subgraph: Subgraph, System: system}, prefix)
}

// WrapWith is Wrap with the instrument's options spelled out (tests pass
// their own provider and metrics); Subgraph and Expected are filled in
// when empty.
func WrapWith(next chatservice.Store, o storetrace.Options, prefix string) chatservice.Store {
	if o.Subgraph == "" {
		o.Subgraph = Subgraph
	}
	if o.Expected == nil {
		o.Expected = expected
	}
	in := storetrace.New(o)
	c := func(name string) string { return prefix + name }
	return &store{
		next:            next,
		roomsByIDs:      in.Op("RoomsByIDs", c("rooms")),
		roomsByTitleIDs: in.Op("RoomsByTitleIDs", c("rooms")),
		messagesByIDs:   in.Op("MessagesByIDs", c("messages")),
		roomStats:       in.Op("RoomStats", c("messages")),
		messagePages:    in.Op("MessagePages", c("messages")),
		activeRooms:     in.Op("ActiveRooms", c("rooms")),
		addMessage:      in.Op("AddMessage", c("messages")),
		pendingEvents:   in.Op("PendingEvents", c("outbox")),
		deleteEvents:    in.Op("DeleteEvents", c("outbox")),
		replaceAll:      in.Op("ReplaceAll", ""),
		empty:           in.Op("Empty", c("rooms")),
		ping:            in.Op("Ping", ""),
	}
}

// expected: a message for a room that does not exist is the contract's
// answer (the service maps it to NOT_FOUND), not the store failing.
func expected(err error) bool { return errors.Is(err, chatservice.ErrRoomNotFound) }

type store struct {
	next chatservice.Store

	roomsByIDs, roomsByTitleIDs, messagesByIDs, roomStats, messagePages, activeRooms *storetrace.Op
	addMessage, pendingEvents, deleteEvents, replaceAll, empty, ping                 *storetrace.Op
}

func (s *store) RoomsByIDs(ctx context.Context, ids []string) ([]chatservice.Room, error) {
	ctx, c := s.roomsByIDs.Start(ctx)
	out, err := s.next.RoomsByIDs(ctx, ids)
	c.End(err)
	return out, err
}

func (s *store) RoomsByTitleIDs(ctx context.Context, titleIDs []string) ([]chatservice.Room, error) {
	ctx, c := s.roomsByTitleIDs.Start(ctx)
	out, err := s.next.RoomsByTitleIDs(ctx, titleIDs)
	c.End(err)
	return out, err
}

func (s *store) MessagesByIDs(ctx context.Context, ids []string) ([]chatservice.Message, error) {
	ctx, c := s.messagesByIDs.Start(ctx)
	out, err := s.next.MessagesByIDs(ctx, ids)
	c.End(err)
	return out, err
}

func (s *store) RoomStats(ctx context.Context, roomIDs []string) ([]chatservice.RoomStats, error) {
	ctx, c := s.roomStats.Start(ctx)
	out, err := s.next.RoomStats(ctx, roomIDs)
	c.End(err)
	return out, err
}

func (s *store) MessagePages(ctx context.Context, qs []chatservice.PageQuery) ([]chatservice.Page, error) {
	ctx, c := s.messagePages.Start(ctx)
	out, err := s.next.MessagePages(ctx, qs)
	c.End(err)
	return out, err
}

func (s *store) ActiveRooms(ctx context.Context, limit int) ([]chatservice.Room, error) {
	ctx, c := s.activeRooms.Start(ctx)
	out, err := s.next.ActiveRooms(ctx, limit)
	c.End(err)
	return out, err
}

func (s *store) AddMessage(ctx context.Context, m chatservice.Message, ev events.Event) error {
	ctx, c := s.addMessage.Start(ctx)
	err := s.next.AddMessage(ctx, m, ev)
	c.End(err)
	return err
}

func (s *store) PendingEvents(ctx context.Context, limit int) ([]events.Event, error) {
	ctx, c := s.pendingEvents.Start(ctx)
	out, err := s.next.PendingEvents(ctx, limit)
	c.End(err)
	return out, err
}

func (s *store) DeleteEvents(ctx context.Context, ids []string) error {
	ctx, c := s.deleteEvents.Start(ctx)
	err := s.next.DeleteEvents(ctx, ids)
	c.End(err)
	return err
}

func (s *store) ReplaceAll(ctx context.Context, rooms []chatservice.Room, msgs []chatservice.Message) error {
	ctx, c := s.replaceAll.Start(ctx)
	err := s.next.ReplaceAll(ctx, rooms, msgs)
	c.End(err)
	return err
}

func (s *store) Empty(ctx context.Context) (bool, error) {
	ctx, c := s.empty.Start(ctx)
	out, err := s.next.Empty(ctx)
	c.End(err)
	return out, err
}

func (s *store) Ping(ctx context.Context) error {
	ctx, c := s.ping.Start(ctx)
	err := s.next.Ping(ctx)
	c.End(err)
	return err
}

// Close is not a call to time: it releases the store once.
func (s *store) Close() error { return s.next.Close() }
