package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestMigrateTwice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "nested", "test.db")
	migrations := []string{
		`CREATE TABLE things (id TEXT PRIMARY KEY)`,
		`ALTER TABLE things ADD COLUMN name TEXT NOT NULL DEFAULT ''`,
	}
	for i := 0; i < 2; i++ {
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := Migrate(ctx, db, migrations); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
		if _, err := db.Exec(`INSERT INTO things (id, name) VALUES (?, 'x')`, i); err != nil {
			t.Fatal(err)
		}
		_ = db.Close()
	}
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM things`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("rows %d err %v: data must survive reopening", n, err)
	}
	var mode string
	if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode %q %v", mode, err)
	}
}

func TestSynchronousInEffect(t *testing.T) {
	t.Parallel()
	// PRAGMA synchronous answers 1 for NORMAL and 2 for FULL.
	tests := []struct {
		name string
		opts Options
		want int
	}{
		{name: "default", opts: Options{}, want: 1},
		{name: "normal", opts: Options{Synchronous: SynchronousNormal}, want: 1},
		{name: "full", opts: Options{Synchronous: SynchronousFull}, want: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db, err := OpenWith(filepath.Join(t.TempDir(), "test.db"), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			// Hold several connections at once, so the pool must open more
			// than one: each must have the setting, not only the first.
			ctx := context.Background()
			for i := range MaxOpenConns {
				conn, err := db.Conn(ctx)
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				var got int
				if err := conn.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&got); err != nil {
					t.Fatal(err)
				}
				if got != tt.want {
					t.Fatalf("connection %d: PRAGMA synchronous = %d, want %d", i, got, tt.want)
				}
			}
		})
	}
}

func TestOpenRefusesUnknownSynchronous(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, err := OpenWith(filepath.Join(dir, "test.db"), Options{Synchronous: "extra"})
	if err == nil || !strings.Contains(err.Error(), `synchronous "extra" is not one of normal, full`) {
		t.Fatalf("err = %v", err)
	}
	if names, err := Databases(dir); err != nil || len(names) != 0 {
		t.Fatalf("a refused database was recorded: %v %v", names, err)
	}
}
