// Package catalogsqlite is the catalog's embedded Store on SQLite: one
// database file under the data directory, versioned migrations, and batch
// reads that answer a whole page of keys with one query per table.
package catalogsqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"

	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
)

// FileName is the database file inside the data directory.
const FileName = "catalog.db"

// Store implements catalogservice.Store on SQLite.
type Store struct {
	db *sql.DB
}

var _ catalogservice.Store = (*Store)(nil)

// Open opens (creating and migrating) the catalog database in dataDir.
func Open(ctx context.Context, dataDir string) (*Store, error) {
	return OpenFile(ctx, filepath.Join(dataDir, FileName))
}

// OpenFile opens (creating and migrating) the catalog database at path.
func OpenFile(ctx context.Context, path string) (*Store, error) {
	return OpenWith(ctx, path, sqlite.Options{})
}

// OpenWith is OpenFile with the database opened with o (its durability).
func OpenWith(ctx context.Context, path string, o sqlite.Options) (*Store, error) {
	db, err := sqlite.OpenWith(path, o)
	if err != nil {
		return nil, fmt.Errorf("open catalog store: %w", err)
	}
	if err := sqlite.Migrate(ctx, db, migrations); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("migrate catalog store: %w", err)
	}
	return &Store{db: db}, nil
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error {
	return s.db.PingContext(ctx)
}

// Close closes the database.
func (s *Store) Close() error {
	return s.db.Close()
}

// Version returns the catalog content version.
func (s *Store) Version(ctx context.Context) (int64, error) {
	var v int64
	err := s.db.QueryRowContext(ctx, `SELECT value FROM catalog_meta WHERE key = 'version'`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read catalog version: %w", err)
	}
	return v, nil
}
