package sqlite

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestManifestRefusesLostDatabases(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		lose func(path string) error
	}{
		{"deleted", os.Remove},
		{"truncated", func(path string) error { return os.Truncate(path, 0) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, "store.db")
			db, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(`CREATE TABLE things (id TEXT PRIMARY KEY)`); err != nil {
				t.Fatal(err)
			}
			_ = db.Close()
			if err := tc.lose(path); err != nil {
				t.Fatal(err)
			}
			_, err = Open(path)
			if !errors.Is(err, ErrMissing) || !strings.Contains(err.Error(), "restore it from a backup") {
				t.Fatalf("err %v, want ErrMissing with advice", err)
			}
			// Nothing was created in its place.
			if info, err := os.Stat(path); err == nil && info.Size() > 0 {
				t.Fatalf("a new database replaced the lost one (%d bytes)", info.Size())
			}
			// Removing the entry is the way to start over, on purpose.
			raw, _ := os.ReadFile(filepath.Join(dir, ManifestFile))
			if err := os.WriteFile(filepath.Join(dir, ManifestFile), []byte(strings.Replace(string(raw), `"store.db"`, `"gone.db"`, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			db, err = Open(path)
			if err != nil {
				t.Fatalf("after removing the entry: %v", err)
			}
			_ = db.Close()
		})
	}
}

// TestManifestConcurrentFirstStarts: stores opened at once in one
// directory, as separate processes starting together do, are all recorded
// and all reopen.
func TestManifestConcurrentFirstStarts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := Open(filepath.Join(dir, fmt.Sprintf("store-%d.db", i)))
			if err != nil {
				errs <- err
				return
			}
			errs <- db.Close()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	m, err := readManifest(dir)
	if err != nil || len(m.Databases) != n {
		t.Fatalf("manifest %+v %v, want %d databases", m, err, n)
	}
	for i := range n {
		db, err := Open(filepath.Join(dir, fmt.Sprintf("store-%d.db", i)))
		if err != nil {
			t.Fatal(err)
		}
		_ = db.Close()
	}
}
