package catalogpostgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/catalogstoretest"
)

// Replicas saving the same title at once: exactly one save wins and only
// its event reaches the outbox.
func TestConcurrentAddsStoreOneEvent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := settings(t)
	s := open(t, cfg, freshSchema(t, cfg))
	if err := s.Replace(ctx, catalogstoretest.Fixture()); err != nil {
		t.Fatal(err)
	}
	const writers = 8
	var wg sync.WaitGroup
	results := make(chan bool, writers)
	errs := make(chan error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ev, err := events.New(events.TopicCatalogChanges, "profile-2", "catalog.mylist.added", fmt.Sprintf("ev-%d", i), catalogstoretest.Epoch, map[string]int{"n": i})
			if err != nil {
				errs <- err
				return
			}
			added, err := s.AddToMyList(ctx, catalogservice.ListEntry{ProfileID: "profile-2", TitleID: "t3", AddedAt: catalogstoretest.Epoch}, ev)
			if err != nil {
				errs <- err
				return
			}
			results <- added
		}()
	}
	wg.Wait()
	close(results)
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent add: %v", err)
	}
	wins := 0
	for added := range results {
		if added {
			wins++
		}
	}
	pending, err := s.PendingEvents(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	if wins != 1 || len(pending) != 1 {
		t.Fatalf("%d adds reported success and %d events were stored; want 1 and 1", wins, len(pending))
	}
}
