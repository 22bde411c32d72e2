// Package sqlite opens the embedded, pure-Go SQLite databases that back
// Cinegraph's default storage, with the settings every store wants (WAL,
// busy timeout, foreign keys, the configured durability) and versioned
// migrations applied once each, and runs the stores' batch reads and
// deletes over IN (...) lists of any length.
package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, no cgo)
)

// MaxOpenConns bounds connections per database. WAL allows many readers and
// one writer; writers queue on the busy timeout.
const MaxOpenConns = 8

// Open opens (creating if needed) the database file at path with the
// default Options. The data directory's manifest (ManifestFile) records the
// database once created; a database it records that has gone missing is an
// error wrapping ErrMissing, never a new empty one.
func Open(path string) (*sql.DB, error) {
	return OpenWith(path, Options{})
}

// OpenWith is Open with o.
func OpenWith(path string, o Options) (*sql.DB, error) {
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create data dir for %s: %w", path, err)
	}
	var db *sql.DB
	err := checkIn(path, func() error {
		var err error
		db, err = open(path, o)
		return err
	})
	if err != nil {
		if db != nil {
			_ = db.Close()
		}
		return nil, err
	}
	return db, nil
}

func open(path string, o Options) (*sql.DB, error) {
	q := url.Values{}
	// The pragmas go in the DSN so that every connection of the pool gets
	// them, not only the first.
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(" + o.synchronous().pragma() + ")", "foreign_keys(ON)"} {
		q.Add("_pragma", p)
	}
	// Transactions take the write lock up front, so two writers never
	// deadlock upgrading read locks.
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(MaxOpenConns)
	if err := db.Ping(); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

// Migrate applies, in order, each migration not yet recorded in the
// database's schema_migrations table, each in its own transaction, so running
// it twice changes nothing.
func Migrate(ctx context.Context, db *sql.DB, migrations []string) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	for i, stmt := range migrations {
		version := i + 1
		if err := apply(ctx, db, version, stmt); err != nil {
			return err
		}
	}
	return nil
}

func apply(ctx context.Context, db *sql.DB, version int, stmt string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %d: %w", version, err)
	}
	defer func() { _ = tx.Rollback() }()
	var done int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, version).Scan(&done); err != nil {
		return fmt.Errorf("migration %d: %w", version, err)
	}
	if done > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("migration %d: %w", version, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version) VALUES (?)`, version); err != nil {
		return fmt.Errorf("migration %d: %w", version, err)
	}
	return tx.Commit()
}
