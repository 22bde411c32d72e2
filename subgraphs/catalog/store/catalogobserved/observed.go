// Package catalogobserved decorates a catalog store, whatever its engine,
// with a client span and a timing per call of the catalogservice.Store
// contract (internal/storetrace). The module wraps every store it opens
// with it, so an operator sees the same spans and series on SQLite and
// PostgreSQL; on the cluster engines it wraps PostgreSQL inside the Redis
// cache, so its spans are the cache's misses.
package catalogobserved

import (
	"context"
	"errors"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/storetrace"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
)

// Subgraph is the subgraph label of the catalog store's calls.
const Subgraph = "catalog"

// Wrap returns next with its calls traced and timed as a store on system
// (storetrace.SQLite, storetrace.PostgreSQL); both engines name their
// tables alike.
func Wrap(next catalogservice.Store, system string) catalogservice.Store {
	return WrapWith(next, storetrace.Options{Subgraph: Subgraph, System: system})
}

// WrapWith is Wrap with the instrument's options spelled out (tests pass
// their own provider and metrics); Subgraph and Expected are filled in
// when empty.
func WrapWith(next catalogservice.Store, o storetrace.Options) catalogservice.Store {
	if o.Subgraph == "" {
		o.Subgraph = Subgraph
	}
	if o.Expected == nil {
		o.Expected = expected
	}
	in := storetrace.New(o)
	return &store{
		next:             next,
		titlesByIDs:      in.Op("TitlesByIDs", "titles"),
		titlePages:       in.Op("TitlePages", "titles"),
		titleIDs:         in.Op("TitleIDs", "titles"),
		genres:           in.Op("Genres", "genres"),
		genresBySlugs:    in.Op("GenresBySlugs", "genres"),
		peopleByIDs:      in.Op("PeopleByIDs", "people"),
		creditsByTitles:  in.Op("CreditsByTitles", "credits"),
		creditsByPeople:  in.Op("CreditsByPeople", "credits"),
		seasonsByTitles:  in.Op("SeasonsByTitles", "episodes"),
		episodesByIDs:    in.Op("EpisodesByIDs", "episodes"),
		profilesByIDs:    in.Op("ProfilesByIDs", "profiles"),
		myLists:          in.Op("MyLists", "my_list"),
		addToMyList:      in.Op("AddToMyList", "my_list"),
		removeFromMyList: in.Op("RemoveFromMyList", "my_list"),
		pendingEvents:    in.Op("PendingEvents", "outbox"),
		deleteEvents:     in.Op("DeleteEvents", "outbox"),
		replace:          in.Op("Replace", ""),
		version:          in.Op("Version", "catalog_meta"),
		ping:             in.Op("Ping", ""),
	}
}

// expected: an unknown profile or title on My List is the contract's
// answer (NOT_FOUND to the client), not the store failing.
func expected(err error) bool { return errors.Is(err, catalogservice.ErrUnknownReference) }

type store struct {
	next catalogservice.Store

	titlesByIDs, titlePages, titleIDs, genres, genresBySlugs, peopleByIDs *storetrace.Op
	creditsByTitles, creditsByPeople, seasonsByTitles, episodesByIDs      *storetrace.Op
	profilesByIDs, myLists, addToMyList, removeFromMyList                 *storetrace.Op
	pendingEvents, deleteEvents, replace, version, ping                   *storetrace.Op
}

func (s *store) TitlesByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Title, error) {
	ctx, c := s.titlesByIDs.Start(ctx)
	out, err := s.next.TitlesByIDs(ctx, ids)
	c.End(err)
	return out, err
}

func (s *store) TitlePages(ctx context.Context, queries []catalogservice.TitleQuery) ([]catalogservice.TitlePage, error) {
	ctx, c := s.titlePages.Start(ctx)
	out, err := s.next.TitlePages(ctx, queries)
	c.End(err)
	return out, err
}

func (s *store) TitleIDs(ctx context.Context) ([]string, error) {
	ctx, c := s.titleIDs.Start(ctx)
	out, err := s.next.TitleIDs(ctx)
	c.End(err)
	return out, err
}

