// Package rediscache is a catalog Store decorator that keeps entity reads
// (titles, people and genres by key, and each profile's My List) in Redis
// in front of another Store, so replicas share one warm cache.
//
// Entries expire after a TTL and are invalidated by the writes that change
// them: a My List change bumps that profile's list version, and a catalog
// Replace bumps the namespace generation and deletes every entry. Each
// entry records the generation and version it was loaded under, read
// before the load, so a reader that loaded old data while a write was
// committing can never leave it to be served after that write. When Redis
// fails, reads fall through to the inner store.
//
// Reads and write-backs go through a depguard.Guard (Dependency): while
// Redis fails or is slow its breaker opens, and reads go straight to the
// inner store without waiting on Redis, marked degraded (FallbackStore).
// Invalidations are never refused by the guard: skipping one could leave a
// stale entry to be served once Redis is back.
package rediscache

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/depguard"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
)

// DefaultPrefix namespaces the cache's keys in Redis.
const DefaultPrefix = "cinegraph:catalog:cache:"

// DefaultTTL bounds how long an entry lives when no TTL is configured.
const DefaultTTL = 5 * time.Minute

// Dependency names the cache's guard; FallbackStore names what serves
// while the cache cannot: the inner store.
const (
	Dependency    = "catalog.cache"
	FallbackStore = "store"
)

// Store implements catalogservice.Store by caching reads of an inner Store.
type Store struct {
	inner  catalogservice.Store
	client redis.UniversalClient
	prefix string
	ttl    time.Duration
	log    *slog.Logger
	guard  *depguard.Guard
	owned  bool // Close closes client
}

var _ catalogservice.Store = (*Store)(nil)

// Option adjusts New and Open.
type Option func(*Store)

// WithPrefix puts the cache's keys under prefix instead of DefaultPrefix.
func WithPrefix(prefix string) Option { return func(s *Store) { s.prefix = prefix } }

// WithTTL sets how long entries live; zero or less keeps the default.
func WithTTL(ttl time.Duration) Option {
	return func(s *Store) {
		if ttl > 0 {
			s.ttl = ttl
		}
	}
}

// WithLogger reports cache failures (which never fail a read) to log.
func WithLogger(log *slog.Logger) Option { return func(s *Store) { s.log = log } }

// WithGuard sets the guard around Redis reads and write-backs; a guard of
// default policy otherwise.
func WithGuard(g *depguard.Guard) Option {
	return func(s *Store) {
		if g != nil {
			s.guard = g
		}
	}
}

// New caches inner's reads in the Redis behind client; the caller keeps
// ownership of client, Close closes inner.
func New(inner catalogservice.Store, client redis.UniversalClient, opts ...Option) *Store {
	s := &Store{inner: inner, client: client, prefix: DefaultPrefix, ttl: DefaultTTL, log: slog.Default()}
	for _, opt := range opts {
		opt(s)
	}
	if s.guard == nil {
		s.guard = depguard.New(Dependency, depguard.Policy{}, s.log)
	}
	return s
}

// Open connects to the Redis of cfg, checks it answers, and caches inner's
// reads there for cfg.CacheTTL; every Redis round trip is traced and timed
// (observed.go). Close closes the connection and inner; when
// Open fails, inner stays open and the caller's to close.
func Open(ctx context.Context, cfg config.Redis, inner catalogservice.Store, opts ...Option) (*Store, error) {
	client := redis.NewClient(&redis.Options{Addr: cfg.Addr, Password: cfg.Password, DB: cfg.DB})
	client.AddHook(newObserver())
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("open catalog cache: connect redis at %s: %w", cfg.Addr, err)
	}
	s := New(inner, client, append([]Option{WithTTL(cfg.CacheTTL)}, opts...)...)
	s.owned = true
	return s, nil
}

// Key kinds. Entries live under "e:" so that a flush can delete them all
// while the generation and version counters, which must only grow, stay.
const (
	kindTitle  = "title"
	kindPerson = "person"
	kindGenre  = "genre"
	kindMyList = "mylist"
)

func (s *Store) genKey() string                  { return s.prefix + "gen" }
func (s *Store) entryKey(kind, id string) string { return s.prefix + "e:" + kind + ":" + id }
func (s *Store) versionKey(kind, id string) string {
	return s.prefix + "v:" + kind + ":" + id
}

// TitlesByIDs serves cached titles and loads the rest from the inner store.
func (s *Store) TitlesByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Title, error) {
	return cached(ctx, s, kindTitle, ids, false, s.inner.TitlesByIDs)
}

// PeopleByIDs serves cached people and loads the rest from the inner store.
func (s *Store) PeopleByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Person, error) {
	return cached(ctx, s, kindPerson, ids, false, s.inner.PeopleByIDs)
}

// GenresBySlugs serves cached genres and loads the rest from the inner store.
func (s *Store) GenresBySlugs(ctx context.Context, slugs []string) (map[string]catalogservice.Genre, error) {
	return cached(ctx, s, kindGenre, slugs, false, s.inner.GenresBySlugs)
}

// MyLists serves cached lists, empty ones included, and loads the rest from
// the inner store.
func (s *Store) MyLists(ctx context.Context, profileIDs []string) (map[string][]catalogservice.ListEntry, error) {
	lists, err := cached(ctx, s, kindMyList, profileIDs, true, s.inner.MyLists)
	if err != nil {
		return nil, err
	}
	// Like the stores themselves, leave out profiles with nothing saved.
	for id, l := range lists {
		if len(l) == 0 {
			delete(lists, id)
		}
	}
	return lists, nil
}

