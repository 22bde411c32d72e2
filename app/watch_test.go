package app

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// TestWatchConfig: writing the file runs one reload per burst of events,
// replacing it by a rename (as editors and ConfigMaps do) too, and other
// files in the directory run none.
func TestWatchConfig(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cinegraph.yaml")
	if err := os.WriteFile(path, []byte("listen: 127.0.0.1:4000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var reloads atomic.Int64
	if err := WatchConfig(ctx, []string{path, ""}, slog.New(slog.DiscardHandler), func() { reloads.Add(1) }); err != nil {
		t.Fatal(err)
	}
	waitReloads := func(want int64) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for reloads.Load() < want && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		// A burst must not run more than one reload.
		time.Sleep(2 * settle)
		if got := reloads.Load(); got != want {
			t.Fatalf("%d reloads, want %d", got, want)
		}
	}
	for i := 0; i < 3; i++ { // one burst of writes
		if err := os.WriteFile(path, []byte("listen: 127.0.0.1:4001\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	waitReloads(1)
	tmp := filepath.Join(dir, ".cinegraph.yaml.tmp")
	if err := os.WriteFile(tmp, []byte("listen: 127.0.0.1:4002\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	waitReloads(2)
	if err := os.WriteFile(filepath.Join(dir, "other.yaml"), []byte("x: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitReloads(2)
}
