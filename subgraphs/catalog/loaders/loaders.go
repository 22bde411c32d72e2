// Package loaders holds the catalog's per-request dataloaders: every entity
// lookup and relation a resolver follows is batched here into one Store
// call per kind per tick, whatever the size of the page being resolved.
package loaders

import (
	"context"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/cinegraph/cinegraph/subgraphs/catalog/service"
)

// DefaultWait is how long a loader gathers keys before calling the store:
// long enough for every sibling resolver of a list to ask, even on a busy
// machine, at the price of that much latency per level of nesting.
const DefaultWait = 10 * time.Millisecond

// GenrePage names one page of a genre's titles.
type GenrePage struct {
	Slug  string
	Limit int
	// After is the zero cursor for the first page.
	After service.TitleCursor
}

// Loaders are one request's dataloaders. Entity loaders yield nil for an
// unknown key; relation loaders yield an empty slice.
type Loaders struct {
	Titles          *dataloadgen.Loader[string, *service.Title]
	Genres          *dataloadgen.Loader[string, *service.Genre]
	People          *dataloadgen.Loader[string, *service.Person]
	Episodes        *dataloadgen.Loader[string, *service.Episode]
	Profiles        *dataloadgen.Loader[string, *service.Profile]
	CreditsByTitle  *dataloadgen.Loader[string, []service.Credit]
	CreditsByPerson *dataloadgen.Loader[string, []service.Credit]
	SeasonsByTitle  *dataloadgen.Loader[string, []service.Season]
	MyList          *dataloadgen.Loader[string, []service.ListEntry]
	GenreTitles     *dataloadgen.Loader[GenrePage, service.TitlePage]
}

// New returns fresh loaders reading from store.
func New(store service.Store, opts ...dataloadgen.Option) *Loaders {
	opts = append([]dataloadgen.Option{dataloadgen.WithWait(DefaultWait)}, opts...)
	return &Loaders{
		Titles:          dataloadgen.NewLoader(entities(store.TitlesByIDs), opts...),
		Genres:          dataloadgen.NewLoader(entities(store.GenresBySlugs), opts...),
		People:          dataloadgen.NewLoader(entities(store.PeopleByIDs), opts...),
		Episodes:        dataloadgen.NewLoader(entities(store.EpisodesByIDs), opts...),
		Profiles:        dataloadgen.NewLoader(entities(store.ProfilesByIDs), opts...),
		CreditsByTitle:  dataloadgen.NewLoader(relations(store.CreditsByTitles), opts...),
		CreditsByPerson: dataloadgen.NewLoader(relations(store.CreditsByPeople), opts...),
		SeasonsByTitle:  dataloadgen.NewLoader(relations(store.SeasonsByTitles), opts...),
		MyList:          dataloadgen.NewLoader(relations(store.MyLists), opts...),
		GenreTitles:     dataloadgen.NewLoader(genrePages(store), opts...),
	}
}

// entities adapts a map-returning batch read to key order, nil for unknown
// keys; a store failure fails every key.
func entities[V any](fetch func(context.Context, []string) (map[string]V, error)) func(context.Context, []string) ([]*V, []error) {
	return func(ctx context.Context, keys []string) ([]*V, []error) {
		out := make([]*V, len(keys))
		found, err := fetch(ctx, keys)
		if err != nil {
			return out, fill(len(keys), err)
		}
		for i, k := range keys {
			if v, ok := found[k]; ok {
				out[i] = &v
			}
		}
		return out, nil
	}
}

// relations adapts a batch read of one-to-many relations to key order.
func relations[V any](fetch func(context.Context, []string) (map[string][]V, error)) func(context.Context, []string) ([][]V, []error) {
	return func(ctx context.Context, keys []string) ([][]V, []error) {
		out := make([][]V, len(keys))
		found, err := fetch(ctx, keys)
		if err != nil {
			return out, fill(len(keys), err)
		}
		for i, k := range keys {
			out[i] = found[k]
		}
		return out, nil
	}
}

func genrePages(store service.Store) func(context.Context, []GenrePage) ([]service.TitlePage, []error) {
	return func(ctx context.Context, keys []GenrePage) ([]service.TitlePage, []error) {
		queries := make([]service.TitleQuery, len(keys))
		for i, k := range keys {
			q := service.TitleQuery{Filter: service.TitleFilter{Genres: []string{k.Slug}}, Limit: k.Limit}
			if k.After != (service.TitleCursor{}) {
				after := k.After
				q.After = &after
			}
			queries[i] = q
		}
		pages, err := store.TitlePages(ctx, queries)
		if err != nil {
			// dataloadgen wants one value slot per key, even on failure.
			return make([]service.TitlePage, len(keys)), fill(len(keys), err)
		}
		return pages, nil
	}
}

func fill(n int, err error) []error {
	out := make([]error, n)
	for i := range out {
		out[i] = err
	}
	return out
}

type ctxKey struct{}

// With returns ctx carrying l.
func With(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// From returns the request's loaders, or nil outside a request.
func From(ctx context.Context) *Loaders {
	l, _ := ctx.Value(ctxKey{}).(*Loaders)
	return l
}

// Middleware gives every request its own loaders, so caches never outlive
// a request nor leak between viewers.
func Middleware(store service.Store, opts ...dataloadgen.Option) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(With(r.Context(), New(store, opts...))))
		})
	}
}
