package chat

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"

	"github.com/99designs/gqlgen/client"

	"github.com/cinegraph/cinegraph/internal/events/embedded"
)

func TestOpenRequiresOptions(t *testing.T) {
	t.Parallel()
	bus, err := embedded.Open(context.Background(), filepath.Join(t.TempDir(), "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Close()
	tests := []struct {
		name string
		opts Options
	}{
		{"no data dir", Options{Bus: bus}},
		{"no bus", Options{DataDir: t.TempDir()}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if sg, err := Open(context.Background(), tc.opts); err == nil {
				_ = sg.Close()
				t.Fatal("Open accepted incomplete options")
			}
		})
	}
}

// TestLifecycle: seeded on first start only, data survives a restart, Seed
// restores the fixture.
func TestLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	bus, err := embedded.Open(ctx, filepath.Join(dir, "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Close()
	opts := Options{DataDir: dir, Bus: bus, Logger: slog.New(slog.DiscardHandler)}
	room := facts().fixture.Rooms[0]
	seeded := len(facts().byRoom[room.ID])
	countQuery := `query($id: ID!) { chatRoom(id: $id) { messageCount } }`
	count := func(t *testing.T, sg *Subgraph) int {
		t.Helper()
		var out struct{ ChatRoom struct{ MessageCount int } }
		viewertest.Client(sg.Handler()).MustPost(countQuery, &out, client.Var("id", room.ID))
		return out.ChatRoom.MessageCount
	}

	sg, err := Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := sg.Ready(ctx); err != nil {
		t.Fatalf("Ready: %v", err)
	}
	if n := count(t, sg); n != seeded {
		t.Fatalf("first start: %d messages, want the seeded %d", n, seeded)
	}
	var posted postedJSON
	viewertest.Client(sg.Handler(), viewertest.As("profile-1")).MustPost(postMutation, &posted, client.Var("room", room.ID), client.Var("body", "kept"))
	if err := sg.Close(); err != nil {
		t.Fatal(err)
	}

	sg, err = Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer sg.Close()
	if n := count(t, sg); n != seeded+1 {
		t.Fatalf("after restart: %d messages, want %d (no reseed, nothing lost)", n, seeded+1)
	}
	if err := sg.Seed(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, sg); n != seeded {
		t.Fatalf("after Seed: %d messages, want %d", n, seeded)
	}
}
