// Package chatloaders batches the chat subgraph's lookups per request: each
// relation and entity lookup goes through a dataloader, so resolving a page
// of N rooms or messages costs one service call per relation, not N, and
// the prefetches load what an operation selects below a page ahead of its
// field resolvers.
package chatloaders

import (
	"context"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/cinegraph/cinegraph/internal/dataload"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
)

// DefaultWait is how long a loader gathers keys before fetching: short, since
// sibling fields start resolving concurrently within microseconds.
const DefaultWait = 5 * time.Millisecond

// Config tunes loaders; the zero value is the default.
type Config = dataload.Config

// Loaders are one request's dataloaders.
type Loaders struct {
	RoomByID    *dataloadgen.Loader[string, *chatservice.Room]
	RoomByTitle *dataloadgen.Loader[string, *chatservice.Room]
	MessageByID *dataloadgen.Loader[string, *chatservice.Message]
	RoomStats   *dataloadgen.Loader[string, chatservice.RoomStats]
	// MessagePage answers ChatRoom.messages for many rooms at once.
	MessagePage *dataloadgen.Loader[chatservice.PageQuery, chatservice.Page]

	svc    *chatservice.Service
	cached bool
}

// New returns fresh loaders over svc.
func New(svc *chatservice.Service, cfg Config) *Loaders {
	opts := cfg.Options(DefaultWait)
	l := &Loaders{
		RoomByID:    dataloadgen.NewLoader(dataload.Traced("RoomByID", dataload.Aligned(svc.RoomsByIDs)), opts...),
		MessageByID: dataloadgen.NewLoader(dataload.Traced("MessageByID", dataload.Aligned(svc.MessagesByIDs)), opts...),
		RoomStats:   dataloadgen.NewLoader(dataload.Traced("RoomStats", dataload.Aligned(svc.RoomStats)), opts...),
		MessagePage: dataloadgen.NewLoader(dataload.Traced("MessagePage", dataload.Aligned(svc.MessagePages)), opts...),
		svc:         svc,
		cached:      !cfg.NoCache,
	}
	// Rooms found by title are primed by id, so their messages' room field
	// costs nothing more.
	l.RoomByTitle = dataloadgen.NewLoader(dataload.Traced("RoomByTitle", dataload.Aligned(func(ctx context.Context, titleIDs []string) ([]*chatservice.Room, error) {
		rooms, err := svc.RoomsByTitleIDs(ctx, titleIDs)
		for _, r := range rooms {
			if r != nil {
				l.RoomByID.Prime(r.ID, r)
			}
		}
		return rooms, err
	})), opts...)
	return l
}

// Cached reports whether results are kept for later loads, which is what
// makes loading ahead of the resolvers worthwhile.
func (l *Loaders) Cached() bool { return l.cached }

// For returns the loaders of ctx's request or connection.
func For(ctx context.Context) *Loaders { return dataload.For[Loaders](ctx) }

// Middleware gives each HTTP request its own loaders, so cached results
// never outlive the request that loaded them.
func Middleware(svc *chatservice.Service, cfg Config) func(http.Handler) http.Handler {
	return dataload.Middleware(func() *Loaders { return New(svc, cfg) })
}

// ForConnection prepares a websocket connection's context: uncached loaders,
// since one connection delivers many events over a long time.
func ForConnection(svc *chatservice.Service, cfg Config) func(context.Context) context.Context {
	cfg.NoCache = true
	return dataload.ForConnection(func() *Loaders { return New(svc, cfg) })
}
