package sqlite

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// ManifestFile, in a data directory, lists the databases initialised there.
// A database it lists whose file is gone or empty is an error, not a new
// empty database: a deleted or truncated file would otherwise come back as
// freshly seeded demo data, and the loss would go unnoticed.
const ManifestFile = "manifest.json"

// lockFile serializes first starts of separate processes on one directory.
const lockFile = ".manifest.lock"

// ErrMissing is wrapped by the error of a listed database that is gone.
var ErrMissing = errors.New("database listed in the data directory's manifest is missing")

type manifest struct {
	Databases map[string]manifestEntry `json:"databases"`
}

type manifestEntry struct {
	CreatedAt time.Time `json:"createdAt"`
}

// checkIn holds the directory's manifest lock while open opens the
// database at path: a listed database must still be there; one not listed
// yet is recorded once open succeeds.
func checkIn(path string, open func() error) error {
	dir, name := filepath.Dir(path), filepath.Base(path)
	lock := flock.New(filepath.Join(dir, lockFile))
	if err := lock.Lock(); err != nil {
		return fmt.Errorf("lock %s: %w", filepath.Join(dir, lockFile), err)
	}
	defer func() { _ = lock.Unlock() }()
	m, err := readManifest(dir)
	if err != nil {
		return err
	}
	entry, listed := m.Databases[name]
	if listed {
		if err := present(path); err != nil {
			return fmt.Errorf("%w: %s was initialised on %s but %v; restore it from a backup, or remove %q from %s to start it empty",
				ErrMissing, path, entry.CreatedAt.Format(time.RFC3339), err, name, filepath.Join(dir, ManifestFile))
		}
	}
	if err := open(); err != nil {
		return err
	}
	if listed {
		return nil
	}
	m.Databases[name] = manifestEntry{CreatedAt: time.Now().UTC().Truncate(time.Second)}
	return writeManifest(dir, m)
}

// present checks that a database file still holds data. In WAL mode a new
// database's pages may all be in the -wal file until a checkpoint, so an
// empty main file counts only when its WAL is empty too.
func present(path string) error {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return errors.New("its file is missing")
	}
	if err != nil {
		return err
	}
	if info.Size() > 0 {
		return nil
	}
	if wal, err := os.Stat(path + "-wal"); err == nil && wal.Size() > 0 {
		return nil
	}
	return errors.New("its file is empty")
}

func readManifest(dir string) (*manifest, error) {
	m := &manifest{Databases: map[string]manifestEntry{}}
	raw, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	if err := json.Unmarshal(raw, m); err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Join(dir, ManifestFile), err)
	}
	if m.Databases == nil {
		m.Databases = map[string]manifestEntry{}
	}
	return m, nil
}

// writeManifest replaces the manifest through a synced temporary file and
// a rename, so a crash leaves the old manifest or the new one, whole.
func writeManifest(dir string, m *manifest) error {
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".manifest-*")
	if err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.Write(append(raw, '\n'))
	if err := errors.Join(werr, tmp.Sync(), tmp.Close()); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, ManifestFile)); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // make the rename durable
		_ = d.Close()
	}
	return nil
}
