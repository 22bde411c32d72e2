package chat

import (
	"context"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
	"github.com/cinegraph/cinegraph/subgraphs/chat/store/chatcassandra"
)

// openClusterStore opens the chat store on Cassandra.
func openClusterStore(ctx context.Context, st config.Storage) (chatservice.Store, error) {
	store, err := chatcassandra.Open(ctx, st.Cassandra)
	if err != nil {
		return nil, err
	}
	return store, nil
}
