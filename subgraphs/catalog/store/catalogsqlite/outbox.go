package catalogsqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/sqlite"
)

// storeEvent adds ev to the outbox inside tx, so it commits with the change.
func storeEvent(ctx context.Context, tx *sql.Tx, ev events.Event) error {
	if err := ev.Validate(); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox (id, topic, key, type, time, payload) VALUES (?, ?, ?, ?, ?, ?)`,
		ev.ID, ev.Topic, ev.Key, ev.Type, ev.Time.UnixNano(), []byte(ev.Payload))
	if err != nil {
		return fmt.Errorf("store event %s: %w", ev.ID, err)
	}
	return nil
}

// PendingEvents returns up to limit outbox events, oldest first.
func (s *Store) PendingEvents(ctx context.Context, limit int) ([]events.Event, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, topic, key, type, time, payload FROM outbox ORDER BY seq LIMIT ?`, max(limit, 1))
	if err != nil {
		return nil, fmt.Errorf("pending events: %w", err)
	}
	defer rows.Close()
	var out []events.Event
	for rows.Next() {
		var ev events.Event
		var at int64
		var payload []byte
		if err := rows.Scan(&ev.ID, &ev.Topic, &ev.Key, &ev.Type, &at, &payload); err != nil {
			return nil, fmt.Errorf("pending events: %w", err)
		}
		ev.Time = time.Unix(0, at).UTC()
		ev.Payload = json.RawMessage(payload)
		out = append(out, ev)
	}
	return out, rows.Err()
}

// DeleteEvents removes published events from the outbox.
func (s *Store) DeleteEvents(ctx context.Context, ids []string) error {
	if _, err := sqlite.ExecIn(ctx, s.db, `DELETE FROM outbox WHERE id IN (%s)`, ids); err != nil {
		return fmt.Errorf("delete events: %w", err)
	}
	return nil
}
