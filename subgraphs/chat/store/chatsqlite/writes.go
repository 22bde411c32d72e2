package chatsqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
)

// AddMessage inserts m and its event into the outbox in one transaction.
func (s *Store) AddMessage(ctx context.Context, m chatservice.Message, ev events.Event) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("add message %s: %w", m.ID, err)
	}
	defer func() { _ = tx.Rollback() }()
	var one int
	err = tx.QueryRowContext(ctx, `SELECT 1 FROM rooms WHERE id = ?`, m.RoomID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("add message %s to %s: %w", m.ID, m.RoomID, chatservice.ErrRoomNotFound)
	}
	if err != nil {
		return fmt.Errorf("add message %s: %w", m.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO messages (id, room_id, author_id, body, sent_at) VALUES (?, ?, ?, ?, ?)`,
		m.ID, m.RoomID, m.AuthorID, m.Body, m.SentAt.UnixNano()); err != nil {
		return fmt.Errorf("add message %s: %w", m.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (id, topic, key, type, time, payload) VALUES (?, ?, ?, ?, ?, ?)`,
		ev.ID, ev.Topic, ev.Key, ev.Type, ev.Time.UnixNano(), []byte(ev.Payload)); err != nil {
		return fmt.Errorf("add message %s: outbox: %w", m.ID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("add message %s: %w", m.ID, err)
	}
	return nil
}

// PendingEvents returns up to limit outbox events, oldest first.
func (s *Store) PendingEvents(ctx context.Context, limit int) ([]events.Event, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, topic, key, type, time, payload FROM outbox ORDER BY seq LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("select outbox: %w", err)
	}
	defer rows.Close()
	var out []events.Event
	for rows.Next() {
		var ev events.Event
		var at int64
		var payload []byte
		if err := rows.Scan(&ev.ID, &ev.Topic, &ev.Key, &ev.Type, &at, &payload); err != nil {
			return nil, fmt.Errorf("select outbox: %w", err)
		}
		ev.Time = fromNanos(at)
		ev.Payload = payload
		out = append(out, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("select outbox: %w", err)
	}
	return out, nil
}

// DeleteEvents removes outbox events by id.
func (s *Store) DeleteEvents(ctx context.Context, ids []string) error {
	_, err := sqlite.ExecIn(ctx, s.db, `DELETE FROM outbox WHERE id IN (%s)`, ids)
	if err != nil {
		return fmt.Errorf("delete outbox events: %w", err)
	}
	return nil
}

// ReplaceAll swaps the whole chat data for rooms and msgs in one transaction.
func (s *Store) ReplaceAll(ctx context.Context, rooms []chatservice.Room, msgs []chatservice.Message) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("replace chat data: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	for _, stmt := range []string{`DELETE FROM messages`, `DELETE FROM rooms`} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("replace chat data: %w", err)
		}
	}
	insRoom, err := tx.PrepareContext(ctx, `INSERT INTO rooms (id, title_id, title_name) VALUES (?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("replace chat data: %w", err)
	}
	defer insRoom.Close()
	for _, r := range rooms {
		if _, err := insRoom.ExecContext(ctx, r.ID, r.TitleID, r.TitleName); err != nil {
			return fmt.Errorf("insert room %s: %w", r.ID, err)
		}
	}
	insMsg, err := tx.PrepareContext(ctx, `INSERT INTO messages (id, room_id, author_id, body, sent_at) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("replace chat data: %w", err)
	}
	defer insMsg.Close()
	for _, m := range msgs {
		if _, err := insMsg.ExecContext(ctx, m.ID, m.RoomID, m.AuthorID, m.Body, m.SentAt.UnixNano()); err != nil {
			return fmt.Errorf("insert message %s: %w", m.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("replace chat data: %w", err)
	}
	return nil
}