func (s *store) Genres(ctx context.Context) ([]catalogservice.Genre, error) {
	ctx, c := s.genres.Start(ctx)
	out, err := s.next.Genres(ctx)
	c.End(err)
	return out, err
}

func (s *store) GenresBySlugs(ctx context.Context, slugs []string) (map[string]catalogservice.Genre, error) {
	ctx, c := s.genresBySlugs.Start(ctx)
	out, err := s.next.GenresBySlugs(ctx, slugs)
	c.End(err)
	return out, err
}

func (s *store) PeopleByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Person, error) {
	ctx, c := s.peopleByIDs.Start(ctx)
	out, err := s.next.PeopleByIDs(ctx, ids)
	c.End(err)
	return out, err
}

func (s *store) CreditsByTitles(ctx context.Context, titleIDs []string) (map[string][]catalogservice.Credit, error) {
	ctx, c := s.creditsByTitles.Start(ctx)
	out, err := s.next.CreditsByTitles(ctx, titleIDs)
	c.End(err)
	return out, err
}

func (s *store) CreditsByPeople(ctx context.Context, personIDs []string) (map[string][]catalogservice.Credit, error) {
	ctx, c := s.creditsByPeople.Start(ctx)
	out, err := s.next.CreditsByPeople(ctx, personIDs)
	c.End(err)
	return out, err
}

func (s *store) SeasonsByTitles(ctx context.Context, titleIDs []string) (map[string][]catalogservice.Season, error) {
	ctx, c := s.seasonsByTitles.Start(ctx)
	out, err := s.next.SeasonsByTitles(ctx, titleIDs)
	c.End(err)
	return out, err
}

func (s *store) EpisodesByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Episode, error) {
	ctx, c := s.episodesByIDs.Start(ctx)
	out, err := s.next.EpisodesByIDs(ctx, ids)
	c.End(err)
	return out, err
}

func (s *store) ProfilesByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Profile, error) {
	ctx, c := s.profilesByIDs.Start(ctx)
	out, err := s.next.ProfilesByIDs(ctx, ids)
	c.End(err)
	return out, err
}

func (s *store) MyLists(ctx context.Context, profileIDs []string) (map[string][]catalogservice.ListEntry, error) {
	ctx, c := s.myLists.Start(ctx)
	out, err := s.next.MyLists(ctx, profileIDs)
	c.End(err)
	return out, err
}

func (s *store) AddToMyList(ctx context.Context, entry catalogservice.ListEntry, ev events.Event) (bool, error) {
	ctx, c := s.addToMyList.Start(ctx)
	out, err := s.next.AddToMyList(ctx, entry, ev)
	c.End(err)
	return out, err
}

func (s *store) RemoveFromMyList(ctx context.Context, profileID, titleID string, ev events.Event) (bool, error) {
	ctx, c := s.removeFromMyList.Start(ctx)
	out, err := s.next.RemoveFromMyList(ctx, profileID, titleID, ev)
	c.End(err)
	return out, err
}

func (s *store) PendingEvents(ctx context.Context, limit int) ([]events.Event, error) {
	ctx, c := s.pendingEvents.Start(ctx)
	out, err := s.next.PendingEvents(ctx, limit)
	c.End(err)
	return out, err
}

func (s *store) DeleteEvents(ctx context.Context, ids []string) error {
	ctx, c := s.deleteEvents.Start(ctx)
	err := s.next.DeleteEvents(ctx, ids)
	c.End(err)
	return err
}

func (s *store) Replace(ctx context.Context, d catalogservice.Dataset) error {
	ctx, c := s.replace.Start(ctx)
	err := s.next.Replace(ctx, d)
	c.End(err)
	return err
}

func (s *store) Version(ctx context.Context) (int64, error) {
	ctx, c := s.version.Start(ctx)
	out, err := s.next.Version(ctx)
	c.End(err)
	return out, err
}

func (s *store) Ping(ctx context.Context) error {
	ctx, c := s.ping.Start(ctx)
	err := s.next.Ping(ctx)
	c.End(err)
	return err
}

// Close is not a call to time: it releases the store once.
func (s *store) Close() error { return s.next.Close() }
