package sqlite

import (
	"context"
	"path/filepath"
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
