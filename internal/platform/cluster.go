package platform

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/kafka"
	"github.com/cinegraph/cinegraph/subgraphs/catalog"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search/elastic"
	catalogpg "github.com/cinegraph/cinegraph/subgraphs/catalog/store/postgres"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/rediscache"
	"github.com/cinegraph/cinegraph/subgraphs/chat"
	chatcassandra "github.com/cinegraph/cinegraph/subgraphs/chat/store/cassandra"
	"github.com/cinegraph/cinegraph/subgraphs/insights"
	insightspg "github.com/cinegraph/cinegraph/subgraphs/insights/store/postgres"
	"github.com/cinegraph/cinegraph/subgraphs/video"
	videocassandra "github.com/cinegraph/cinegraph/subgraphs/video/store/cassandra"
)

// openClusterBus connects to Kafka.
func openClusterBus(ctx context.Context, cfg config.Config) (events.Bus, error) {
	return kafka.Open(ctx, cfg.Storage.Kafka, kafka.Options{})
}

// openClusterSubgraph opens one subgraph on the real engines: the catalog on
// PostgreSQL behind a Redis cache with Elasticsearch search, insights on
// PostgreSQL, chat and video on Cassandra.
func openClusterSubgraph(ctx context.Context, name string, cfg config.Config, bus events.Bus, logger *slog.Logger, o Options) (Subgraph, error) {
	st := cfg.Storage
	switch name {
	case "catalog":
		pg, err := catalogpg.Open(ctx, st.Postgres)
		if err != nil {
			return nil, err
		}
		cached, err := rediscache.Open(ctx, st.Redis, pg)
		if err != nil {
			return nil, errors.Join(err, pg.Close())
		}
		searcher, err := elastic.Open(ctx, st.Elasticsearch)
		if err != nil {
			return nil, errors.Join(err, cached.Close())
		}
		return newCatalog(ctx, cached, searcher, catalog.Options{Bus: bus, Logger: logger}, o)
	case "video":
		store, err := videocassandra.Open(ctx, st.Cassandra)
		if err != nil {
			return nil, err
		}
		return openVideo(ctx, store, video.Options{Bus: bus, Logger: logger}, o)
	case "chat":
		store, err := chatcassandra.Open(ctx, st.Cassandra)
		if err != nil {
			return nil, err
		}
		return openChat(ctx, store, chat.Options{Bus: bus, Logger: logger}, o)
	case "insights":
		store, err := insightspg.Open(ctx, st.Postgres)
		if err != nil {
			return nil, err
		}
		return openInsights(ctx, store, insights.Options{Bus: bus, Logger: logger}, o)
	default:
		return nil, fmt.Errorf("no subgraph named %q (have %v)", name, config.Subgraphs)
	}
}
