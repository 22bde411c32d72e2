// Package videoloaders batches the video subgraph's lookups per request: one
// dataloader per relation or entity lookup over the service's batch reads,
// created fresh for each request by Middleware so that nothing is cached
// across viewers, and the prefetches that load what an operation selects
// below a page of entities.
package videoloaders

import (
	"context"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/cinegraph/cinegraph/internal/dataload"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

// DefaultWait is how long a loader collects keys before fetching: long
// enough for the resolvers of one response level (hundreds of goroutines)
// to ask, short enough to add little latency per level.
const DefaultWait = 10 * time.Millisecond

// Config tunes loaders; the zero value is the default.
type Config = dataload.Config

// ViewingKey asks for one profile's viewing history under a filter.
type ViewingKey struct {
	ProfileID string
	Filter    videoservice.ViewingFilter
}

// Loaders are one request's dataloaders.
type Loaders struct {
	// VideoByID yields nil for an unknown video.
	VideoByID *dataloadgen.Loader[string, *videoservice.Video]
	// VideosByTitle yields a title's videos, features first, then trailers,
	// then episodes.
	VideosByTitle *dataloadgen.Loader[string, []videoservice.Video]
	// VideoByEpisode yields nil for an episode without a video.
	VideoByEpisode *dataloadgen.Loader[string, *videoservice.Video]
	// RenditionsByVideo yields a video's renditions, highest quality first.
	RenditionsByVideo *dataloadgen.Loader[string, []videoservice.Rendition]
	// ViewingByProfile yields a profile's viewing, most recent first.
	ViewingByProfile *dataloadgen.Loader[ViewingKey, []videoservice.Viewing]

	svc *videoservice.Service
}

// New returns fresh loaders over svc.
func New(svc *videoservice.Service, cfg Config) *Loaders {
	opts := cfg.Options(DefaultWait)
	return &Loaders{
		VideoByID:         dataloadgen.NewLoader(dataload.Traced("VideoByID", dataload.Aligned(svc.VideosByIDs)), opts...),
		VideosByTitle:     dataloadgen.NewLoader(dataload.Traced("VideosByTitle", dataload.Aligned(svc.VideosByTitles)), opts...),
		VideoByEpisode:    dataloadgen.NewLoader(dataload.Traced("VideoByEpisode", dataload.Aligned(svc.VideosByEpisodes)), opts...),
		RenditionsByVideo: dataloadgen.NewLoader(dataload.Traced("RenditionsByVideo", dataload.Aligned(svc.RenditionsByVideos)), opts...),
		ViewingByProfile:  dataloadgen.NewLoader(dataload.Traced("ViewingByProfile", viewingByProfile(svc)), opts...),
		svc:               svc,
	}
}

// For returns the loaders of ctx's request or connection.
func For(ctx context.Context) *Loaders { return dataload.For[Loaders](ctx) }

// Middleware gives each HTTP request its own loaders over svc.
func Middleware(svc *videoservice.Service, cfg Config) func(http.Handler) http.Handler {
	return dataload.Middleware(func() *Loaders { return New(svc, cfg) })
}

// ForConnection prepares a websocket connection's context: uncached
// loaders, since the connection outlives any one operation and cached
// results would go stale for later ones.
func ForConnection(svc *videoservice.Service, cfg Config) func(context.Context) context.Context {
	cfg.NoCache = true
	return dataload.ForConnection(func() *Loaders { return New(svc, cfg) })
}

// viewingByProfile makes one service call per distinct filter in the
// batch; a page asks for one filter, so that is one call.
func viewingByProfile(svc *videoservice.Service) func(context.Context, []ViewingKey) ([][]videoservice.Viewing, []error) {
	return func(ctx context.Context, keys []ViewingKey) ([][]videoservice.Viewing, []error) {
		out := make([][]videoservice.Viewing, len(keys))
		errs := make([]error, len(keys))
		var filters []videoservice.ViewingFilter
		byFilter := map[videoservice.ViewingFilter][]int{}
		for i, k := range keys {
			if _, seen := byFilter[k.Filter]; !seen {
				filters = append(filters, k.Filter)
			}
			byFilter[k.Filter] = append(byFilter[k.Filter], i)
		}
		for _, f := range filters {
			idx := byFilter[f]
			profiles := make([]string, len(idx))
			for j, i := range idx {
				profiles[j] = keys[i].ProfileID
			}
			viewing, err := svc.ViewingByProfiles(ctx, profiles, f)
			for j, i := range idx {
				if err != nil {
					errs[i] = err
					continue
				}
				out[i] = viewing[j]
			}
		}
		return out, errs
	}
}
