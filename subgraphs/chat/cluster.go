package chat

import (
	"context"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/storetrace"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
	"github.com/cinegraph/cinegraph/subgraphs/chat/store/chatcassandra"
	"github.com/cinegraph/cinegraph/subgraphs/chat/store/chatobserved"
)

// openClusterStore opens the chat store on Cassandra, its calls traced and
// timed.
func openClusterStore(ctx context.Context, st config.Storage) (chatservice.Store, error) {
	store, err := chatcassandra.Open(ctx, st.Cassandra)
	if err != nil {
		return nil, err
	}
	return chatobserved.Wrap(store, storetrace.Cassandra, "chat_"), nil
}
