package catalog_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/embedded"
	"github.com/cinegraph/cinegraph/subgraphs/catalog"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
)

// TestMyListChangesReachTheEmbeddedBus follows a change from the mutation
// through the outbox and the relay to a consumer of the real bus, including
// an event left in the outbox while no bus was attached.
func TestMyListChangesReachTheEmbeddedBus(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dir := t.TempDir()

	// First run without a bus: the change waits in the outbox.
	offline, err := catalog.Open(ctx, catalog.Options{DataDir: dir, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	var resp map[string]any
	ok(t, viewertest.Client(offline.Handler(), viewertest.As("profile-1")), `mutation { addToMyList(titleId: "t0300") { id } }`, &resp)
	if err := offline.Close(); err != nil {
		t.Fatal(err)
	}

	bus, err := embedded.Open(ctx, filepath.Join(dir, "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Close()
	sg, err := catalog.Open(ctx, catalog.Options{DataDir: dir, Bus: bus, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer sg.Close()
	ok(t, viewertest.Client(sg.Handler(), viewertest.As("profile-1")), `mutation { removeFromMyList(titleId: "t0300") { id } }`, &resp)

	got := make(chan catalogservice.MyListChange, 4)
	types := make(chan string, 4)
	consumeCtx, stop := context.WithCancel(ctx)
	defer stop()
	go func() {
		_ = bus.Consume(consumeCtx, events.TopicCatalogChanges, "catalog-test", func(_ context.Context, ev events.Event) error {
			var c catalogservice.MyListChange
			if err := json.Unmarshal(ev.Payload, &c); err != nil {
				return err
			}
			types <- ev.Type
			got <- c
			return nil
		})
	}()
	timeout := time.After(time.Minute)
	for _, want := range []string{catalogservice.EventMyListAdded, catalogservice.EventMyListRemoved} {
		select {
		case typ := <-types:
			c := <-got
			if typ != want || c.ProfileID != "profile-1" || c.TitleID != "t0300" {
				t.Errorf("event %s %+v, want %s of t0300 by profile-1", typ, c, want)
			}
		case <-timeout:
			t.Fatalf("no %s event reached the bus", want)
		}
	}
}
