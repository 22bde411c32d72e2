package platform

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/subgraphs/catalog"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
	catalogservice "github.com/cinegraph/cinegraph/subgraphs/catalog/service"
	catalogsqlite "github.com/cinegraph/cinegraph/subgraphs/catalog/store/sqlitestore"
	"github.com/cinegraph/cinegraph/subgraphs/chat"
	chatservice "github.com/cinegraph/cinegraph/subgraphs/chat/service"
	chatsqlite "github.com/cinegraph/cinegraph/subgraphs/chat/store/sqlitestore"
	"github.com/cinegraph/cinegraph/subgraphs/insights"
	insightsservice "github.com/cinegraph/cinegraph/subgraphs/insights/service"
	insightssqlite "github.com/cinegraph/cinegraph/subgraphs/insights/store/sqlitestore"
	"github.com/cinegraph/cinegraph/subgraphs/video"
	videoservice "github.com/cinegraph/cinegraph/subgraphs/video/service"
	videosqlite "github.com/cinegraph/cinegraph/subgraphs/video/store/sqlitestore"
)

// Store names a StoreWrapper is called with.
const (
	StoreCatalog       = "catalog"        // catalog service.Store
	StoreCatalogSearch = "catalog.search" // catalog search.Searcher
	StoreVideo         = "video"          // video service.Store
	StoreChat          = "chat"           // chat service.Store
	StoreInsights      = "insights"       // insights service.Store
)

// StoreWrapper decorates a subgraph's store before the subgraph uses it,
// e.g. to count or time calls. It must return a value implementing the same
// interface as store.
type StoreWrapper func(name string, store any) any

// Options tune OpenWith beyond the configuration.
type Options struct {
	// WrapStore, when set, sees every subgraph store (see the Store*
	// names) in both storage modes.
	WrapStore StoreWrapper
}

// wrapAs passes store through o's wrapper, checking the result still is a T.
func wrapAs[T any](o Options, name string, store T) (T, error) {
	if o.WrapStore == nil {
		return store, nil
	}
	w, ok := o.WrapStore(name, store).(T)
	if !ok {
		var zero T
		return zero, fmt.Errorf("store wrapper for %s returned a value that is not a %T", name, &zero)
	}
	return w, nil
}

// openWrappedEmbedded opens one subgraph on its embedded stores, opened
// here rather than by the subgraph so that o can wrap them.
func openWrappedEmbedded(ctx context.Context, name string, cfg config.Config, bus events.Bus, o Options, logger *slog.Logger) (Subgraph, error) {
	dir := cfg.DataDir
	switch name {
	case "catalog":
		st, err := catalogsqlite.Open(ctx, dir)
		if err != nil {
			return nil, err
		}
		idx, err := search.Open(filepath.Join(dir, search.DirName))
		if err != nil {
			return nil, errors.Join(err, st.Close())
		}
		return newCatalog(ctx, st, idx, catalog.Options{Bus: bus, Logger: logger}, o)
	case "video":
		st, err := videosqlite.OpenDir(ctx, dir)
		if err != nil {
			return nil, err
		}
		return openVideo(ctx, st, video.Options{Bus: bus, Logger: logger}, o)
	case "chat":
		st, err := chatsqlite.Open(ctx, filepath.Join(dir, chatsqlite.FileName))
		if err != nil {
			return nil, err
		}
		return openChat(ctx, st, chat.Options{Bus: bus, Logger: logger}, o)
	case "insights":
		st, err := insightssqlite.Open(ctx, dir)
		if err != nil {
			return nil, err
		}
		return openInsights(ctx, st, insights.Options{Bus: bus, Logger: logger}, o)
	default:
		return nil, fmt.Errorf("no subgraph named %q (have %v)", name, config.Subgraphs)
	}
}

func newCatalog(ctx context.Context, st catalogservice.Store, idx search.Searcher, opts catalog.Options, o Options) (Subgraph, error) {
	ws, err := wrapAs(o, StoreCatalog, st)
	if err != nil {
		return nil, errors.Join(err, st.Close(), idx.Close())
	}
	wi, err := wrapAs(o, StoreCatalogSearch, idx)
	if err != nil {
		return nil, errors.Join(err, st.Close(), idx.Close())
	}
	return catalog.New(ctx, ws, wi, opts)
}

func openVideo(ctx context.Context, st videoservice.Store, opts video.Options, o Options) (Subgraph, error) {
	w, err := wrapAs(o, StoreVideo, st)
	if err != nil {
		return nil, errors.Join(err, st.Close())
	}
	opts.Store = w
	return video.Open(ctx, opts)
}

func openChat(ctx context.Context, st chatservice.Store, opts chat.Options, o Options) (Subgraph, error) {
	w, err := wrapAs(o, StoreChat, st)
	if err != nil {
		return nil, errors.Join(err, st.Close())
	}
	opts.Store = w
	return chat.Open(ctx, opts)
}

func openInsights(ctx context.Context, st insightsservice.Store, opts insights.Options, o Options) (Subgraph, error) {
	w, err := wrapAs(o, StoreInsights, st)
	if err != nil {
		return nil, errors.Join(err, st.Close())
	}
	opts.Store = w
	return insights.Open(ctx, opts)
}
