package rediscache_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cinegraph/cinegraph/internal/enginetest"
	"github.com/cinegraph/cinegraph/internal/events"
	pg "github.com/cinegraph/cinegraph/internal/postgres"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/catalogpostgres"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/catalogsqlite"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/catalogstoretest"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/rediscache"
)

var seq atomic.Int64

func unique(kind string) string {
	return fmt.Sprintf("test_%s_%d_%d", kind, time.Now().UnixNano(), seq.Add(1))
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func redisClient(t *testing.T) *redis.Client {
	t.Helper()
	enginetest.Redis(t)
	cfg := enginetest.Storage(t).Redis
	c := redis.NewClient(&redis.Options{Addr: cfg.Addr, Password: cfg.Password, DB: cfg.DB})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// namespace returns a key prefix of the test's own and deletes its keys
// when the test ends.
func namespace(t *testing.T, c *redis.Client) string {
	t.Helper()
	prefix := "test:catalogcache:" + unique("ns") + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		iter := c.Scan(ctx, 0, prefix+"*", 200).Iterator()
		for iter.Next(ctx) {
			c.Del(ctx, iter.Val())
		}
	})
	return prefix
}

func sqliteInner(t *testing.T) catalogservice.Store {
	t.Helper()
	s, err := catalogsqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// counting records the keys each cached read asked the inner store for.
type counting struct {
	catalogservice.Store
	mu    sync.Mutex
	calls map[string][][]string
	// beforeReturn, when set, runs inside MyLists after the inner load.
	beforeReturn func()
}

func newCounting(inner catalogservice.Store) *counting {
	return &counting{Store: inner, calls: map[string][][]string{}}
}

func (c *counting) record(method string, keys []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[method] = append(c.calls[method], append([]string(nil), keys...))
}

func (c *counting) requested(method string) [][]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([][]string(nil), c.calls[method]...)
}

func (c *counting) TitlesByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Title, error) {
	c.record("TitlesByIDs", ids)
	return c.Store.TitlesByIDs(ctx, ids)
}

func (c *counting) PeopleByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Person, error) {
	c.record("PeopleByIDs", ids)
	return c.Store.PeopleByIDs(ctx, ids)
}

func (c *counting) GenresBySlugs(ctx context.Context, slugs []string) (map[string]catalogservice.Genre, error) {
	c.record("GenresBySlugs", slugs)
	return c.Store.GenresBySlugs(ctx, slugs)
}

func (c *counting) MyLists(ctx context.Context, ids []string) (map[string][]catalogservice.ListEntry, error) {
	c.record("MyLists", ids)
	lists, err := c.Store.MyLists(ctx, ids)
	c.mu.Lock()
	hook := c.beforeReturn
	c.mu.Unlock()
	if hook != nil {
		hook()
	}
	return lists, err
}

