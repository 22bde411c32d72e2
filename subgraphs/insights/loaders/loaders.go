// Package loaders holds the insights subgraph's per-request dataloaders:
// audience sentiment by title, detections by video and recommendations by
// profile, each batching one request's lookups into one service call.
package loaders

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/cinegraph/cinegraph/subgraphs/insights/service"
)

// Wait is how long a loader collects keys before fetching; gqlgen resolves
// sibling fields concurrently, so a page's lookups arrive well within it,
// even on a busy machine.
const Wait = 10 * time.Millisecond

// Loaders are one request's dataloaders.
type Loaders struct {
	svc *service.Service

	Audience        *dataloadgen.Loader[string, service.Audience]
	Detections      *dataloadgen.Loader[string, []service.Detection]
	Recommendations *dataloadgen.Loader[string, []service.Recommendation]
}

// New returns fresh loaders over svc.
func New(svc *service.Service) *Loaders {
	opts := []dataloadgen.Option{dataloadgen.WithWait(Wait), dataloadgen.WithBatchCapacity(service.MaxBatch)}
	return &Loaders{
		svc:             svc,
		Audience:        dataloadgen.NewLoader(batch(svc.Audiences), opts...),
		Detections:      dataloadgen.NewLoader(batch(svc.Detections), opts...),
		Recommendations: dataloadgen.NewLoader(batch(svc.Recommendations), opts...),
	}
}

// batch adapts a service batch read to a dataloader fetch: results in key
// order, and a failed read reported against every key.
func batch[V any](read func(context.Context, []string) ([]V, error)) func(context.Context, []string) ([]V, []error) {
	return func(ctx context.Context, keys []string) ([]V, []error) {
		values, err := read(ctx, keys)
		if err != nil {
			errs := make([]error, len(keys))
			for i := range errs {
				errs[i] = err
			}
			return make([]V, len(keys)), errs
		}
		return values, nil
	}
}

// PrefetchAudiences reads the audiences of a page of titles in one call and
// caches them, so the titles' field resolvers find them loaded. It makes the
// batch independent of how the resolvers are scheduled.
func (l *Loaders) PrefetchAudiences(ctx context.Context, titleIDs []string) error {
	return prefetch(ctx, l.Audience, l.svc.Audiences, titleIDs)
}

// PrefetchDetections reads the detections of a page of videos in one call
// and caches them.
func (l *Loaders) PrefetchDetections(ctx context.Context, videoIDs []string) error {
	return prefetch(ctx, l.Detections, l.svc.Detections, videoIDs)
}

// PrefetchRecommendations ranks titles for a page of profiles in one call
// and caches the lists.
func (l *Loaders) PrefetchRecommendations(ctx context.Context, profileIDs []string) error {
	return prefetch(ctx, l.Recommendations, l.svc.Recommendations, profileIDs)
}

func prefetch[V any](ctx context.Context, l *dataloadgen.Loader[string, V], read func(context.Context, []string) ([]V, error), ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	values, err := read(ctx, ids)
	if err != nil {
		return err
	}
	for i, id := range ids {
		l.Prime(id, values[i])
	}
	return nil
}

// PrimeAudiences caches the audiences recommendations were ranked by, so the
// recommended titles' audienceSentiment costs no further store call.
func (l *Loaders) PrimeAudiences(recs []service.Recommendation) {
	for _, r := range recs {
		l.Audience.Prime(r.TitleID, r.Audience)
	}
}

type ctxKey struct{}

// With returns ctx carrying l.
func With(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// ErrMissing means a request reached a resolver without loaders, a wiring
// mistake.
var ErrMissing = errors.New("insights dataloaders missing from the request context")

// For returns the request's loaders.
func For(ctx context.Context) (*Loaders, error) {
	l, ok := ctx.Value(ctxKey{}).(*Loaders)
	if !ok {
		return nil, ErrMissing
	}
	return l, nil
}

// Middleware gives every request its own loaders, so nothing is cached
// across requests.
func Middleware(svc *service.Service) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(With(r.Context(), New(svc))))
		})
	}
}
