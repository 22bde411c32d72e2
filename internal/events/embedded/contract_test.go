package embedded

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/bustest"
)

func TestBusContract(t *testing.T) {
	t.Parallel()
	bustest.Run(t, func(t *testing.T) (events.Bus, func(t *testing.T) events.Bus) {
		path := filepath.Join(t.TempDir(), "events.db")
		open := func(t *testing.T) events.Bus {
			b, err := Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			// Closing twice is harmless; the suite closes before reopening.
			t.Cleanup(func() { _ = b.Close() })
			return b
		}
		return open(t), open
	})
}
