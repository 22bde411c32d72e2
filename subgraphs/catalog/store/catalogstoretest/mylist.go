package catalogstoretest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
)

func testMyList(t *testing.T, s catalogservice.Store) {
	ctx := context.Background()
	listIDs := func(profile string) []string {
		t.Helper()
		lists, err := s.MyLists(ctx, []string{profile})
		must(t, err)
		var ids []string
		for _, e := range lists[profile] {
			ids = append(ids, e.TitleID)
		}
		return ids
	}
	equal(t, "seeded, newest first", listIDs("profile-1"), []string{"t2", "t1"})

	pending := func() []string {
		t.Helper()
		evs, err := s.PendingEvents(ctx, 100)
		must(t, err)
		var ids []string
		for _, ev := range evs {
			ids = append(ids, ev.ID)
		}
		return ids
	}
	equal(t, "no events before changes", pending(), []string(nil))

	added, err := s.AddToMyList(ctx, catalogservice.ListEntry{ProfileID: "profile-1", TitleID: "t4", AddedAt: Epoch}, event("e1"))
	must(t, err)
	equal(t, "added", added, true)
	equal(t, "after add", listIDs("profile-1"), []string{"t4", "t2", "t1"})

	// Saving again keeps the original entry and position.
	added, err = s.AddToMyList(ctx, catalogservice.ListEntry{ProfileID: "profile-1", TitleID: "t1", AddedAt: Epoch.Add(time.Hour)}, event("e-noop"))
	must(t, err)
	equal(t, "re-added", added, false)
	equal(t, "after re-add", listIDs("profile-1"), []string{"t4", "t2", "t1"})

	lists, err := s.MyLists(ctx, []string{"profile-1", "profile-2"})
	must(t, err)
	if got := lists["profile-1"][0].AddedAt; !got.Equal(Epoch) {
		t.Errorf("addedAt = %v, want %v", got, Epoch)
	}
	equal(t, "empty list", len(lists["profile-2"]), 0)

	for _, e := range []catalogservice.ListEntry{
		{ProfileID: "profile-1", TitleID: "t404", AddedAt: Epoch},
		{ProfileID: "profile-404", TitleID: "t1", AddedAt: Epoch},
	} {
		_, err := s.AddToMyList(ctx, e, event("e-bad-"+e.ProfileID+e.TitleID))
		if !errors.Is(err, catalogservice.ErrUnknownReference) {
			t.Errorf("add %+v: err = %v, want ErrUnknownReference", e, err)
		}
	}
	equal(t, "unknown references write nothing", listIDs("profile-1"), []string{"t4", "t2", "t1"})
	equal(t, "unknown profile has nothing", listIDs("profile-404"), []string(nil))

	removed, err := s.RemoveFromMyList(ctx, "profile-1", "t2", event("e2"))
	must(t, err)
	equal(t, "removed", removed, true)
	removed, err = s.RemoveFromMyList(ctx, "profile-1", "t2", event("e-noop-2"))
	must(t, err)
	equal(t, "removed twice", removed, false)
	equal(t, "after remove", listIDs("profile-1"), []string{"t4", "t1"})

	// Only real changes stored an event, in order.
	equal(t, "outbox", pending(), []string{"e1", "e2"})
	evs, err := s.PendingEvents(ctx, 1)
	must(t, err)
	if len(evs) != 1 || evs[0].Topic != events.TopicCatalogChanges || evs[0].Type != "test.change" || !evs[0].Time.Equal(Epoch) || string(evs[0].Payload) != `{"n":"e1"}` {
		t.Errorf("stored event = %+v", evs)
	}
	must(t, s.DeleteEvents(ctx, []string{"e1", "e-unknown"}))
	equal(t, "outbox after delete", pending(), []string{"e2"})
	must(t, s.Replace(ctx, Fixture()))
	equal(t, "outbox survives Replace", pending(), []string{"e2"})
}

// event is a distinct, valid event for outbox checks.
func event(id string) events.Event {
	ev, err := events.New(events.TopicCatalogChanges, "profile-1", "test.change", id, Epoch, map[string]string{"n": id})
	if err != nil {
		panic(err)
	}
	return ev
}

func testReplace(t *testing.T, s catalogservice.Store) {
	ctx := context.Background()
	before, err := s.Version(ctx)
	must(t, err)

	next := Fixture()
	next.Titles = next.Titles[3:] // only t4 remains
	next.Credits = next.Credits[3:]
	next.Seasons = nil
	next.MyList = []catalogservice.ListEntry{{ProfileID: "profile-2", TitleID: "t4", AddedAt: Epoch}}
	must(t, s.Replace(ctx, next))

	after, err := s.Version(ctx)
	must(t, err)
	if after <= before {
		t.Errorf("version %d did not grow past %d after Replace", after, before)
	}
	ids, err := s.TitleIDs(ctx)
	must(t, err)
	equal(t, "titles after replace", ids, []string{"t4"})
	lists, err := s.MyLists(ctx, []string{"profile-1", "profile-2"})
	must(t, err)
	equal(t, "lists after replace", len(lists["profile-1"])+len(lists["profile-2"]), 1)
	episodes, err := s.EpisodesByIDs(ctx, []string{"t2-s01e01"})
	must(t, err)
	equal(t, "episodes after replace", len(episodes), 0)

	// A dataset that breaks a reference is rejected whole.
	bad := Fixture()
	bad.Credits = append(bad.Credits, catalogservice.Credit{TitleID: "t1", PersonID: "p404", Role: catalogservice.RoleActor, Billing: 9})
	if err := s.Replace(ctx, bad); err == nil {
		t.Fatal("Replace with a dangling credit succeeded")
	}
	ids, err = s.TitleIDs(ctx)
	must(t, err)
	equal(t, "failed replace keeps the old catalog", ids, []string{"t4"})
	unchanged, err := s.Version(ctx)
	must(t, err)
	equal(t, "failed replace keeps the version", unchanged, after)
}
