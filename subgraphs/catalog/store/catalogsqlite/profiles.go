package catalogsqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
)

// ProfilesByIDs returns the profiles with the given ids.
func (s *Store) ProfilesByIDs(ctx context.Context, ids []string) (map[string]catalogservice.Profile, error) {
	out := make(map[string]catalogservice.Profile, len(ids))
	err := sqlite.QueryIn(ctx, s.db, `SELECT id, name FROM profiles WHERE id IN (%s)`, ids, func(rows *sql.Rows) error {
		var p catalogservice.Profile
		err := rows.Scan(&p.ID, &p.Name)
		out[p.ID] = p
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("profiles by ids: %w", err)
	}
	return out, nil
}

// MyLists returns each profile's entries, most recently added first.
func (s *Store) MyLists(ctx context.Context, profileIDs []string) (map[string][]catalogservice.ListEntry, error) {
	out := make(map[string][]catalogservice.ListEntry, len(profileIDs))
	err := sqlite.QueryIn(ctx, s.db, `SELECT profile_id, title_id, added_at FROM my_list WHERE profile_id IN (%s) ORDER BY profile_id, added_at DESC, title_id`, profileIDs, func(rows *sql.Rows) error {
		var e catalogservice.ListEntry
		var at int64
		if err := rows.Scan(&e.ProfileID, &e.TitleID, &at); err != nil {
			return err
		}
		e.AddedAt = time.Unix(0, at).UTC()
		out[e.ProfileID] = append(out[e.ProfileID], e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("my lists: %w", err)
	}
	return out, nil
}

// AddToMyList saves the entry and its event unless the title is already on
// the list.
func (s *Store) AddToMyList(ctx context.Context, e catalogservice.ListEntry, ev events.Event) (bool, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("add to my list: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var known int
	err = tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM profiles WHERE id = ?) + (SELECT COUNT(*) FROM titles WHERE id = ?)`, e.ProfileID, e.TitleID).Scan(&known)
	if err != nil {
		return false, fmt.Errorf("add to my list: %w", err)
	}
	if known != 2 {
		return false, fmt.Errorf("add %s to my list of %s: %w", e.TitleID, e.ProfileID, catalogservice.ErrUnknownReference)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO my_list (profile_id, title_id, added_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		e.ProfileID, e.TitleID, e.AddedAt.UnixNano())
	if err != nil {
		return false, fmt.Errorf("add to my list: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("add to my list: %w", err)
	}
	if n > 0 {
		if err := storeEvent(ctx, tx, ev); err != nil {
			return false, fmt.Errorf("add to my list: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("add to my list: %w", err)
	}
	return n > 0, nil
}

// RemoveFromMyList deletes the entry and stores its event, reporting
// whether the entry existed.
func (s *Store) RemoveFromMyList(ctx context.Context, profileID, titleID string, ev events.Event) (bool, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("remove from my list: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	res, err := tx.ExecContext(ctx, `DELETE FROM my_list WHERE profile_id = ? AND title_id = ?`, profileID, titleID)
	if err != nil {
		return false, fmt.Errorf("remove from my list: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("remove from my list: %w", err)
	}
	if n == 0 {
		return false, nil
	}
	if err := storeEvent(ctx, tx, ev); err != nil {
		return false, fmt.Errorf("remove from my list: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("remove from my list: %w", err)
	}
	return true, nil
}
