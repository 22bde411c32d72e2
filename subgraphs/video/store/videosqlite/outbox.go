package videosqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

func insertEvent(ctx context.Context, tx *sql.Tx, ev videoservice.OutboxEvent) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (id, topic, key, type, at, payload) VALUES (?, ?, ?, ?, ?, ?)`,
		ev.ID, ev.Topic, ev.Key, ev.Type, nanos(ev.Time), []byte(ev.Payload)); err != nil {
		return fmt.Errorf("insert outbox event %s: %w", ev.ID, err)
	}
	return nil
}

// PendingEvents returns up to limit events, oldest first.
func (s *Store) PendingEvents(ctx context.Context, limit int) ([]videoservice.OutboxEvent, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, topic, key, type, at, payload FROM outbox ORDER BY seq LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("query outbox: %w", err)
	}
	defer rows.Close()
	var out []videoservice.OutboxEvent
	for rows.Next() {
		var ev videoservice.OutboxEvent
		var at int64
		if err := rows.Scan(&ev.ID, &ev.Topic, &ev.Key, &ev.Type, &at, &ev.Payload); err != nil {
			return nil, fmt.Errorf("scan outbox event: %w", err)
		}
		ev.Time = fromNanos(at)
		out = append(out, ev)
	}
	return out, rows.Err()
}

// DeleteEvents removes published events.
func (s *Store) DeleteEvents(ctx context.Context, ids []string) error {
	if _, err := sqlite.ExecIn(ctx, s.db, `DELETE FROM outbox WHERE id IN (%s)`, ids); err != nil {
		return fmt.Errorf("delete outbox events: %w", err)
	}
	return nil
}
