package catalogservice_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/catalogsqlite"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/catalogstoretest"
)

// watchedStore records which store methods were called.
type watchedStore struct {
	catalogservice.Store
	mu     sync.Mutex
	writes int
	calls  int
}

func (s *watchedStore) note(write bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if write {
		s.writes++
	}
}

func (s *watchedStore) TitlesByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Title, error) {
	s.note(false)
	return s.Store.TitlesByIDs(ctx, ids)
}

func (s *watchedStore) TitlePages(ctx context.Context, qs []catalogservice.TitleQuery) ([]catalogservice.TitlePage, error) {
	s.note(false)
	return s.Store.TitlePages(ctx, qs)
}

func (s *watchedStore) GenresBySlugs(ctx context.Context, slugs []string) (map[string]catalogservice.Genre, error) {
	s.note(false)
	return s.Store.GenresBySlugs(ctx, slugs)
}

func (s *watchedStore) AddToMyList(ctx context.Context, e catalogservice.ListEntry, ev events.Event) (bool, error) {
	s.note(true)
	return s.Store.AddToMyList(ctx, e, ev)
}

func (s *watchedStore) RemoveFromMyList(ctx context.Context, p, t string, ev events.Event) (bool, error) {
	s.note(true)
	return s.Store.RemoveFromMyList(ctx, p, t, ev)
}

func (s *watchedStore) Replace(ctx context.Context, d catalogservice.Dataset) error {
	s.note(true)
	return s.Store.Replace(ctx, d)
}

// fakeSearcher records rebuilds.
type fakeSearcher struct {
	mu       sync.Mutex
	version  string
	rebuilds int
	docs     []search.Document
	last     search.Request
}

func (f *fakeSearcher) Search(_ context.Context, req search.Request) (search.Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.last = req
	return search.Result{Total: 3, Hits: []search.Hit{{ID: "t1"}, {ID: "t2"}}}, nil
}

func (f *fakeSearcher) Rebuild(_ context.Context, version string, docs []search.Document) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.version, f.docs = version, docs
	f.rebuilds++
	return nil
}

func (f *fakeSearcher) Version(context.Context) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.version, nil
}

func (f *fakeSearcher) Close() error { return nil }

func newService(t *testing.T) (*catalogservice.Service, *watchedStore, *fakeSearcher) {
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
	store := &watchedStore{Store: inner}
	searcher := &fakeSearcher{}
	svc := catalogservice.New(store, catalogservice.WithSearcher(searcher), catalogservice.WithClock(func() time.Time { return catalogstoretest.Epoch }))
	return svc, store, searcher
}

func ptr[T any](v T) *T { return &v }

func TestRejectedListingsNeverReachTheStore(t *testing.T) {
	t.Parallel()
	svc, store, _ := newService(t)
	cases := []struct {
		name   string
		first  *int
		after  *string
		filter catalogservice.TitleFilter
		field  string
	}{
		{"first zero", ptr(0), nil, catalogservice.TitleFilter{}, "first"},
		{"first negative", ptr(-3), nil, catalogservice.TitleFilter{}, "first"},
		{"first too big", ptr(101), nil, catalogservice.TitleFilter{}, "first"},
		{"cursor not base64", nil, ptr("%%%"), catalogservice.TitleFilter{}, "after"},
		{"search cursor", nil, ptr(catalogservice.EncodeSearchCursor(4)), catalogservice.TitleFilter{}, "after"},
		{"unknown kind", nil, nil, catalogservice.TitleFilter{Kind: "OPERA"}, "filter.kind"},
		{"bad slug", nil, nil, catalogservice.TitleFilter{Genres: []string{"Drama!"}}, "filter.genres"},
		{"unknown rating", nil, nil, catalogservice.TitleFilter{MaturityRatings: []string{"X"}}, "filter.maturityRatings"},
		{"year too small", nil, nil, catalogservice.TitleFilter{ReleaseYearFrom: 12}, "filter.releaseYearFrom"},
		{"years reversed", nil, nil, catalogservice.TitleFilter{ReleaseYearFrom: 2001, ReleaseYearTo: 2000}, "filter.releaseYearFrom"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := svc.Titles(context.Background(), tc.first, tc.after, tc.filter)
			e, ok := errs.As(err)
			if !ok || e.Code != errs.BadUserInput || e.Field != tc.field {
				t.Errorf("err = %v, want BAD_USER_INPUT on %s", err, tc.field)
			}
		})
	}
	if store.calls != 0 {
		t.Errorf("rejected input reached the store %d times", store.calls)
	}
}

