// Package insightsloaders holds the insights subgraph's per-request dataloaders:
// audience sentiment and advisories by title, detections by video and recommendations by
// profile, each batching one request's lookups into one service call, and
// the prefetches that load a whole page of entities at once.
package insightsloaders

import (
	"context"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/cinegraph/cinegraph/internal/dataload"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
)

// DefaultWait is how long a loader collects keys before fetching; gqlgen
// resolves sibling fields concurrently, so a page's lookups arrive well
// within it, even on a busy machine.
const DefaultWait = 10 * time.Millisecond

// Config tunes loaders; the zero value is the default.
type Config = dataload.Config

// Loaders are one request's dataloaders.
type Loaders struct {
	svc *insightsservice.Service

	Audience        *dataloadgen.Loader[string, insightsservice.Audience]
	Detections      *dataloadgen.Loader[string, []insightsservice.Detection]
	Advisories      *dataloadgen.Loader[string, []insightsservice.Advisory]
	Recommendations *dataloadgen.Loader[string, []insightsservice.Recommendation]
}

// New returns fresh loaders over svc.
func New(svc *insightsservice.Service, cfg Config) *Loaders {
	opts := cfg.Options(DefaultWait, dataloadgen.WithBatchCapacity(insightsservice.MaxBatch))
	return &Loaders{
		svc:             svc,
		Audience:        dataloadgen.NewLoader(dataload.Traced("Audience", dataload.Aligned(svc.Audiences)), opts...),
		Detections:      dataloadgen.NewLoader(dataload.Traced("Detections", dataload.Aligned(svc.Detections)), opts...),
		Advisories:      dataloadgen.NewLoader(dataload.Traced("Advisories", dataload.Aligned(svc.Advisories)), opts...),
		Recommendations: dataloadgen.NewLoader(dataload.Traced("Recommendations", dataload.Aligned(svc.Recommendations)), opts...),
	}
}

// For returns the loaders of ctx's request or connection.
func For(ctx context.Context) *Loaders { return dataload.For[Loaders](ctx) }

// Middleware gives every HTTP request its own loaders, so nothing is cached
// across requests.
func Middleware(svc *insightsservice.Service, cfg Config) func(http.Handler) http.Handler {
	return dataload.Middleware(func() *Loaders { return New(svc, cfg) })
}

// ForConnection prepares a websocket connection's context: uncached
// loaders, since one connection runs many operations over a long time.
func ForConnection(svc *insightsservice.Service, cfg Config) func(context.Context) context.Context {
	cfg.NoCache = true
	return dataload.ForConnection(func() *Loaders { return New(svc, cfg) })
}

// PrefetchAudiences reads the audiences of a page of titles in one call and
// caches them, so the titles' field resolvers find them loaded. It makes the
// batch independent of how the resolvers are scheduled.
func (l *Loaders) PrefetchAudiences(ctx context.Context, titleIDs []string) error {
	return prefetch(ctx, "Audience", l.Audience, l.svc.Audiences, titleIDs)
}

// PrefetchAdvisories reads the advisories of a page of titles in one call
// and caches them.
func (l *Loaders) PrefetchAdvisories(ctx context.Context, titleIDs []string) error {
	return prefetch(ctx, "Advisories", l.Advisories, l.svc.Advisories, titleIDs)
}

// PrefetchDetections reads the detections of a page of videos in one call
// and caches them.
func (l *Loaders) PrefetchDetections(ctx context.Context, videoIDs []string) error {
	return prefetch(ctx, "Detections", l.Detections, l.svc.Detections, videoIDs)
}

// PrefetchRecommendations ranks titles for a page of profiles in one call
// and caches the lists.
func (l *Loaders) PrefetchRecommendations(ctx context.Context, profileIDs []string) error {
	return prefetch(ctx, "Recommendations", l.Recommendations, l.svc.Recommendations, profileIDs)
}

// prefetch reads ids in one call and primes l, the loader called name,
// with the answers; the call is spanned as the loader's batches are.
func prefetch[V any](ctx context.Context, name string, l *dataloadgen.Loader[string, V], read func(context.Context, []string) ([]V, error), ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	bctx, batch := dataload.StartBatch(ctx, name, len(ids))
	values, err := read(bctx, ids)
	batch.End(err)
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
func (l *Loaders) PrimeAudiences(recs []insightsservice.Recommendation) {
	for _, r := range recs {
		l.Audience.Prime(r.TitleID, r.Audience)
	}
}
