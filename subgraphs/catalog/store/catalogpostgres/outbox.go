package catalogpostgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/postgres"
)

// storeEvent adds ev to the outbox inside tx, so it commits with the change.
func storeEvent(ctx context.Context, tx pgx.Tx, ev events.Event) error {
	if err := ev.Validate(); err != nil {
		return fmt.Errorf("store event %s: %w", ev.ID, err)
	}
	// The payload goes in as text so that the json column keeps it verbatim.
	_, err := tx.Exec(ctx, `INSERT INTO outbox (id, topic, key, type, time, payload) VALUES ($1, $2, $3, $4, $5, $6::text::json)`,
		ev.ID, ev.Topic, ev.Key, ev.Type, ev.Time, string(ev.Payload))
	if err != nil {
		return fmt.Errorf("store event %s: %w", ev.ID, err)
	}
	return nil
}

// PendingEvents returns up to limit outbox events, oldest first.
func (s *Store) PendingEvents(ctx context.Context, limit int) ([]events.Event, error) {
	rows, _ := s.pool.Query(ctx, `SELECT id, topic, key, type, time, payload::text FROM outbox ORDER BY seq LIMIT $1`, max(limit, 1))
	evs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (events.Event, error) {
		var ev events.Event
		var payload string
		err := row.Scan(&ev.ID, &ev.Topic, &ev.Key, &ev.Type, &ev.Time, &payload)
		ev.Time = ev.Time.UTC()
		ev.Payload = json.RawMessage(payload)
		return ev, err
	})
	if err != nil {
		return nil, fmt.Errorf("pending events: %w", err)
	}
	if len(evs) == 0 {
		return nil, nil
	}
	return evs, nil
}

// DeleteEvents removes published events from the outbox.
func (s *Store) DeleteEvents(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := s.pool.Exec(ctx, `DELETE FROM outbox WHERE id = ANY($1)`, postgres.Keys(ids)); err != nil {
		return fmt.Errorf("delete events: %w", err)
	}
	return nil
}
