package catalogservice

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/cinegraph/cinegraph/internal/depguard"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
)

// Service applies the catalog's rules on top of a Store and a Searcher.
type Service struct {
	store    Store
	searcher search.Searcher
	// searchGuard guards the searcher (WithSearchGuard).
	searchGuard *depguard.Guard
	notify      func()
	logger      *slog.Logger
	now         func() time.Time
}

// Option adjusts a Service.
type Option func(*Service)

// WithSearcher sets the search index; without one, search answers
// UNAVAILABLE.
func WithSearcher(searcher search.Searcher) Option {
	return func(s *Service) { s.searcher = searcher }
}

// WithNotify sets a function called after a change stored an event in the
// outbox, so the relay publishes it without waiting for its next poll; it
// must not block.
func WithNotify(notify func()) Option {
	return func(s *Service) {
		if notify != nil {
			s.notify = notify
		}
	}
}

// WithLogger sets the logger; slog.Default() otherwise.
func WithLogger(logger *slog.Logger) Option {
	return func(s *Service) {
		if logger != nil {
			s.logger = logger
		}
	}
}

// WithClock sets the clock stamping My List entries (tests).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// New returns a Service over store; a nil store is a wiring mistake and
// panics.
func New(store Store, opts ...Option) *Service {
	if store == nil {
		panic("catalog service: nil store")
	}
	s := &Service{store: store, notify: func() {}, logger: slog.Default(), now: time.Now}
	for _, opt := range opts {
		opt(s)
	}
	if s.searchGuard == nil {
		s.searchGuard = depguard.New(SearchDependency, depguard.Policy{}, s.logger)
	}
	return s
}

// Title returns the title with id, or nil when there is none.
func (s *Service) Title(ctx context.Context, id string) (*Title, error) {
	found, err := s.TitlesByIDs(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	return found[0], nil
}

// TitlesByIDs returns the titles in ids order, nil where unknown.
func (s *Service) TitlesByIDs(ctx context.Context, ids []string) ([]*Title, error) {
	if err := ValidateIDs("id", ids); err != nil {
		return nil, err
	}
	found, err := s.store.TitlesByIDs(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("load titles: %w", err)
	}
	return inOrder(ids, found), nil
}

// Titles returns one page of the catalog, by name then id.
func (s *Service) Titles(ctx context.Context, first *int, after *string, filter TitleFilter) (TitlePage, error) {
	q, err := s.TitleQuery(ctx, first, after, filter)
	if err != nil {
		return TitlePage{}, err
	}
	pages, err := s.store.TitlePages(ctx, []TitleQuery{q})
	if err != nil {
		return TitlePage{}, fmt.Errorf("list titles: %w", err)
	}
	return pages[0], nil
}

// TitleQuery validates listing arguments into a store query. Genre
// references are checked against the store only when the filter names any.
func (s *Service) TitleQuery(ctx context.Context, first *int, after *string, filter TitleFilter) (TitleQuery, error) {
	limit, err := PageSize("first", first)
	if err != nil {
		return TitleQuery{}, err
	}
	cursor, err := DecodeTitleCursor("after", after)
	if err != nil {
		return TitleQuery{}, err
	}
	if err := s.checkFilter(ctx, filter); err != nil {
		return TitleQuery{}, err
	}
	return TitleQuery{Filter: filter, After: cursor, Limit: limit}, nil
}

func (s *Service) checkFilter(ctx context.Context, f TitleFilter) error {
	if err := validateFilter(f); err != nil {
		return err
	}
	if len(f.Genres) == 0 {
		return nil
	}
	found, err := s.store.GenresBySlugs(ctx, f.Genres)
	if err != nil {
		return fmt.Errorf("check filter genres: %w", err)
	}
	for _, g := range f.Genres {
		if _, ok := found[g]; !ok {
			return invalidf("filter.genres", "unknown genre %q", g)
		}
	}
	return nil
}

// Genres lists every genre, by name.
func (s *Service) Genres(ctx context.Context) ([]Genre, error) {
	gs, err := s.store.Genres(ctx)
	if err != nil {
		return nil, fmt.Errorf("list genres: %w", err)
	}
	return gs, nil
}

// GenresBySlugs returns the genres in slugs order, nil where unknown.
func (s *Service) GenresBySlugs(ctx context.Context, slugs []string) ([]*Genre, error) {
	for _, slug := range slugs {
		if err := ValidateSlug("slug", slug); err != nil {
			return nil, err
		}
	}
	found, err := s.store.GenresBySlugs(ctx, slugs)
	if err != nil {
		return nil, fmt.Errorf("load genres: %w", err)
	}
	return inOrder(slugs, found), nil
}

// Person returns the person with id, or nil when there is none.
func (s *Service) Person(ctx context.Context, id string) (*Person, error) {
	found, err := s.PeopleByIDs(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	return found[0], nil
}

// PeopleByIDs returns the people in ids order, nil where unknown.
func (s *Service) PeopleByIDs(ctx context.Context, ids []string) ([]*Person, error) {
	if err := ValidateIDs("id", ids); err != nil {
		return nil, err
	}
	found, err := s.store.PeopleByIDs(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("load people: %w", err)
	}
	return inOrder(ids, found), nil
}

// Episode returns the episode with id, or nil when there is none.
func (s *Service) Episode(ctx context.Context, id string) (*Episode, error) {
	found, err := s.EpisodesByIDs(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	return found[0], nil
}

// EpisodesByIDs returns the episodes in ids order, nil where unknown.
func (s *Service) EpisodesByIDs(ctx context.Context, ids []string) ([]*Episode, error) {
	if err := ValidateIDs("id", ids); err != nil {
		return nil, err
	}
	found, err := s.store.EpisodesByIDs(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("load episodes: %w", err)
	}
	return inOrder(ids, found), nil
}

// ProfilesByIDs returns the profiles in ids order, nil where unknown.
func (s *Service) ProfilesByIDs(ctx context.Context, ids []string) ([]*Profile, error) {
	if err := ValidateIDs("id", ids); err != nil {
		return nil, err
	}
	found, err := s.store.ProfilesByIDs(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("load profiles: %w", err)
	}
	return inOrder(ids, found), nil
}

// Profile returns the profile with id; an unknown one is NOT_FOUND.
func (s *Service) Profile(ctx context.Context, id string) (Profile, error) {
	found, err := s.ProfilesByIDs(ctx, []string{id})
	if err != nil {
		return Profile{}, err
	}
	if found[0] == nil {
		return Profile{}, missing("profile", id)
	}
	return *found[0], nil
}

// Ready checks the store can serve.
func (s *Service) Ready(ctx context.Context) error {
	if err := s.store.Ping(ctx); err != nil {
		return fmt.Errorf("catalog store: %w", err)
	}
	return nil
}

// inOrder lays found out in keys order, nil where a key is missing.
func inOrder[T any](keys []string, found map[string]T) []*T {
	out := make([]*T, len(keys))
	for i, k := range keys {
		if v, ok := found[k]; ok {
			out[i] = &v
		}
	}
	return out
}
