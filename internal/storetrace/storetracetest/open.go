package storetracetest

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/cinegraph/cinegraph/internal/events/embedded"
	"github.com/cinegraph/cinegraph/internal/subgraph"
)

// OpenEmbedded opens m in embedded mode on a fresh data directory and
// event log, as the composition root would, and closes both when the test
// ends: its stores come wrapped as the module wraps them.
func OpenEmbedded(t *testing.T, m subgraph.Module) subgraph.Subgraph {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	bus, err := embedded.Open(ctx, filepath.Join(dir, "events.db"))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	sg, err := m.OpenEmbedded(ctx, subgraph.EmbeddedDeps{DataDir: dir, Bus: bus, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		cancel()
		_ = bus.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		if err := sg.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
		_ = bus.Close()
	})
	return sg
}
