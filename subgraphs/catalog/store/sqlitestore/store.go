// Package sqlitestore is the catalog's embedded Store on SQLite: one
// database file under the data directory, versioned migrations, and batch
// reads that answer a whole page of keys with one query per table.
package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"

	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/service"
)

// FileName is the database file inside the data directory.
const FileName = "catalog.db"

// chunkSize bounds the keys bound into one IN (...) list, well under
// SQLite's variable limit.
const chunkSize = 500

// Store implements service.Store on SQLite.
type Store struct {
	db *sql.DB
}

var _ service.Store = (*Store)(nil)

// Open opens (creating and migrating) the catalog database in dataDir.
func Open(ctx context.Context, dataDir string) (*Store, error) {
	return OpenFile(ctx, filepath.Join(dataDir, FileName))
}

// OpenFile opens (creating and migrating) the catalog database at path.
func OpenFile(ctx context.Context, path string) (*Store, error) {
	db, err := sqlite.Open(path)
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

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// chunks splits keys (deduplicated) into IN-list sized groups.
func chunks(keys []string) [][]string {
	seen := make(map[string]bool, len(keys))
	uniq := make([]string, 0, len(keys))
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			uniq = append(uniq, k)
		}
	}
	var out [][]string
	for len(uniq) > 0 {
		n := min(chunkSize, len(uniq))
		out = append(out, uniq[:n])
		uniq = uniq[n:]
	}
	return out
}

// in returns "?,?,?" and the args for keys.
func in(keys []string) (string, []any) {
	args := make([]any, len(keys))
	marks := make([]byte, 0, 2*len(keys))
	for i, k := range keys {
		args[i] = k
		if i > 0 {
			marks = append(marks, ',')
		}
		marks = append(marks, '?')
	}
	return string(marks), args
}

// eachChunk runs query (with a %s placeholder for the IN list) per chunk of
// keys, handing every row to scan.
func eachChunk(ctx context.Context, q querier, keys []string, query string, scan func(*sql.Rows) error) error {
	for _, chunk := range chunks(keys) {
		marks, args := in(chunk)
		rows, err := q.QueryContext(ctx, fmt.Sprintf(query, marks), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				_ = rows.Close()
				return err
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}
