package catalogpostgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/postgres"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
)

// foreignKeyViolation is PostgreSQL's SQLSTATE for a dangling reference.
const foreignKeyViolation = "23503"

// ProfilesByIDs returns the profiles with the given ids.
func (s *Store) ProfilesByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Profile, error) {
	out := make(map[string]catalogservice.Profile, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, _ := s.pool.Query(ctx, `SELECT id, name FROM profiles WHERE id = ANY($1)`, postgres.Keys(ids))
	profiles, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (catalogservice.Profile, error) {
		var p catalogservice.Profile
		err := row.Scan(&p.ID, &p.Name)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("profiles by ids: %w", err)
	}
	for _, p := range profiles {
		out[p.ID] = p
	}
	return out, nil
}

// MyLists returns each profile's entries, most recently added first.
func (s *Store) MyLists(ctx context.Context, profileIDs []string) (map[string][]catalogservice.ListEntry, error) {
	out := make(map[string][]catalogservice.ListEntry, len(profileIDs))
	if len(profileIDs) == 0 {
		return out, nil
	}
	rows, _ := s.pool.Query(ctx, `SELECT profile_id, title_id, added_at FROM my_list
		WHERE profile_id = ANY($1) ORDER BY profile_id, added_at DESC, title_id`, postgres.Keys(profileIDs))
	entries, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (catalogservice.ListEntry, error) {
		var e catalogservice.ListEntry
		err := row.Scan(&e.ProfileID, &e.TitleID, &e.AddedAt)
		e.AddedAt = e.AddedAt.UTC()
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("my lists: %w", err)
	}
	for _, e := range entries {
		out[e.ProfileID] = append(out[e.ProfileID], e)
	}
	return out, nil
}

// AddToMyList saves the entry and its event unless the title is already on
// the list. The foreign keys decide whether profile and title exist, so a
// title removed by a concurrent Replace is reported like any unknown one.
func (s *Store) AddToMyList(ctx context.Context, e catalogservice.ListEntry, ev events.Event) (bool, error) {
	var added bool
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO my_list (profile_id, title_id, added_at) VALUES ($1, $2, $3)
			ON CONFLICT (profile_id, title_id) DO NOTHING`, e.ProfileID, e.TitleID, e.AddedAt)
		if pgErr := (*pgconn.PgError)(nil); errors.As(err, &pgErr) && pgErr.Code == foreignKeyViolation {
			return fmt.Errorf("add %s to my list of %s: %w", e.TitleID, e.ProfileID, catalogservice.ErrUnknownReference)
		}
		if err != nil {
			return fmt.Errorf("add %s to my list of %s: %w", e.TitleID, e.ProfileID, err)
		}
		added = tag.RowsAffected() > 0
		if !added {
			return nil
		}
		return storeEvent(ctx, tx, ev)
	})
	if err != nil {
		return false, fmt.Errorf("add to my list: %w", err)
	}
	return added, nil
}

// RemoveFromMyList deletes the entry and stores its event, reporting
// whether the entry existed.
func (s *Store) RemoveFromMyList(ctx context.Context, profileID, titleID string, ev events.Event) (bool, error) {
	var removed bool
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM my_list WHERE profile_id = $1 AND title_id = $2`, profileID, titleID)
		if err != nil {
			return fmt.Errorf("remove %s from my list of %s: %w", titleID, profileID, err)
		}
		removed = tag.RowsAffected() > 0
		if !removed {
			return nil
		}
		return storeEvent(ctx, tx, ev)
	})
	if err != nil {
		return false, fmt.Errorf("remove from my list: %w", err)
	}
	return removed, nil
}
