// Package chatsqlite is the chat subgraph's embedded Store: rooms, messages
// and the event outbox in one SQLite file under the data directory.
package chatsqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
)

// FileName is the store's database file inside the data directory.
const FileName = "chat.db"

var _ chatservice.Store = (*Store)(nil)

// Store is the SQLite implementation of chatservice.Store.
type Store struct {
	db *sql.DB
}

// Open opens (creating and migrating if needed) the store at path.
func Open(ctx context.Context, path string) (*Store, error) {
	return OpenWith(ctx, path, sqlite.Options{})
}

// OpenWith is Open with the database opened with o (its durability).
func OpenWith(ctx context.Context, path string, o sqlite.Options) (*Store, error) {
	db, err := sqlite.OpenWith(path, o)
	if err != nil {
		return nil, fmt.Errorf("chat store: %w", err)
	}
	if err := sqlite.Migrate(ctx, db, migrations); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("chat store: %w", err)
	}
	return &Store{db: db}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("chat store: %w", err)
	}
	return nil
}

// Empty reports whether no rooms are stored.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	var any int
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM rooms)`).Scan(&any); err != nil {
		return false, fmt.Errorf("count rooms: %w", err)
	}
	return any == 0, nil
}

func fromNanos(n int64) time.Time { return time.Unix(0, n).UTC() }
