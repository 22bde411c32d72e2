// Package catalogloaders holds the catalog's per-request dataloaders: every entity
// lookup and relation a resolver follows is batched here into one service
// call per kind per tick, whatever the size of the page being resolved.
package catalogloaders

import (
	"context"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/cinegraph/cinegraph/internal/dataload"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
)

// DefaultWait is how long a loader gathers keys before calling the service:
// long enough for every sibling resolver of a list to ask, even on a busy
// machine, at the price of that much latency per level of nesting.
const DefaultWait = 10 * time.Millisecond

// Config tunes loaders; the zero value is the default.
type Config = dataload.Config

// GenrePage names one page of a genre's titles.
type GenrePage struct {
	Slug  string
	Limit int
	// After is the zero cursor for the first page.
	After catalogservice.TitleCursor
}

// Loaders are one request's dataloaders. Entity loaders yield nil for an
// unknown key; relation loaders yield an empty slice.
type Loaders struct {
	Titles          *dataloadgen.Loader[string, *catalogservice.Title]
	Genres          *dataloadgen.Loader[string, *catalogservice.Genre]
	People          *dataloadgen.Loader[string, *catalogservice.Person]
	Episodes        *dataloadgen.Loader[string, *catalogservice.Episode]
	Profiles        *dataloadgen.Loader[string, *catalogservice.Profile]
	CreditsByTitle  *dataloadgen.Loader[string, []catalogservice.Credit]
	CreditsByPerson *dataloadgen.Loader[string, []catalogservice.Credit]
	SeasonsByTitle  *dataloadgen.Loader[string, []catalogservice.Season]
	MyList          *dataloadgen.Loader[string, []catalogservice.ListEntry]
	// GenreTitles primes Titles with the titles of every page it loads.
	GenreTitles *dataloadgen.Loader[GenrePage, catalogservice.TitlePage]

	svc *catalogservice.Service
}

// New returns fresh loaders over svc.
func New(svc *catalogservice.Service, cfg Config) *Loaders {
	opts := cfg.Options(DefaultWait)
	l := &Loaders{
		Titles:          dataloadgen.NewLoader(dataload.Traced("Titles", dataload.Aligned(svc.TitlesByIDs)), opts...),
		Genres:          dataloadgen.NewLoader(dataload.Traced("Genres", dataload.Aligned(svc.GenresBySlugs)), opts...),
		People:          dataloadgen.NewLoader(dataload.Traced("People", dataload.Aligned(svc.PeopleByIDs)), opts...),
		Episodes:        dataloadgen.NewLoader(dataload.Traced("Episodes", dataload.Aligned(svc.EpisodesByIDs)), opts...),
		Profiles:        dataloadgen.NewLoader(dataload.Traced("Profiles", dataload.Aligned(svc.ProfilesByIDs)), opts...),
		CreditsByTitle:  dataloadgen.NewLoader(dataload.Traced("CreditsByTitle", dataload.Aligned(svc.CreditsByTitles)), opts...),
		CreditsByPerson: dataloadgen.NewLoader(dataload.Traced("CreditsByPerson", dataload.Aligned(svc.CreditsByPeople)), opts...),
		SeasonsByTitle:  dataloadgen.NewLoader(dataload.Traced("SeasonsByTitle", dataload.Aligned(svc.SeasonsByTitles)), opts...),
		MyList:          dataloadgen.NewLoader(dataload.Traced("MyList", dataload.Aligned(svc.MyLists)), opts...),
		svc:             svc,
	}
	l.GenreTitles = dataloadgen.NewLoader(dataload.Traced("GenreTitles", dataload.Aligned(l.genrePages)), opts...)
	return l
}

// For returns the loaders of ctx's request or connection.
func For(ctx context.Context) *Loaders { return dataload.For[Loaders](ctx) }

// Middleware gives every request its own loaders, so caches never outlive
// a request nor leak between viewers.
func Middleware(svc *catalogservice.Service, cfg Config) func(http.Handler) http.Handler {
	return dataload.Middleware(func() *Loaders { return New(svc, cfg) })
}

// ForConnection prepares a websocket connection's context: uncached
// loaders, since one connection runs many operations over a long time.
func ForConnection(svc *catalogservice.Service, cfg Config) func(context.Context) context.Context {
	cfg.NoCache = true
	return dataload.ForConnection(func() *Loaders { return New(svc, cfg) })
}

// PrefetchTitles loads a batch of titles at once (an _entities batch), in
// ids order, nil where unknown, and caches them for the fields that lead
// back to them; the call is spanned as the loader's batches are.
func (l *Loaders) PrefetchTitles(ctx context.Context, ids []string) ([]*catalogservice.Title, error) {
	bctx, batch := dataload.StartBatch(ctx, "Titles", len(ids))
	found, err := l.svc.TitlesByIDs(bctx, ids)
	batch.End(err)
	if err != nil {
		return nil, err
	}
	for _, t := range found {
		if t != nil {
			l.Titles.Prime(t.ID, t)
		}
	}
	return found, nil
}

// PrimeTitles caches titles a listing already fetched, so relations that
// lead back to them (an episode's series) cost no further call.
func (l *Loaders) PrimeTitles(titles []catalogservice.Title) {
	for i := range titles {
		l.Titles.Prime(titles[i].ID, &titles[i])
	}
}

func (l *Loaders) genrePages(ctx context.Context, keys []GenrePage) ([]catalogservice.TitlePage, error) {
	queries := make([]catalogservice.TitleQuery, len(keys))
	for i, k := range keys {
		q := catalogservice.TitleQuery{Filter: catalogservice.TitleFilter{Genres: []string{k.Slug}}, Limit: k.Limit}
		if k.After != (catalogservice.TitleCursor{}) {
			after := k.After
			q.After = &after
		}
		queries[i] = q
	}
	pages, err := l.svc.TitlePages(ctx, queries)
	if err != nil {
		return nil, err
	}
	for _, p := range pages {
		l.PrimeTitles(p.Titles)
	}
	return pages, nil
}
