package chat

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/internal/storetrace"
	"github.com/cinegraph/cinegraph/internal/subgraph"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
	"github.com/cinegraph/cinegraph/subgraphs/chat/store/chatobserved"
	"github.com/cinegraph/cinegraph/subgraphs/chat/store/chatsqlite"
)

// Name is the subgraph's name in the supergraph.
const Name = "chat"

var _ subgraph.Subgraph = (*Subgraph)(nil)

// Hooks decorate the chat store as its Module opens it, in either storage
// mode, e.g. to count or time calls (the storage benchmark does). A nil
// hook leaves the store as it is.
type Hooks struct {
	WrapStore func(chatservice.Store) chatservice.Store
}

// Module is the chat subgraph's constructor set for the composition root:
// the embedded store under the data directory, or Cassandra on the
// cluster engines.
func Module(h Hooks) subgraph.Module {
	return subgraph.OneStore[chatservice.Store]{
		Name:     Name,
		Embedded: openEmbeddedStore,
		Cluster:  openClusterStore,
		Wrap:     h.WrapStore,
		Assemble: func(ctx context.Context, store chatservice.Store, d subgraph.AssembleDeps) (subgraph.Subgraph, error) {
			sg, err := Open(ctx, Options{Store: store, Bus: d.Bus, Logger: d.Logger})
			if err != nil {
				return nil, err
			}
			return sg, nil
		},
	}.Module()
}

// openEmbeddedStore opens the pure-Go store under dataDir, its calls traced
// and timed.
func openEmbeddedStore(ctx context.Context, dataDir string, db sqlite.Options) (chatservice.Store, error) {
	store, err := chatsqlite.OpenWith(ctx, filepath.Join(dataDir, chatsqlite.FileName), db)
	if err != nil {
		return nil, fmt.Errorf("chat: %w", err)
	}
	return chatobserved.Wrap(store, storetrace.SQLite, ""), nil
}
