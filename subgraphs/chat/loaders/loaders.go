// Package loaders batches the chat subgraph's lookups per request: each
// relation and entity lookup goes through a dataloader, so resolving a page
// of N rooms or messages costs one service call per relation, not N.
package loaders

import (
	"context"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/cinegraph/cinegraph/subgraphs/chat/service"
)

// DefaultWait is how long a loader gathers keys before fetching: short, since
// sibling fields start resolving concurrently within microseconds.
const DefaultWait = 5 * time.Millisecond

// Config tunes loaders.
type Config struct {
	// Wait is the batching window; 0 means DefaultWait.
	Wait time.Duration
	// NoCache makes every Load fetch again (batching still applies), for
	// long-lived contexts such as a websocket connection, where cached
	// stats would go stale.
	NoCache bool
}

// Loaders are one request's dataloaders.
type Loaders struct {
	RoomByID    *dataloadgen.Loader[string, *service.Room]
	RoomByTitle *dataloadgen.Loader[string, *service.Room]
	MessageByID *dataloadgen.Loader[string, *service.Message]
	RoomStats   *dataloadgen.Loader[string, service.RoomStats]
	// MessagePage answers ChatRoom.messages for many rooms at once.
	MessagePage *dataloadgen.Loader[service.PageQuery, service.Page]

	cached bool
}

// Cached reports whether results are kept for later loads, which is what
// makes loading ahead of the resolvers worthwhile.
func (l *Loaders) Cached() bool { return l.cached }

// New returns fresh loaders over svc.
func New(svc *service.Service, cfg Config) *Loaders {
	wait := cfg.Wait
	if wait <= 0 {
		wait = DefaultWait
	}
	opts := []dataloadgen.Option{dataloadgen.WithWait(wait)}
	if cfg.NoCache {
		opts = append(opts, dataloadgen.WithoutCache())
	}
	l := &Loaders{
		RoomByID:    dataloadgen.NewLoader(aligned(svc.RoomsByIDs), opts...),
		MessageByID: dataloadgen.NewLoader(aligned(svc.MessagesByIDs), opts...),
		RoomStats:   dataloadgen.NewLoader(aligned(svc.RoomStats), opts...),
		MessagePage: dataloadgen.NewLoader(aligned(svc.MessagePages), opts...),
		cached:      !cfg.NoCache,
	}
	// Rooms found by title are primed by id, so their messages' room field
	// costs nothing more.
	l.RoomByTitle = dataloadgen.NewLoader(aligned(func(ctx context.Context, titleIDs []string) ([]*service.Room, error) {
		rooms, err := svc.RoomsByTitleIDs(ctx, titleIDs)
		for _, r := range rooms {
			if r != nil {
				l.RoomByID.Prime(r.ID, r)
			}
		}
		return rooms, err
	}), opts...)
	return l
}

// aligned adapts a service batch call, whose results are already in key
// order, to a dataloader fetch with one error slot per key.
func aligned[K comparable, V any](fetch func(context.Context, []K) ([]V, error)) func(context.Context, []K) ([]V, []error) {
	return func(ctx context.Context, keys []K) ([]V, []error) {
		values, err := fetch(ctx, keys)
		errs := make([]error, len(keys))
		if err != nil {
			for i := range errs {
				errs[i] = err
			}
			return make([]V, len(keys)), errs
		}
		return values, errs
	}
}

type ctxKey struct{}

// With returns ctx carrying l.
func With(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// For returns the loaders in ctx. A context without loaders (a caller that
// skipped the middleware) gets uncached ones for this call, so lookups still
// work, only without cross-field batching.
func For(ctx context.Context, svc *service.Service) *Loaders {
	if l, ok := ctx.Value(ctxKey{}).(*Loaders); ok {
		return l
	}
	return New(svc, Config{NoCache: true})
}

// Middleware gives each HTTP request its own loaders, so cached results
// never outlive the request that loaded them.
func Middleware(svc *service.Service, cfg Config) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(With(r.Context(), New(svc, cfg))))
		})
	}
}

// ForConnection prepares a websocket connection's context: uncached loaders,
// since one connection delivers many events over a long time.
func ForConnection(svc *service.Service, cfg Config) func(context.Context) context.Context {
	cfg.NoCache = true
	return func(ctx context.Context) context.Context {
		return With(ctx, New(svc, cfg))
	}
}
