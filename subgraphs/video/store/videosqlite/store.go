// Package videosqlite is the video subgraph's embedded Store: one SQLite
// database file holding videos, renditions, viewing history, playback
// sessions and the event outbox.
package videosqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"

	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

// FileName is the database file inside the data directory.
const FileName = "video.db"

// Store implements videoservice.Store on SQLite.
type Store struct {
	db *sql.DB
}

var _ videoservice.Store = (*Store)(nil)

// OpenDir opens (creating and migrating) the store in dataDir.
func OpenDir(ctx context.Context, dataDir string) (*Store, error) {
	return Open(ctx, filepath.Join(dataDir, FileName))
}

// Open opens (creating and migrating) the store at path.
func Open(ctx context.Context, path string) (*Store, error) {
	return OpenWith(ctx, path, sqlite.Options{})
}

// OpenWith is Open with the database opened with o (its durability).
func OpenWith(ctx context.Context, path string, o sqlite.Options) (*Store, error) {
	db, err := sqlite.OpenWith(path, o)
	if err != nil {
		return nil, fmt.Errorf("open video store: %w", err)
	}
	if err := sqlite.Migrate(ctx, db, migrations); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("migrate video store: %w", err)
	}
	return &Store{db: db}, nil
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("ping video store: %w", err)
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Empty reports whether no video is stored yet.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, `SELECT 1 FROM videos LIMIT 1`).Scan(&one)
	if err == sql.ErrNoRows {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("check for videos: %w", err)
	}
	return false, nil
}
