// Package videocassandra is the video subgraph's Store on Apache Cassandra for
// cluster mode: videos and renditions, playback sessions, each profile's
// viewing history (one row per video) with a continue-watching view
// clustered by last watched, newest first, and the event outbox.
// RecordProgress writes the session, the history, the continue-watching row
// and the outbox event in one LOGGED BATCH, so a progress report is never
// stored without its event.
package videocassandra

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gocql/gocql"

	"github.com/cinegraph/cinegraph/internal/cassandra"
	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

var _ videoservice.Store = (*Store)(nil)

// Errors for ids that must be new.
var (
	ErrDuplicateSession = errors.New("playback session id already exists")
	ErrDuplicateEvent   = errors.New("outbox event id already exists")
)

// Store implements videoservice.Store on Cassandra.
type Store struct {
	s   *gocql.Session
	cfg config.Cassandra
}

// Open connects to cfg's cluster, creates the keyspace and applies the
// video migrations. Video tables are prefixed video_, so video and chat can
// share a keyspace.
func Open(ctx context.Context, cfg config.Cassandra) (*Store, error) {
	s, err := cassandra.Open(ctx, cfg, "video", migrations)
	if err != nil {
		return nil, fmt.Errorf("video store: %w", err)
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
		return fmt.Errorf("video store: %w", err)
	}
	return nil
}

// Empty reports whether no video is stored yet.
func (st *Store) Empty(ctx context.Context) (bool, error) {
	var id string
	err := st.s.Query(`SELECT id FROM video_videos LIMIT 1`).WithContext(ctx).Scan(&id)
	if errors.Is(err, gocql.ErrNotFound) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("check for videos: %w", err)
	}
	return false, nil
}

func nanos(t time.Time) int64 { return t.UTC().UnixNano() }

func fromNanos(n int64) time.Time { return time.Unix(0, n).UTC() }