func TestUnknownGenreFilter(t *testing.T) {
	t.Parallel()
	svc, store, _ := newService(t)
	_, err := svc.Titles(context.Background(), nil, nil, catalogservice.TitleFilter{Genres: []string{"drama", "polka"}})
	if e, ok := errs.As(err); !ok || e.Field != "filter.genres" {
		t.Errorf("err = %v, want unknown genre", err)
	}
	if store.calls != 1 {
		t.Errorf("%d store calls, want only the genre check", store.calls)
	}
}

func TestTitlesPageAndCursor(t *testing.T) {
	t.Parallel()
	svc, _, _ := newService(t)
	ctx := context.Background()
	first, err := svc.Titles(ctx, ptr(2), nil, catalogservice.TitleFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if first.Total != 4 || !first.HasNext || first.Titles[0].ID != "t2" || first.Titles[1].ID != "t1" {
		t.Fatalf("first page %+v", first)
	}
	cursor := catalogservice.EncodeTitleCursor(first.Titles[1])
	next, err := svc.Titles(ctx, ptr(2), &cursor, catalogservice.TitleFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if next.HasNext || next.Titles[0].ID != "t3" || next.Titles[1].ID != "t4" {
		t.Errorf("second page %+v", next)
	}
}

func TestCursorsRoundTrip(t *testing.T) {
	t.Parallel()
	title := catalogservice.Title{ID: "t1", Name: `Odd "name" / with ü`}
	enc := catalogservice.EncodeTitleCursor(title)
	got, err := catalogservice.DecodeTitleCursor("after", &enc)
	if err != nil || got.Name != title.Name || got.ID != title.ID {
		t.Errorf("title cursor round trip = %+v, %v", got, err)
	}
	s := catalogservice.EncodeSearchCursor(7)
	off, err := catalogservice.DecodeSearchCursor("after", &s)
	if err != nil || off != 8 {
		t.Errorf("search cursor after 7 starts at %d, %v", off, err)
	}
	if off, err := catalogservice.DecodeSearchCursor("after", nil); off != 0 || err != nil {
		t.Errorf("no cursor = %d, %v", off, err)
	}
	for _, bad := range []string{"x", enc, "c2VhcmNoOi0x" /* search:-1 */} {
		if _, err := catalogservice.DecodeSearchCursor("after", &bad); err == nil {
			t.Errorf("search cursor %q accepted", bad)
		}
	}
}

func TestMyListRules(t *testing.T) {
	t.Parallel()
	svc, store, _ := newService(t)
	ctx := context.Background()
	cases := []struct {
		name    string
		profile string
		title   string
		code    errs.Code
	}{
		{"unknown title", "profile-1", "t404", errs.NotFound},
		{"unknown profile", "profile-404", "t1", errs.NotFound},
		{"malformed title", "profile-1", "t 1", errs.BadUserInput},
		{"empty title", "profile-1", "", errs.BadUserInput},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, op := range []func(context.Context, string, string) (catalogservice.Profile, error){svc.AddToMyList, svc.RemoveFromMyList} {
				if _, err := op(ctx, tc.profile, tc.title); errs.CodeOf(err) != tc.code {
					t.Errorf("err = %v, want %s", err, tc.code)
				}
			}
		})
	}
	if store.writes != 0 {
		t.Errorf("rejected changes wrote %d times", store.writes)
	}
	p, err := svc.AddToMyList(ctx, "profile-2", "t3")
	if err != nil || p.Name != "Grace" {
		t.Fatalf("add = %+v, %v", p, err)
	}
	if _, err := svc.AddToMyList(ctx, "profile-2", "t3"); err != nil {
		t.Fatal(err)
	}
	pending, err := store.PendingEvents(ctx, 10)
	if err != nil || len(pending) != 1 {
		t.Fatalf("outbox = %+v, %v (one event for one change)", pending, err)
	}
	ev := pending[0]
	if ev.Type != catalogservice.EventMyListAdded || ev.Key != "profile-2" || ev.Topic != events.TopicCatalogChanges ||
		string(ev.Payload) != `{"profileId":"profile-2","titleId":"t3"}` {
		t.Errorf("event = %+v %s", ev, ev.Payload)
	}
	list, err := svc.MyList(ctx, "profile-2")
	if err != nil || len(list) != 1 || !list[0].AddedAt.Equal(catalogstoretest.Epoch) {
		t.Errorf("list = %+v, %v", list, err)
	}
}

