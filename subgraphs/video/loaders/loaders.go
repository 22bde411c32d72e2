// Package loaders batches the video subgraph's lookups per request: one
// dataloader per relation or entity lookup, created fresh for each request
// by Middleware so that nothing is cached across viewers.
package loaders

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/cinegraph/cinegraph/subgraphs/video/service"
)

// DefaultWait is how long a loader collects keys before fetching: long
// enough for the resolvers of one response level (hundreds of goroutines)
// to ask, short enough to add little latency per level.
const DefaultWait = 10 * time.Millisecond

// Reader is what the loaders read from: the store's batch reads.
type Reader interface {
	service.MediaReader
	ViewingByProfiles(ctx context.Context, profileIDs []string, filter service.ViewingFilter) ([]service.Viewing, error)
}

// ViewingKey asks for one profile's viewing history under a filter.
type ViewingKey struct {
	ProfileID string
	Filter    service.ViewingFilter
}

// Loaders are one request's dataloaders.
type Loaders struct {
	// VideoByID yields nil for an unknown video.
	VideoByID *dataloadgen.Loader[string, *service.Video]
	// VideosByTitle yields a title's videos, features first, then trailers,
	// then episodes.
	VideosByTitle *dataloadgen.Loader[string, []service.Video]
	// VideoByEpisode yields nil for an episode without a video.
	VideoByEpisode *dataloadgen.Loader[string, *service.Video]
	// RenditionsByVideo yields a video's renditions, highest quality first.
	RenditionsByVideo *dataloadgen.Loader[string, []service.Rendition]
	// ViewingByProfile yields a profile's viewing, most recent first.
	ViewingByProfile *dataloadgen.Loader[ViewingKey, []service.Viewing]

	r Reader
}

// New returns fresh loaders reading from r, batching keys asked for within
// wait of each other (DefaultWait when zero).
func New(r Reader, wait time.Duration) *Loaders {
	if wait <= 0 {
		wait = DefaultWait
	}
	opt := dataloadgen.WithWait(wait)
	return &Loaders{
		VideoByID:         dataloadgen.NewLoader(videosByID(r), opt),
		VideosByTitle:     dataloadgen.NewLoader(videosByTitle(r), opt),
		VideoByEpisode:    dataloadgen.NewLoader(videoByEpisode(r), opt),
		RenditionsByVideo: dataloadgen.NewLoader(renditionsByVideo(r), opt),
		ViewingByProfile:  dataloadgen.NewLoader(viewingByProfile(r), opt),
		r:                 r,
	}
}

type ctxKey struct{}

// With returns ctx carrying l.
func With(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// From returns the loaders in ctx, if any.
func From(ctx context.Context) (*Loaders, bool) {
	l, ok := ctx.Value(ctxKey{}).(*Loaders)
	return l, ok && l != nil
}

// Middleware gives each HTTP request its own loaders over r. A websocket
// upgrade gets none: its context lives as long as the connection, and
// loaders kept that long would serve stale data to later operations.
func Middleware(r Reader, wait time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			if isUpgrade(req) {
				next.ServeHTTP(w, req)
				return
			}
			next.ServeHTTP(w, req.WithContext(With(req.Context(), New(r, wait))))
		})
	}
}

func isUpgrade(req *http.Request) bool {
	for _, v := range req.Header.Values("Connection") {
		for _, token := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(token), "upgrade") {
				return true
			}
		}
	}
	return false
}
