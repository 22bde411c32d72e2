package catalogservice

import (
	"context"

	"github.com/cinegraph/cinegraph/internal/events"
)

// Store is the catalog's storage contract. Reads are batch-oriented so that
// a page of entities costs one call per relation; lookups return maps that
// simply omit unknown keys. The embedded SQLite store implements it, and so
// will the cluster engines.
type Store interface {
	// TitlesByIDs returns the titles with the given ids.
	TitlesByIDs(ctx context.Context, ids []string) (map[string]Title, error)
	// TitlePages answers several title listings at once, in query order.
	TitlePages(ctx context.Context, queries []TitleQuery) ([]TitlePage, error)
	// TitleIDs lists every title id, in id order.
	TitleIDs(ctx context.Context) ([]string, error)
	// Genres lists every genre, by name.
	Genres(ctx context.Context) ([]Genre, error)
	// GenresBySlugs returns the genres with the given slugs.
	GenresBySlugs(ctx context.Context, slugs []string) (map[string]Genre, error)
	// PeopleByIDs returns the people with the given ids.
	PeopleByIDs(ctx context.Context, ids []string) (map[string]Person, error)
	// CreditsByTitles returns each title's credits in billing order.
	CreditsByTitles(ctx context.Context, titleIDs []string) (map[string][]Credit, error)
	// CreditsByPeople returns each person's credits, newest title first.
	CreditsByPeople(ctx context.Context, personIDs []string) (map[string][]Credit, error)
	// SeasonsByTitles returns each series' seasons with their episodes, in order.
	SeasonsByTitles(ctx context.Context, titleIDs []string) (map[string][]Season, error)
	// EpisodesByIDs returns the episodes with the given ids.
	EpisodesByIDs(ctx context.Context, ids []string) (map[string]Episode, error)
	// ProfilesByIDs returns the profiles with the given ids.
	ProfilesByIDs(ctx context.Context, ids []string) (map[string]Profile, error)
	// MyLists returns each profile's saved titles, most recently added first.
	MyLists(ctx context.Context, profileIDs []string) (map[string][]ListEntry, error)
	// AddToMyList saves a title to a profile's list and stores ev, the
	// event announcing it, atomically. Saving a title already there changes
	// nothing, stores no event and reports false. An unknown profile or
	// title is ErrUnknownReference and writes nothing.
	AddToMyList(ctx context.Context, entry ListEntry, ev events.Event) (bool, error)
	// RemoveFromMyList removes a title from a profile's list and stores ev
	// atomically, reporting whether it was there (no event when it was not).
	RemoveFromMyList(ctx context.Context, profileID, titleID string, ev events.Event) (bool, error)
	// PendingEvents returns up to limit stored events, oldest first.
	PendingEvents(ctx context.Context, limit int) ([]events.Event, error)
	// DeleteEvents removes stored events once the bus has them.
	DeleteEvents(ctx context.Context, ids []string) error
	// Replace swaps the whole catalog for d in one transaction; pending
	// events are kept.
	Replace(ctx context.Context, d Dataset) error
	// Version changes whenever catalog content (not My List) changes, so
	// derived indexes know when to rebuild.
	Version(ctx context.Context) (int64, error)
	// Ping checks the store can serve.
	Ping(ctx context.Context) error
	// Close releases the store.
	Close() error
}
