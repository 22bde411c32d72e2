package sqlite

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Databases lists the databases the manifest of dir records, by file name.
func Databases(dir string) ([]string, error) {
	m, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(m.Databases))
	for name := range m.Databases {
		names = append(names, name)
	}
	sort.Strings(names)
	return names, nil
}

// Backup writes a consistent copy of every database recorded in srcDir's
// manifest to dstDir, with the manifest, while the databases stay in use:
// each copy is one read transaction (VACUUM INTO), so it sees every commit
// before it and none after, whatever other connections write meanwhile.
// dstDir must not hold any of them yet.
func Backup(ctx context.Context, srcDir, dstDir string) ([]string, error) {
	names, err := Databases(srcDir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dstDir, 0o755); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	for _, name := range names {
		dst := filepath.Join(dstDir, name)
		if _, err := os.Stat(dst); err == nil {
			return nil, fmt.Errorf("backup: %s exists already", dst)
		}
		db, err := open(filepath.Join(srcDir, name), Options{})
		if err != nil {
			return nil, fmt.Errorf("backup %s: %w", name, err)
		}
		_, err = db.ExecContext(ctx, `VACUUM INTO ?`, dst)
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("backup %s: %w", name, err)
		}
	}
	m, err := readManifest(srcDir)
	if err != nil {
		return nil, err
	}
	return names, writeManifest(dstDir, m)
}

// Restore replaces the databases of dstDir with those a Backup wrote to
// srcDir, and takes its manifest entries. Nothing may have the databases
// open meanwhile: stop the processes using dstDir first. Each file is
// copied beside its target and renamed over it, and the target's WAL and
// shared-memory files go first, so no page of the old database is replayed
// into the restored one.
func Restore(srcDir, dstDir string) ([]string, error) {
	names, err := Databases(srcDir)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("restore: %s holds no backup (no %s listing databases)", srcDir, ManifestFile)
	}
	if err := os.MkdirAll(dstDir, 0o755); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	for _, name := range names {
		if strings.ContainsAny(name, `/\`) {
			return nil, fmt.Errorf("restore: bad database name %q in the backup's manifest", name)
		}
		dst := filepath.Join(dstDir, name)
		tmp := dst + ".restoring"
		if err := CopyFile(filepath.Join(srcDir, name), tmp); err != nil {
			return nil, fmt.Errorf("restore %s: %w", name, err)
		}
		for _, side := range []string{dst + "-wal", dst + "-shm"} {
			if err := os.Remove(side); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("restore %s: %w", name, err)
			}
		}
		if err := os.Rename(tmp, dst); err != nil {
			return nil, fmt.Errorf("restore %s: %w", name, err)
		}
	}
	src, err := readManifest(srcDir)
	if err != nil {
		return nil, err
	}
	dst, err := readManifest(dstDir)
	if err != nil {
		return nil, err
	}
	for name, e := range src.Databases {
		dst.Databases[name] = e
	}
	return names, writeManifest(dstDir, dst)
}

// CopyFile copies src to dst, synced, keeping src's permissions.
func CopyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, info.Mode().Perm())
	if err != nil {
		return err
	}
	_, cerr := io.Copy(out, in)
	return errors.Join(cerr, out.Sync(), out.Close())
}