func TestProfileNotFound(t *testing.T) {
	t.Parallel()
	svc, _, _ := newService(t)
	_, err := svc.Profile(context.Background(), "profile-9")
	if errs.CodeOf(err) != errs.NotFound {
		t.Errorf("err = %v", err)
	}
}

func TestSearchValidatesAndPages(t *testing.T) {
	t.Parallel()
	svc, _, searcher := newService(t)
	ctx := context.Background()
	after := catalogservice.EncodeSearchCursor(9)
	page, err := svc.Search(ctx, "  alpha ", ptr(2), &after, catalogservice.TitleFilter{Kind: catalogservice.KindSeries})
	if err != nil {
		t.Fatal(err)
	}
	if searcher.last.Query != "alpha" || searcher.last.Offset != 10 || searcher.last.Limit != 2 || searcher.last.Kind != catalogservice.KindSeries {
		t.Errorf("searcher got %+v", searcher.last)
	}
	if page.Offset != 10 || page.HasNext {
		t.Errorf("page %+v: 12 >= total 3, so no next page", page)
	}
	for _, q := range []string{"", "   ", string(make([]byte, 201))} {
		if _, err := svc.Search(ctx, q, nil, nil, catalogservice.TitleFilter{}); errs.CodeOf(err) != errs.BadUserInput {
			t.Errorf("query %q: err = %v", q, err)
		}
	}
	bare := catalogservice.New(&watchedStore{})
	if _, err := bare.Search(ctx, "x", nil, nil, catalogservice.TitleFilter{}); errs.CodeOf(err) != errs.Unavailable {
		t.Errorf("search without a searcher: %v", err)
	}
}

func TestEnsureIndexRebuildsOnlyWhenStale(t *testing.T) {
	t.Parallel()
	svc, _, searcher := newService(t)
	ctx := context.Background()
	if err := svc.EnsureIndex(ctx); err != nil {
		t.Fatal(err)
	}
	if err := svc.EnsureIndex(ctx); err != nil {
		t.Fatal(err)
	}
	if searcher.rebuilds != 1 {
		t.Fatalf("%d rebuilds for one data version, want 1", searcher.rebuilds)
	}
	doc := searcher.docs[slices.IndexFunc(searcher.docs, func(d search.Document) bool { return d.ID == "t1" })]
	if !slices.Equal(doc.Cast, []string{"Liam Rossi", "Ava Chen"}) || !slices.Equal(doc.GenreNames, []string{"Drama", "Comedy"}) {
		t.Errorf("indexed document %+v", doc)
	}
	if err := svc.Replace(ctx, catalogstoretest.Fixture()); err != nil {
		t.Fatal(err)
	}
	if err := svc.EnsureIndex(ctx); err != nil {
		t.Fatal(err)
	}
	if searcher.rebuilds != 2 {
		t.Errorf("%d rebuilds after a reseed, want 2", searcher.rebuilds)
	}
}
