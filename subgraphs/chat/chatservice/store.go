package chatservice

import (
	"context"
	"errors"

	"github.com/cinegraph/cinegraph/internal/events"
)

// ErrRoomNotFound is returned by Store.AddMessage when the message's room
// does not exist.
var ErrRoomNotFound = errors.New("room not found")

// Store is the chat subgraph's storage contract. The embedded SQLite store
// implements it today; distributed engines implement the same contract
// later, so every read is a batch over many keys and every write that
// touches several records is atomic.
//
// Batch reads return the records found, in no particular order; missing
// keys are simply absent. Callers align results to their keys.
type Store interface {
	// RoomsByIDs returns the rooms with the given ids.
	RoomsByIDs(ctx context.Context, ids []string) ([]Room, error)
	// RoomsByTitleIDs returns the rooms of the given titles.
	RoomsByTitleIDs(ctx context.Context, titleIDs []string) ([]Room, error)
	// MessagesByIDs returns the messages with the given ids.
	MessagesByIDs(ctx context.Context, ids []string) ([]Message, error)
	// RoomStats returns the stats of the given rooms that have messages.
	RoomStats(ctx context.Context, roomIDs []string) ([]RoomStats, error)
	// MessagePages answers each query, newest first; the result is aligned
	// with qs (one Page per query, in order).
	MessagePages(ctx context.Context, qs []PageQuery) ([]Page, error)
	// ActiveRooms returns up to limit rooms that have messages, the room
	// with the most recent message first (ties by room id).
	ActiveRooms(ctx context.Context, limit int) ([]Room, error)

	// AddMessage stores m and ev, the event announcing it, atomically: both
	// or neither. It returns ErrRoomNotFound when m's room does not exist.
	AddMessage(ctx context.Context, m Message, ev events.Event) error
	// PendingEvents returns up to limit stored events not yet deleted,
	// oldest first.
	PendingEvents(ctx context.Context, limit int) ([]events.Event, error)
	// DeleteEvents removes the stored events with the given ids.
	DeleteEvents(ctx context.Context, ids []string) error

	// ReplaceAll makes rooms and msgs the store's whole chat data, in one
	// transaction. Pending events are kept.
	ReplaceAll(ctx context.Context, rooms []Room, msgs []Message) error
	// Empty reports whether the store holds no rooms.
	Empty(ctx context.Context) (bool, error)
	// Ping checks the store can serve.
	Ping(ctx context.Context) error
	// Close releases the store.
	Close() error
}
