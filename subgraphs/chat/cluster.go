package chat

import (
	"context"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/subgraphs/chat/service"
	chatcassandra "github.com/cinegraph/cinegraph/subgraphs/chat/store/cassandra"
)

// openClusterStore opens the chat store on Cassandra.
func openClusterStore(ctx context.Context, st config.Storage) (service.Store, error) {
	store, err := chatcassandra.Open(ctx, st.Cassandra)
	if err != nil {
		return nil, err
	}
	return store, nil
}
