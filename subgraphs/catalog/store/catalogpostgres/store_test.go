package catalogpostgres_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/enginetest"
	"github.com/cinegraph/cinegraph/internal/events"
	pg "github.com/cinegraph/cinegraph/internal/postgres"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/catalogpostgres"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/catalogstoretest"
)

// schemaSeq tells apart the schemas one test binary creates.
var schemaSeq atomic.Int64

// freshSchema names a schema no other test run uses and drops it when the
// test ends.
func freshSchema(t *testing.T, cfg config.Postgres) string {
	t.Helper()
	name := fmt.Sprintf("test_catalog_%d_%d", time.Now().UnixNano(), schemaSeq.Add(1))
	t.Cleanup(func() {
		if err := pg.DropSchema(context.Background(), cfg, name); err != nil {
			t.Errorf("drop test schema: %v", err)
		}
	})
	return name
}

func settings(t *testing.T) config.Postgres {
	t.Helper()
	enginetest.Postgres(t)
	cfg := enginetest.Storage(t).Postgres
	cfg.MaxConns = 4
	return cfg
}

func open(t *testing.T, cfg config.Postgres, schema string) *catalogpostgres.Store {
	t.Helper()
	s, err := catalogpostgres.Open(context.Background(), cfg, catalogpostgres.WithSchema(schema))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestContract(t *testing.T) {
	t.Parallel()
	cfg := settings(t)
	catalogstoretest.Run(t, func(t *testing.T) catalogservice.Store {
		return open(t, cfg, freshSchema(t, cfg))
	})
}

func TestDataSurvivesReopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := settings(t)
	schema := freshSchema(t, cfg)
	s := open(t, cfg, schema)
	if err := s.Replace(ctx, catalogstoretest.Fixture()); err != nil {
		t.Fatal(err)
	}
	ev, err := events.New(events.TopicCatalogChanges, "profile-2", "catalog.mylist.added", "ev-1", catalogstoretest.Epoch, map[string]string{"titleId": "t3"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddToMyList(ctx, catalogservice.ListEntry{ProfileID: "profile-2", TitleID: "t3", AddedAt: catalogstoretest.Epoch}, ev); err != nil {
		t.Fatal(err)
	}
	version, err := s.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_ = s.Close()

	// Opening again re-runs the migrations, which must change nothing.
	reopened := open(t, cfg, schema)
	titles, err := reopened.TitlesByIDs(ctx, []string{"t1"})
	if err != nil || titles["t1"].Name != "Beta" {
		t.Fatalf("title after reopen = %+v, %v", titles, err)
	}
	lists, err := reopened.MyLists(ctx, []string{"profile-2"})
	if err != nil || len(lists["profile-2"]) != 1 || lists["profile-2"][0].TitleID != "t3" {
		t.Fatalf("my list after reopen = %+v, %v", lists, err)
	}
	pending, err := reopened.PendingEvents(ctx, 10)
	if err != nil || len(pending) != 1 || pending[0].ID != "ev-1" || !pending[0].Time.Equal(catalogstoretest.Epoch) {
		t.Fatalf("outbox after reopen = %+v, %v", pending, err)
	}
	if got, _ := reopened.Version(ctx); got != version {
		t.Errorf("version after reopen = %d, want %d", got, version)
	}
}

func TestConcurrentOpenMigratesOnce(t *testing.T) {
	t.Parallel()
	cfg := settings(t)
	schema := freshSchema(t, cfg)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			s, err := catalogpostgres.Open(context.Background(), cfg, catalogpostgres.WithSchema(schema))
			if err == nil {
				_ = s.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent open: %v", err)
		}
	}
	s := open(t, cfg, schema)
	if ids, err := s.TitleIDs(context.Background()); err != nil || len(ids) != 0 {
		t.Fatalf("title ids in a fresh schema = %v, %v", ids, err)
	}
}

func TestRejectsBadSchemaName(t *testing.T) {
	t.Parallel()
	cfg := settings(t)
	if _, err := catalogpostgres.Open(context.Background(), cfg, catalogpostgres.WithSchema("x; DROP TABLE y")); err == nil {
		t.Fatal("Open accepted a schema name that is not an identifier")
	}
}

func TestSeedFixtureLoads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := settings(t)
	s := open(t, cfg, freshSchema(t, cfg))
	d := catalogservice.DatasetFromSeed(seed.Generate())
	start := time.Now()
	// Twice: reseeding replaces rather than adds.
	for range 2 {
		if err := s.Replace(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("seeded %d titles, %d people, %d credits twice in %v", len(d.Titles), len(d.People), len(d.Credits), time.Since(start))
	ids, err := s.TitleIDs(ctx)
	if err != nil || len(ids) != seed.TitleCount {
		t.Fatalf("got %d titles (%v), want %d", len(ids), err, seed.TitleCount)
	}
	credits, err := s.CreditsByTitles(ctx, ids)
	if err != nil || len(credits) != seed.TitleCount {
		t.Fatalf("credits for %d titles (%v), want %d", len(credits), err, seed.TitleCount)
	}
	titles, err := s.TitlesByIDs(ctx, ids)
	if err != nil || len(titles) != seed.TitleCount {
		t.Fatalf("titles by ids = %d (%v)", len(titles), err)
	}
	for _, want := range d.Titles[:20] {
		if got := titles[want.ID]; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("title %s = %+v, want %+v", want.ID, got, want)
		}
	}
	lists, err := s.MyLists(ctx, []string{d.MyList[0].ProfileID})
	if err != nil || len(lists[d.MyList[0].ProfileID]) == 0 {
		t.Fatalf("seeded my list = %v, %v", lists, err)
	}
}
