// Package chatcassandra is the chat subgraph's Store on Apache Cassandra for
// cluster mode. Messages are partitioned by room and day, newest first, so
// a page of a room reads one or two partitions; rooms, message ids and the
// event outbox have tables of their own. A message, its lookup rows and its
// outbox event are written in one LOGGED BATCH, so once AddMessage returns
// nothing is lost between the store and the event bus.
package chatcassandra

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gocql/gocql"

	"github.com/cinegraph/cinegraph/internal/cassandra"
	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
)

var _ chatservice.Store = (*Store)(nil)

// ErrDuplicateMessage is returned by AddMessage for a message id already
// stored.
var ErrDuplicateMessage = errors.New("message id already exists")

// Store implements chatservice.Store on Cassandra.
type Store struct {
	s   *gocql.Session
	cfg config.Cassandra
}

// Open connects to cfg's cluster, creates the keyspace and applies the chat
// migrations. Chat tables are prefixed chat_, so chat and video can share a
// keyspace.
func Open(ctx context.Context, cfg config.Cassandra) (*Store, error) {
	s, err := cassandra.Open(ctx, cfg, "chat", migrations)
	if err != nil {
		return nil, fmt.Errorf("chat store: %w", err)
	}
	return &Store{s: s, cfg: cfg}, nil
}

// Close closes the session.
func (st *Store) Close() error {
	st.s.Close()
	return nil
}

// Ping checks the cluster answers.
func (st *Store) Ping(ctx context.Context) error {
	if err := cassandra.Ping(ctx, st.s); err != nil {
		return fmt.Errorf("chat store: %w", err)
	}
	return nil
}

// Empty reports whether no rooms are stored.
func (st *Store) Empty(ctx context.Context) (bool, error) {
	var id string
	err := st.s.Query(`SELECT id FROM chat_rooms LIMIT 1`).WithContext(ctx).Scan(&id)
	if errors.Is(err, gocql.ErrNotFound) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("check for rooms: %w", err)
	}
	return false, nil
}

// bucketOf is the day a message falls in: messages of one room and day
// share a partition.
func bucketOf(t time.Time) int { return int(t.UTC().Unix() / 86400) }

func nanos(t time.Time) int64 { return t.UTC().UnixNano() }

func fromNanos(n int64) time.Time { return time.Unix(0, n).UTC() }
