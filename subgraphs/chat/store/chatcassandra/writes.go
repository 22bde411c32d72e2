package chatcassandra

import (
	"context"
	"errors"
	"fmt"

	"github.com/gocql/gocql"

	"github.com/cinegraph/cinegraph/internal/cassandra"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
)

// AddMessage claims m's id with a lightweight transaction, then writes the
// message, its lookup rows and ev in one logged batch: Cassandra applies
// all of a logged batch or, after a coordinator failure, replays it from
// the batchlog, so the event is never lost once the message is stored.
func (st *Store) AddMessage(ctx context.Context, m chatservice.Message, ev events.Event) error {
	var titleID string
	err := st.s.Query(`SELECT title_id FROM chat_rooms WHERE id = ?`, m.RoomID).WithContext(ctx).Scan(&titleID)
	if errors.Is(err, gocql.ErrNotFound) {
		return fmt.Errorf("add message %s to %s: %w", m.ID, m.RoomID, chatservice.ErrRoomNotFound)
	}
	if err != nil {
		return fmt.Errorf("add message %s: read room: %w", m.ID, err)
	}
	seq := gocql.TimeUUID()
	claimed, err := cassandra.Claim(ctx, st.s.Query(`INSERT INTO chat_message_ids (id, room_id, claim) VALUES (?, ?, ?) IF NOT EXISTS`,
		m.ID, m.RoomID, seq), "claim", seq)
	if err != nil {
		return fmt.Errorf("add message %s: claim id: %w", m.ID, err)
	}
	if !claimed {
		return fmt.Errorf("add message %s: %w", m.ID, ErrDuplicateMessage)
	}
	b := st.s.NewBatch(gocql.LoggedBatch).WithContext(ctx)
	b.Query(`INSERT INTO chat_messages (room_id, bucket, sent_at, id, author_id, body) VALUES (?, ?, ?, ?, ?, ?)`,
		m.RoomID, bucketOf(m.SentAt), nanos(m.SentAt), m.ID, m.AuthorID, m.Body)
	b.Query(`INSERT INTO chat_messages_by_id (id, room_id, author_id, body, sent_at) VALUES (?, ?, ?, ?, ?)`,
		m.ID, m.RoomID, m.AuthorID, m.Body, nanos(m.SentAt))
	b.Query(`INSERT INTO chat_room_buckets (room_id, bucket) VALUES (?, ?)`, m.RoomID, bucketOf(m.SentAt))
	b.Query(`INSERT INTO chat_outbox (shard, seq, id, topic, key, type, time, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		outboxShard, seq, ev.ID, ev.Topic, ev.Key, ev.Type, nanos(ev.Time), []byte(ev.Payload))
	b.Query(`INSERT INTO chat_outbox_ids (id, seq) VALUES (?, ?)`, ev.ID, seq)
	if err := st.s.ExecuteBatch(b); err != nil {
		return fmt.Errorf("add message %s: %w", m.ID, err)
	}
	return nil
}

// PendingEvents returns up to limit outbox events, oldest first.
func (st *Store) PendingEvents(ctx context.Context, limit int) ([]events.Event, error) {
	if limit <= 0 {
		return nil, nil
	}
	iter := st.s.Query(`SELECT id, topic, key, type, time, payload FROM chat_outbox WHERE shard = ? LIMIT ?`, outboxShard, limit).
		WithContext(ctx).Iter()
	var out []events.Event
	var ev events.Event
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

// DeleteEvents removes outbox events by id; unknown ids are ignored.
func (st *Store) DeleteEvents(ctx context.Context, ids []string) error {
	err := cassandra.Each(ctx, cassandra.Chunks(ids), func(ctx context.Context, chunk []string) error {
		iter := st.s.Query(`SELECT id, seq FROM chat_outbox_ids WHERE id IN ?`, chunk).WithContext(ctx).Iter()
		b := st.s.NewBatch(gocql.UnloggedBatch).WithContext(ctx)
		var id string
		var seq gocql.UUID
		for iter.Scan(&id, &seq) {
			b.Query(`DELETE FROM chat_outbox WHERE shard = ? AND seq = ? AND id = ?`, outboxShard, seq, id)
			b.Query(`DELETE FROM chat_outbox_ids WHERE id = ?`, id)
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

// ReplaceAll empties the chat tables, outbox aside, and writes rooms and
// msgs. Cassandra has no multi-table transaction: a reader during the swap
// can see it half done, and a failure leaves it so until the next call.
// Seeding is an operator's action on an idle cluster, where this is fine.
func (st *Store) ReplaceAll(ctx context.Context, rooms []chatservice.Room, msgs []chatservice.Message) error {
	if err := cassandra.Truncate(ctx, st.cfg, dataTables...); err != nil {
		return fmt.Errorf("replace chat data: %w", err)
	}
	err := cassandra.Each(ctx, rooms, func(ctx context.Context, r chatservice.Room) error {
		b := st.s.NewBatch(gocql.LoggedBatch).WithContext(ctx)
		b.Query(`INSERT INTO chat_rooms (id, title_id, title_name) VALUES (?, ?, ?)`, r.ID, r.TitleID, r.TitleName)
		b.Query(`INSERT INTO chat_rooms_by_title (title_id, room_id, title_name) VALUES (?, ?, ?)`, r.TitleID, r.ID, r.TitleName)
		if err := st.s.ExecuteBatch(b); err != nil {
			return fmt.Errorf("insert room %s: %w", r.ID, err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("replace chat data: %w", err)
	}
	err = cassandra.Each(ctx, msgs, func(ctx context.Context, m chatservice.Message) error {
		b := st.s.NewBatch(gocql.LoggedBatch).WithContext(ctx)
		b.Query(`INSERT INTO chat_message_ids (id, room_id) VALUES (?, ?)`, m.ID, m.RoomID)
		b.Query(`INSERT INTO chat_messages (room_id, bucket, sent_at, id, author_id, body) VALUES (?, ?, ?, ?, ?, ?)`,
			m.RoomID, bucketOf(m.SentAt), nanos(m.SentAt), m.ID, m.AuthorID, m.Body)
		b.Query(`INSERT INTO chat_messages_by_id (id, room_id, author_id, body, sent_at) VALUES (?, ?, ?, ?, ?)`,
			m.ID, m.RoomID, m.AuthorID, m.Body, nanos(m.SentAt))
		b.Query(`INSERT INTO chat_room_buckets (room_id, bucket) VALUES (?, ?)`, m.RoomID, bucketOf(m.SentAt))
		if err := st.s.ExecuteBatch(b); err != nil {
			return fmt.Errorf("insert message %s: %w", m.ID, err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("replace chat data: %w", err)
	}
	return nil
}
