package catalogloaders_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/dataload"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogloaders"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/catalogsqlite"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/catalogstoretest"
)

type countingStore struct {
	catalogservice.Store
	titleCalls  atomic.Int32
	creditCalls atomic.Int32
	fail        error
}

func (s *countingStore) TitlesByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Title, error) {
	s.titleCalls.Add(1)
	if s.fail != nil {
		return nil, s.fail
	}
	return s.Store.TitlesByIDs(ctx, ids)
}

func (s *countingStore) CreditsByTitles(ctx context.Context, ids []string) (map[string][]catalogservice.Credit, error) {
	s.creditCalls.Add(1)
	return s.Store.CreditsByTitles(ctx, ids)
}

func newStore(t *testing.T) *countingStore {
	t.Helper()
	ctx := context.Background()
	inner, err := catalogsqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = inner.Close() })
	if err := inner.Replace(ctx, catalogstoretest.Fixture()); err != nil {
		t.Fatal(err)
	}
	return &countingStore{Store: inner}
}

func TestConcurrentLoadsShareOneCall(t *testing.T) {
	t.Parallel()
	store := newStore(t)
	l := catalogloaders.New(catalogservice.New(store), catalogloaders.Config{Wait: 50 * time.Millisecond})
	ctx := context.Background()
	keys := []string{"t1", "t2", "t404", "t4", "t1"}
	got := make([]*catalogservice.Title, len(keys))
	credits := make([][]catalogservice.Credit, len(keys))
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if got[i], err = l.Titles.Load(ctx, k); err != nil {
				t.Error(err)
			}
			if credits[i], err = l.CreditsByTitle.Load(ctx, k); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := store.titleCalls.Load(); n != 1 {
		t.Errorf("%d title calls, want 1", n)
	}
	if n := store.creditCalls.Load(); n != 1 {
		t.Errorf("%d credit calls, want 1", n)
	}
	for i, k := range keys {
		switch {
		case k == "t404" && (got[i] != nil || credits[i] != nil):
			t.Errorf("unknown key %s = %+v, %+v", k, got[i], credits[i])
		case k != "t404" && (got[i] == nil || got[i].ID != k):
			t.Errorf("key %s got %+v", k, got[i])
		}
	}
	if len(credits[0]) != 2 || credits[0][0].Billing != 1 {
		t.Errorf("credits of t1 = %+v", credits[0])
	}
	// Cached: a second load costs nothing.
	if _, err := l.Titles.Load(ctx, "t2"); err != nil || store.titleCalls.Load() != 1 {
		t.Errorf("cached load: %v, %d calls", err, store.titleCalls.Load())
	}
}

func TestStoreFailureFailsEveryKey(t *testing.T) {
	t.Parallel()
	store := newStore(t)
	store.fail = errors.New("disk on fire")
	l := catalogloaders.New(catalogservice.New(store), catalogloaders.Config{Wait: time.Millisecond})
	_, err := l.Titles.LoadAll(context.Background(), []string{"t1", "t2"})
	if !errors.Is(err, store.fail) {
		t.Errorf("err = %v", err)
	}
}

func TestGenrePagesBatch(t *testing.T) {
	t.Parallel()
	store := newStore(t)
	l := catalogloaders.New(catalogservice.New(store), catalogloaders.Config{Wait: 20 * time.Millisecond})
	pages, err := l.GenreTitles.LoadAll(context.Background(), []catalogloaders.GenrePage{
		{Slug: "comedy", Limit: 1},
		{Slug: "comedy", Limit: 5, After: catalogservice.TitleCursor{Name: "Beta", ID: "t1"}},
		{Slug: "western", Limit: 5},
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages[0].Total != 2 || !pages[0].HasNext || pages[0].Titles[0].ID != "t1" {
		t.Errorf("first comedy page %+v", pages[0])
	}
	if len(pages[1].Titles) != 1 || pages[1].Titles[0].ID != "t3" {
		t.Errorf("second comedy page %+v", pages[1])
	}
	if pages[2].Total != 0 || len(pages[2].Titles) != 0 {
		t.Errorf("western page %+v", pages[2])
	}
}

func TestMiddlewareGivesEachRequestItsOwnLoaders(t *testing.T) {
	t.Parallel()
	store := newStore(t)
	var seen []*catalogloaders.Loaders
	h := catalogloaders.Middleware(catalogservice.New(store), catalogloaders.Config{})(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		seen = append(seen, catalogloaders.For(r.Context()))
	}))
	for range 2 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", nil))
	}
	if len(seen) != 2 || seen[0] == nil || seen[0] == seen[1] {
		t.Errorf("loaders per request: %v", seen)
	}
	func() {
		defer func() {
			if err, _ := recover().(error); !errors.Is(err, dataload.ErrMissing) {
				t.Errorf("loaders outside a request: recovered %v, want ErrMissing", err)
			}
		}()
		catalogloaders.For(context.Background())
	}()
}
