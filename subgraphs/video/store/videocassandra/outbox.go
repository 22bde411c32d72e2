package videocassandra

import (
	"context"
	"fmt"

	"github.com/gocql/gocql"

	"github.com/cinegraph/cinegraph/internal/cassandra"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

// PendingEvents returns up to limit events, oldest first (timeuuid order).
func (st *Store) PendingEvents(ctx context.Context, limit int) ([]videoservice.OutboxEvent, error) {
	if limit <= 0 {
		return nil, nil
	}
	iter := st.s.Query(`SELECT id, topic, key, type, at, payload FROM video_outbox WHERE shard = ? LIMIT ?`, outboxShard, limit).
		WithContext(ctx).Iter()
	var out []videoservice.OutboxEvent
	var ev videoservice.OutboxEvent
	var at int64
	var payload []byte
	for iter.Scan(&ev.ID, &ev.Topic, &ev.Key, &ev.Type, &at, &payload) {
		ev.Time = fromNanos(at)
		ev.Payload = append([]byte(nil), payload...)
		out = append(out, ev)
	}
	if err := iter.Close(); err != nil {
		return nil, fmt.Errorf("select outbox: %w", err)
	}
	return out, nil
}

// DeleteEvents removes published events and releases their ids; unknown
// ids are ignored.
func (st *Store) DeleteEvents(ctx context.Context, ids []string) error {
	err := cassandra.Each(ctx, cassandra.Chunks(ids), func(ctx context.Context, chunk []string) error {
		iter := st.s.Query(`SELECT id, seq FROM video_outbox_ids WHERE id IN ?`, chunk).WithContext(ctx).Iter()
		b := st.s.NewBatch(gocql.UnloggedBatch).WithContext(ctx)
		var id string
		var seq gocql.UUID
		for iter.Scan(&id, &seq) {
			b.Query(`DELETE FROM video_outbox WHERE shard = ? AND seq = ? AND id = ?`, outboxShard, seq, id)
			b.Query(`DELETE FROM video_outbox_ids WHERE id = ?`, id)
		}
		if err := iter.Close(); err != nil {
			return err
		}
		if b.Size() == 0 {
			return nil
		}
		return st.s.ExecuteBatch(b)
	})
	if err != nil {
		return fmt.Errorf("delete outbox events: %w", err)
	}
	return nil
}
