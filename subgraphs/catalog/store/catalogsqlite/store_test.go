package catalogsqlite_test

import (
	"context"
	"testing"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/catalogsqlite"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/catalogstoretest"
)

func open(t *testing.T, dir string) *catalogsqlite.Store {
	t.Helper()
	s, err := catalogsqlite.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestContract(t *testing.T) {
	t.Parallel()
	catalogstoretest.Run(t, func(t *testing.T) catalogservice.Store {
		s := open(t, t.TempDir())
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}

func TestDataSurvivesReopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, dir)
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
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	reopened := open(t, dir)
	defer reopened.Close()
	titles, err := reopened.TitlesByIDs(ctx, []string{"t1"})
	if err != nil || titles["t1"].Name != "Beta" {
		t.Fatalf("title after reopen = %+v, %v", titles, err)
	}
	lists, err := reopened.MyLists(ctx, []string{"profile-2"})
	if err != nil || len(lists["profile-2"]) != 1 || lists["profile-2"][0].TitleID != "t3" {
		t.Fatalf("my list after reopen = %+v, %v", lists, err)
	}
	if pending, err := reopened.PendingEvents(ctx, 10); err != nil || len(pending) != 1 || pending[0].ID != "ev-1" {
		t.Fatalf("outbox after reopen = %+v, %v", pending, err)
	}
	if got, _ := reopened.Version(ctx); got != version {
		t.Errorf("version after reopen = %d, want %d", got, version)
	}
}

func TestSeedFixtureLoads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := open(t, t.TempDir())
	defer s.Close()
	d := catalogservice.DatasetFromSeed(seed.Generate())
	if err := s.Replace(ctx, d); err != nil {
		t.Fatal(err)
	}
	ids, err := s.TitleIDs(ctx)
	if err != nil || len(ids) != seed.TitleCount {
		t.Fatalf("got %d titles (%v), want %d", len(ids), err, seed.TitleCount)
	}
	credits, err := s.CreditsByTitles(ctx, ids)
	if err != nil || len(credits) != seed.TitleCount {
		t.Fatalf("credits for %d titles (%v), want %d", len(credits), err, seed.TitleCount)
	}
	people, err := s.PeopleByIDs(ctx, []string{d.People[0].ID, d.People[len(d.People)-1].ID})
	if err != nil || len(people) != 2 {
		t.Fatalf("people = %v, %v", people, err)
	}
}