func TestContractOverSQLite(t *testing.T) {
	t.Parallel()
	c := redisClient(t)
	catalogstoretest.Run(t, func(t *testing.T) catalogservice.Store {
		s := rediscache.New(sqliteInner(t), c, rediscache.WithPrefix(namespace(t, c)), rediscache.WithLogger(quiet()))
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}

func TestContractOverPostgres(t *testing.T) {
	t.Parallel()
	c := redisClient(t)
	enginetest.Postgres(t)
	cfg := enginetest.Storage(t).Postgres
	cfg.MaxConns = 4
	catalogstoretest.Run(t, func(t *testing.T) catalogservice.Store {
		schema := unique("cache")
		t.Cleanup(func() { _ = pg.DropSchema(context.Background(), cfg, schema) })
		inner, err := catalogpostgres.Open(context.Background(), cfg, catalogpostgres.WithSchema(schema))
		if err != nil {
			t.Fatal(err)
		}
		s := rediscache.New(inner, c, rediscache.WithPrefix(namespace(t, c)), rediscache.WithLogger(quiet()))
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}

// seededCache returns a cache over a counting, seeded SQLite store.
func seededCache(t *testing.T, opts ...rediscache.Option) (*rediscache.Store, *counting, *redis.Client, string) {
	t.Helper()
	c := redisClient(t)
	prefix := namespace(t, c)
	inner := newCounting(sqliteInner(t))
	if err := inner.Replace(context.Background(), catalogstoretest.Fixture()); err != nil {
		t.Fatal(err)
	}
	s := rediscache.New(inner, c, append([]rediscache.Option{rediscache.WithPrefix(prefix), rediscache.WithLogger(quiet())}, opts...)...)
	t.Cleanup(func() { _ = s.Close() })
	return s, inner, c, prefix
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
		t.Errorf("%s:\n got %v\nwant %v", what, got, want)
	}
}

func TestReadsServedFromRedis(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, inner, c, prefix := seededCache(t)
	f := catalogstoretest.Fixture()

	for range 2 {
		titles, err := s.TitlesByIDs(ctx, []string{"t1", "t2", "t1"})
		must(t, err)
		equal(t, "titles", titles, map[string]catalogservice.Title{"t1": f.Titles[0], "t2": f.Titles[1]})
	}
	equal(t, "inner title loads", inner.requested("TitlesByIDs"), [][]string{{"t1", "t2"}})

	// Only the keys Redis lacks reach the store; unknown keys are asked again.
	titles, err := s.TitlesByIDs(ctx, []string{"t2", "t3", "t404"})
	must(t, err)
	equal(t, "mixed titles", len(titles), 2)
	_, err = s.TitlesByIDs(ctx, []string{"t3", "t404"})
	must(t, err)
	equal(t, "inner title loads", inner.requested("TitlesByIDs"), [][]string{{"t1", "t2"}, {"t3", "t404"}, {"t404"}})

	for range 2 {
		people, err := s.PeopleByIDs(ctx, []string{"p1", "p3"})
		must(t, err)
		equal(t, "people", people, map[string]catalogservice.Person{"p1": f.People[0], "p3": f.People[2]})
		genres, err := s.GenresBySlugs(ctx, []string{"sci-fi"})
		must(t, err)
		equal(t, "genres", genres, map[string]catalogservice.Genre{"sci-fi": f.Genres[2]})
	}
	equal(t, "inner people loads", len(inner.requested("PeopleByIDs")), 1)
	equal(t, "inner genre loads", len(inner.requested("GenresBySlugs")), 1)

	// The entry really is in Redis, with the configured expiry.
	ttl, err := c.PTTL(ctx, prefix+"e:title:t1").Result()
	must(t, err)
	if ttl <= 0 || ttl > rediscache.DefaultTTL {
		t.Errorf("cached title ttl = %v, want within %v", ttl, rediscache.DefaultTTL)
	}
}

func event(id string) events.Event {
	ev, err := events.New(events.TopicCatalogChanges, "profile-1", "test.change", id, catalogstoretest.Epoch, map[string]string{"n": id})
	if err != nil {
		panic(err)
	}
	return ev
}

func listIDs(t *testing.T, s catalogservice.Store, profile string) []string {
	t.Helper()
	lists, err := s.MyLists(context.Background(), []string{profile})
	must(t, err)
	var ids []string
	for _, e := range lists[profile] {
		ids = append(ids, e.TitleID)
	}
	return ids
}

func TestMyListWritesInvalidate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, inner, _, _ := seededCache(t)

	equal(t, "seeded", listIDs(t, s, "profile-1"), []string{"t2", "t1"})
	equal(t, "cached", listIDs(t, s, "profile-1"), []string{"t2", "t1"})
	equal(t, "empty list", listIDs(t, s, "profile-2"), []string(nil))
	equal(t, "empty list cached", listIDs(t, s, "profile-2"), []string(nil))
	equal(t, "inner loads", len(inner.requested("MyLists")), 2)

	added, err := s.AddToMyList(ctx, catalogservice.ListEntry{ProfileID: "profile-1", TitleID: "t4", AddedAt: catalogstoretest.Epoch}, event("e1"))
	must(t, err)
	equal(t, "added", added, true)
	equal(t, "after add", listIDs(t, s, "profile-1"), []string{"t4", "t2", "t1"})
	equal(t, "inner loads after add", len(inner.requested("MyLists")), 3)

	// A write that changed nothing leaves the entry alone.
	added, err = s.AddToMyList(ctx, catalogservice.ListEntry{ProfileID: "profile-1", TitleID: "t4", AddedAt: catalogstoretest.Epoch}, event("e2"))
	must(t, err)
	equal(t, "re-added", added, false)
	equal(t, "after no-op", listIDs(t, s, "profile-1"), []string{"t4", "t2", "t1"})
	equal(t, "inner loads after no-op", len(inner.requested("MyLists")), 3)

	removed, err := s.RemoveFromMyList(ctx, "profile-1", "t2", event("e3"))
	must(t, err)
	equal(t, "removed", removed, true)
	equal(t, "after remove", listIDs(t, s, "profile-1"), []string{"t4", "t1"})
	// Another profile's entry was not touched.
	equal(t, "other profile", listIDs(t, s, "profile-2"), []string(nil))
	equal(t, "inner loads after remove", inner.requested("MyLists")[3:], [][]string{{"profile-1"}})
}

func TestStaleLoadIsNotServedAfterWrite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, inner, _, _ := seededCache(t)

	// A reader loads profile-1's list, then stalls before caching it while
	// a write commits and invalidates.
	loaded, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	inner.mu.Lock()
	inner.beforeReturn = func() {
		once.Do(func() {
			close(loaded)
			<-release
		})
	}
	inner.mu.Unlock()
	stale := make(chan []string)
	go func() { stale <- listIDs(t, s, "profile-1") }()
	<-loaded
	_, err := s.AddToMyList(ctx, catalogservice.ListEntry{ProfileID: "profile-1", TitleID: "t4", AddedAt: catalogstoretest.Epoch}, event("e1"))
	must(t, err)
	close(release)
	equal(t, "the stalled reader saw the old list", <-stale, []string{"t2", "t1"})

	// Its late write-back carries the old version, so it is not served.
	equal(t, "after the write", listIDs(t, s, "profile-1"), []string{"t4", "t2", "t1"})
}

func TestReplaceFlushesNamespace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, inner, c, prefix := seededCache(t)
	_, err := s.TitlesByIDs(ctx, []string{"t1", "t4"})
	must(t, err)
	_, err = s.PeopleByIDs(ctx, []string{"p1"})
	must(t, err)
	equal(t, "my list", listIDs(t, s, "profile-1"), []string{"t2", "t1"})

	next := catalogstoretest.Fixture()
	next.Titles[0].Name = "Beta Renamed"
	next.People[0].Name = "Ava Chen-Li"
	next.MyList = next.MyList[:1]
	must(t, s.Replace(ctx, next))

	entries, err := c.Keys(ctx, prefix+"e:*").Result()
	must(t, err)
	equal(t, "entries left after Replace", entries, []string{})

	titles, err := s.TitlesByIDs(ctx, []string{"t1", "t4"})
	must(t, err)
	equal(t, "renamed title", titles["t1"].Name, "Beta Renamed")
	people, err := s.PeopleByIDs(ctx, []string{"p1"})
	must(t, err)
	equal(t, "renamed person", people["p1"].Name, "Ava Chen-Li")
	equal(t, "my list after Replace", listIDs(t, s, "profile-1"), []string{"t1"})
	equal(t, "titles loaded again", len(inner.requested("TitlesByIDs")), 2)
}

