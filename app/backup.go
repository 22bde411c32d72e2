package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/demotoken"
	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/internal/subgraph"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
)

// keyFiles are the data directory's files besides its databases that a
// backup keeps: without them, tokens issued before a restore stop working.
var keyFiles = []string{demotoken.KeyFile, demotoken.KeySetFile, RouterTokenFile}

// Backup takes a consistent snapshot of the embedded data into dir while
// the platform may be serving: every database the data directory's
// manifest lists (the subgraphs' stores and the event log), each copied in
// one read transaction, and the key files. The search index is not copied:
// it is derived from the catalog store and rebuilt from it after a restore.
func Backup(ctx context.Context, cfg config.Config, dir string) ([]string, error) {
	if cfg.Storage.Mode != subgraph.ModeEmbedded {
		return nil, errors.New("backup: only embedded data; back up the cluster's engines with their own tools")
	}
	names, err := sqlite.Backup(ctx, cfg.DataDir, dir)
	if err != nil {
		return nil, err
	}
	copied, err := copyKeys(cfg.DataDir, dir)
	return append(names, copied...), err
}

// Restore puts a Backup from dir back into the data directory, which no
// process may be using: stop the platform first. The search index is
// removed, so the catalog rebuilds it from the restored store at start.
func Restore(cfg config.Config, dir string) ([]string, error) {
	if cfg.Storage.Mode != subgraph.ModeEmbedded {
		return nil, errors.New("restore: only embedded data")
	}
	names, err := sqlite.Restore(dir, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	copied, err := copyKeys(dir, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if err := os.RemoveAll(filepath.Join(cfg.DataDir, search.DirName)); err != nil {
		return nil, fmt.Errorf("restore: remove the search index: %w", err)
	}
	return append(names, copied...), nil
}

func copyKeys(from, to string) ([]string, error) {
	var copied []string
	for _, name := range keyFiles {
		err := sqlite.CopyFile(filepath.Join(from, name), filepath.Join(to, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("copy %s: %w", name, err)
		}
		copied = append(copied, name)
	}
	return copied, nil
}
