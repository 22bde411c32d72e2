// Package insightssqlite is the embedded insights Store: one pure-Go SQLite
// file (<DataDir>/insights.db) holding message scores, frame detections and
// views.
package insightssqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"

	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
)

// FileName is the database file under the data dir.
const FileName = "insights.db"

// Store implements insightsservice.Store on SQLite.
type Store struct {
	db *sql.DB
}

var _ insightsservice.Store = (*Store)(nil)

// Open opens (creating and migrating if needed) the store in dataDir.
func Open(ctx context.Context, dataDir string) (*Store, error) {
	return OpenFile(ctx, filepath.Join(dataDir, FileName))
}

// OpenFile opens the store at an explicit path.
func OpenFile(ctx context.Context, path string) (*Store, error) {
	return OpenWith(ctx, path, sqlite.Options{})
}

// OpenWith is OpenFile with the database opened with o (its durability).
func OpenWith(ctx context.Context, path string, o sqlite.Options) (*Store, error) {
	db, err := sqlite.OpenWith(path, o)
	if err != nil {
		return nil, fmt.Errorf("open insights store: %w", err)
	}
	if err := sqlite.Migrate(ctx, db, migrations); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("migrate insights store: %w", err)
	}
	return &Store{db: db}, nil
}

// Ping implements insightsservice.Store.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// Close implements insightsservice.Store.
func (s *Store) Close() error { return s.db.Close() }

// Empty implements insightsservice.Store.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	var any int
	err := s.db.QueryRowContext(ctx, `SELECT
		EXISTS(SELECT 1 FROM message_scores) OR EXISTS(SELECT 1 FROM detections) OR EXISTS(SELECT 1 FROM views)`).Scan(&any)
	if err != nil {
		return false, fmt.Errorf("check insights store is empty: %w", err)
	}
	return any == 0, nil
}