func TestEntriesExpire(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const ttl = 300 * time.Millisecond
	s, inner, _, _ := seededCache(t, rediscache.WithTTL(ttl))
	for range 2 {
		_, err := s.TitlesByIDs(ctx, []string{"t1"})
		must(t, err)
	}
	equal(t, "loads within ttl", len(inner.requested("TitlesByIDs")), 1)
	time.Sleep(ttl + 300*time.Millisecond)
	_, err := s.TitlesByIDs(ctx, []string{"t1"})
	must(t, err)
	equal(t, "loads after ttl", len(inner.requested("TitlesByIDs")), 2)
}

func TestRedisDownFallsThrough(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	inner := newCounting(sqliteInner(t))
	must(t, inner.Replace(ctx, catalogstoretest.Fixture()))
	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { _ = dead.Close() })
	s := rediscache.New(inner, dead, rediscache.WithLogger(quiet()))
	t.Cleanup(func() { _ = s.Close() })

	titles, err := s.TitlesByIDs(ctx, []string{"t1"})
	must(t, err)
	equal(t, "title without redis", titles["t1"].Name, "Beta")
	_, err = s.AddToMyList(ctx, catalogservice.ListEntry{ProfileID: "profile-2", TitleID: "t1", AddedAt: catalogstoretest.Epoch}, event("e1"))
	must(t, err)
	equal(t, "list without redis", listIDs(t, s, "profile-2"), []string{"t1"})
	must(t, s.Ping(ctx))
	if err := s.PingCache(ctx); err == nil {
		t.Error("PingCache succeeded without Redis")
	}
	if err := s.Replace(ctx, catalogstoretest.Fixture()); err == nil {
		t.Error("Replace reported success though the cache could not be flushed")
	}
}

func TestOpen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	enginetest.Redis(t)
	cfg := enginetest.Storage(t).Redis
	cfg.CacheTTL = time.Minute
	s, err := rediscache.Open(ctx, cfg, sqliteInner(t), rediscache.WithPrefix("test:catalogcache:"+unique("open")+":"))
	must(t, err)
	must(t, s.PingCache(ctx))
	must(t, s.Close())
	cfg.Addr = "127.0.0.1:1"
	if _, err := rediscache.Open(ctx, cfg, sqliteInner(t)); err == nil {
		t.Fatal("Open succeeded without Redis")
	}
}
