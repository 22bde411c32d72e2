// Package catalogstoretest is the contract every catalog Store must meet: a suite
// of behaviours run against a fresh store, so the embedded engine and the
// cluster engines answer identically.
package catalogstoretest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
)

// Run runs the contract suite; open returns a fresh, empty store and
// arranges for it to be closed when the test ends.
func Run(t *testing.T, open func(t *testing.T) catalogservice.Store) {
	t.Run("Empty", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		ctx := context.Background()
		ids, err := s.TitleIDs(ctx)
		must(t, err)
		if len(ids) != 0 {
			t.Fatalf("TitleIDs on empty store = %v", ids)
		}
		found, err := s.TitlesByIDs(ctx, []string{"t1"})
		must(t, err)
		if len(found) != 0 {
			t.Fatalf("TitlesByIDs on empty store = %v", found)
		}
		must(t, s.Ping(ctx))
	})
	t.Run("Lookups", func(t *testing.T) { t.Parallel(); testLookups(t, seeded(t, open)) })
	t.Run("Relations", func(t *testing.T) { t.Parallel(); testRelations(t, seeded(t, open)) })
	t.Run("TitlePages", func(t *testing.T) { t.Parallel(); testTitlePages(t, seeded(t, open)) })
	t.Run("MyList", func(t *testing.T) { t.Parallel(); testMyList(t, seeded(t, open)) })
	t.Run("Replace", func(t *testing.T) { t.Parallel(); testReplace(t, seeded(t, open)) })
	t.Run("DuplicateIDsAcrossChunks", func(t *testing.T) { t.Parallel(); testDuplicateIDs(t, seeded(t, open)) })
}

// Epoch anchors the fixture's timestamps.
var Epoch = time.Date(2026, time.March, 1, 12, 0, 0, 0, time.UTC)

// Fixture is a small catalog exercising every relation.
func Fixture() catalogservice.Dataset {
	return catalogservice.Dataset{
		Genres: []catalogservice.Genre{{Slug: "drama", Name: "Drama"}, {Slug: "comedy", Name: "Comedy"}, {Slug: "sci-fi", Name: "Science Fiction"}},
		People: []catalogservice.Person{{ID: "p1", Name: "Ava Chen", BirthYear: 1980}, {ID: "p2", Name: "Liam Rossi"}, {ID: "p3", Name: "Maya Sato", BirthYear: 1991}},
		Titles: []catalogservice.Title{
			{ID: "t1", Name: "Beta", Synopsis: "A drama.", Kind: catalogservice.KindMovie, GenreSlugs: []string{"drama", "comedy"}, ReleaseYear: 2001, MaturityRating: "PG", RuntimeMinutes: 101, SearchBoost: 0.5},
			{ID: "t2", Name: "Alpha", Synopsis: "A series.", Kind: catalogservice.KindSeries, GenreSlugs: []string{"sci-fi"}, ReleaseYear: 2015, MaturityRating: "TV_14"},
			{ID: "t3", Name: "Beta", Synopsis: "Another Beta.", Kind: catalogservice.KindMovie, GenreSlugs: []string{"comedy"}, ReleaseYear: 1999, MaturityRating: "R", RuntimeMinutes: 95},
			{ID: "t4", Name: "Gamma", Synopsis: "Last.", Kind: catalogservice.KindMovie, GenreSlugs: []string{"drama"}, ReleaseYear: 2020, MaturityRating: "PG_13", RuntimeMinutes: 120},
		},
		Credits: []catalogservice.Credit{
			{TitleID: "t1", PersonID: "p2", Role: catalogservice.RoleDirector, Billing: 1},
			{TitleID: "t1", PersonID: "p1", Role: catalogservice.RoleActor, Character: "Iris", Billing: 2},
			{TitleID: "t2", PersonID: "p1", Role: catalogservice.RoleCreator, Billing: 1},
			{TitleID: "t4", PersonID: "p1", Role: catalogservice.RoleActor, Character: "Nina", Billing: 1},
		},
		Seasons: []catalogservice.Season{
			{TitleID: "t2", Number: 1, Episodes: []catalogservice.Episode{
				{ID: "t2-s01e01", SeriesID: "t2", SeasonNumber: 1, Number: 1, Name: "Pilot", Synopsis: "It starts.", RuntimeMinutes: 45},
				{ID: "t2-s01e02", SeriesID: "t2", SeasonNumber: 1, Number: 2, Name: "Second", Synopsis: "It goes on.", RuntimeMinutes: 44},
			}},
			{TitleID: "t2", Number: 2, Episodes: []catalogservice.Episode{
				{ID: "t2-s02e01", SeriesID: "t2", SeasonNumber: 2, Number: 1, Name: "Return", Synopsis: "It is back.", RuntimeMinutes: 46},
			}},
		},
		Profiles: []catalogservice.Profile{{ID: "profile-1", Name: "Ada"}, {ID: "profile-2", Name: "Grace"}},
		MyList: []catalogservice.ListEntry{
			{ProfileID: "profile-1", TitleID: "t1", AddedAt: Epoch.Add(-2 * time.Hour)},
			{ProfileID: "profile-1", TitleID: "t2", AddedAt: Epoch.Add(-1 * time.Hour)},
		},
	}
}

func seeded(t *testing.T, open func(t *testing.T) catalogservice.Store) catalogservice.Store {
	t.Helper()
	s := open(t)
	must(t, s.Replace(context.Background(), Fixture()))
	return s
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func equal(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}