// AddToMyList writes through and invalidates the profile's cached list.
func (s *Store) AddToMyList(ctx context.Context, entry catalogservice.ListEntry, ev events.Event) (bool, error) {
	added, err := s.inner.AddToMyList(ctx, entry, ev)
	if err == nil && added {
		s.invalidate(ctx, kindMyList, entry.ProfileID)
	}
	return added, err
}

// RemoveFromMyList writes through and invalidates the profile's cached list.
func (s *Store) RemoveFromMyList(ctx context.Context, profileID, titleID string, ev events.Event) (bool, error) {
	removed, err := s.inner.RemoveFromMyList(ctx, profileID, titleID, ev)
	if err == nil && removed {
		s.invalidate(ctx, kindMyList, profileID)
	}
	return removed, err
}

// Replace swaps the catalog in the inner store, then flushes the cache
// namespace. A failed flush is reported: the new catalog is committed, but
// old entries could be served until their TTL, so the caller should retry
// (Replace is repeatable).
func (s *Store) Replace(ctx context.Context, d catalogservice.Dataset) error {
	if err := s.inner.Replace(ctx, d); err != nil {
		return err
	}
	if err := s.Flush(ctx); err != nil {
		return fmt.Errorf("replace catalog: committed, but %w", err)
	}
	return nil
}

// Flush invalidates every entry: the generation bump makes entries loaded
// before it unusable at once, and the scan then deletes them.
func (s *Store) Flush(ctx context.Context) error {
	if err := s.client.Incr(ctx, s.genKey()).Err(); err != nil {
		return fmt.Errorf("flush catalog cache: bump generation: %w", err)
	}
	iter := s.client.Scan(ctx, 0, s.prefix+"e:*", 500).Iterator()
	batch := make([]string, 0, 500)
	for iter.Next(ctx) {
		batch = append(batch, iter.Val())
		if len(batch) == cap(batch) {
			if err := s.client.Unlink(ctx, batch...).Err(); err != nil {
				return fmt.Errorf("flush catalog cache: %w", err)
			}
			batch = batch[:0]
		}
	}
	if err := iter.Err(); err != nil {
		return fmt.Errorf("flush catalog cache: scan: %w", err)
	}
	if len(batch) > 0 {
		if err := s.client.Unlink(ctx, batch...).Err(); err != nil {
			return fmt.Errorf("flush catalog cache: %w", err)
		}
	}
	return nil
}

// invalidate bumps the entry's version, so no copy loaded before now is
// used again, and deletes the entry. The write it follows has committed, so
// a failure is only logged: the entry then lives at most until its TTL.
func (s *Store) invalidate(ctx context.Context, kind, id string) {
	_, err := s.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Incr(ctx, s.versionKey(kind, id))
		p.Del(ctx, s.entryKey(kind, id))
		return nil
	})
	if err != nil {
		s.log.WarnContext(ctx, "catalog cache: invalidation failed; entry may be stale until its ttl",
			"kind", kind, "id", id, "ttl", s.ttl, "err", err)
	}
}

// The rest passes straight through.

// TitlePages implements catalogservice.Store.
func (s *Store) TitlePages(ctx context.Context, queries []catalogservice.TitleQuery) ([]catalogservice.TitlePage, error) {
	return s.inner.TitlePages(ctx, queries)
}

// TitleIDs implements catalogservice.Store.
func (s *Store) TitleIDs(ctx context.Context) ([]string, error) { return s.inner.TitleIDs(ctx) }

// Genres implements catalogservice.Store.
func (s *Store) Genres(ctx context.Context) ([]catalogservice.Genre, error) {
	return s.inner.Genres(ctx)
}

// CreditsByTitles implements catalogservice.Store.
func (s *Store) CreditsByTitles(ctx context.Context, titleIDs []string) (map[string][]catalogservice.Credit, error) {
	return s.inner.CreditsByTitles(ctx, titleIDs)
}

// CreditsByPeople implements catalogservice.Store.
func (s *Store) CreditsByPeople(ctx context.Context, personIDs []string) (map[string][]catalogservice.Credit, error) {
	return s.inner.CreditsByPeople(ctx, personIDs)
}

// SeasonsByTitles implements catalogservice.Store.
func (s *Store) SeasonsByTitles(ctx context.Context, titleIDs []string) (map[string][]catalogservice.Season, error) {
	return s.inner.SeasonsByTitles(ctx, titleIDs)
}

// EpisodesByIDs implements catalogservice.Store.
func (s *Store) EpisodesByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Episode, error) {
	return s.inner.EpisodesByIDs(ctx, ids)
}

// ProfilesByIDs implements catalogservice.Store.
func (s *Store) ProfilesByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Profile, error) {
	return s.inner.ProfilesByIDs(ctx, ids)
}

// PendingEvents implements catalogservice.Store.
func (s *Store) PendingEvents(ctx context.Context, limit int) ([]events.Event, error) {
	return s.inner.PendingEvents(ctx, limit)
}

// DeleteEvents implements catalogservice.Store.
func (s *Store) DeleteEvents(ctx context.Context, ids []string) error {
	return s.inner.DeleteEvents(ctx, ids)
}

// Version implements catalogservice.Store.
func (s *Store) Version(ctx context.Context) (int64, error) { return s.inner.Version(ctx) }

// Ping checks the inner store. Redis is left out on purpose: without it
// reads still work, only slower, so it must not take the store out of
// service; PingCache checks it.
func (s *Store) Ping(ctx context.Context) error { return s.inner.Ping(ctx) }

// PingCache checks Redis answers.
func (s *Store) PingCache(ctx context.Context) error {
	if err := s.client.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("ping catalog cache: %w", err)
	}
	return nil
}

// Close closes the inner store and, if Open made it, the Redis client.
func (s *Store) Close() error {
	err := s.inner.Close()
	if s.owned {
		if cerr := s.client.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close catalog cache: %w", cerr)
		}
	}
	return err
}
