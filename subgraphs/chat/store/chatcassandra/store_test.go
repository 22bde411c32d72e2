package chatcassandra

import (
	"context"
	"testing"

	"github.com/cinegraph/cinegraph/internal/cassandra"
	"github.com/cinegraph/cinegraph/internal/cassandra/cassandratest"
	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
	"github.com/cinegraph/cinegraph/subgraphs/chat/store/chatstoretest"
)

// openFresh opens the store in cfg's keyspace and empties every chat table,
// outbox included: the contract's subtests run one after another, so they
// share the test run's keyspace instead of paying for a schema each.
func openFresh(t *testing.T, cfg config.Cassandra) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if err := cassandra.Truncate(ctx, cfg, append(dataTables, "chat_outbox", "chat_outbox_ids")...); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestContract(t *testing.T) {
	cfg := cassandratest.Config(t)
	chatstoretest.Run(t, func(t *testing.T) chatservice.Store { return openFresh(t, cfg) })
}
