package videosqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

// CreateSession stores a new playback session.
func (s *Store) CreateSession(ctx context.Context, ps videoservice.Session) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO sessions (id, profile_id, video_id, position_seconds, started_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)`, ps.ID, ps.ProfileID, ps.VideoID, ps.PositionSeconds, nanos(ps.StartedAt), nanos(ps.UpdatedAt))
	if err != nil {
		return fmt.Errorf("insert session %s: %w", ps.ID, err)
	}
	return nil
}

// SessionsByIDs returns the stored sessions among ids.
func (s *Store) SessionsByIDs(ctx context.Context, ids []string) ([]videoservice.Session, error) {
	var out []videoservice.Session
	err := sqlite.QueryIn(ctx, s.db, `SELECT id, profile_id, video_id, position_seconds, started_at, updated_at
			FROM sessions WHERE id IN (%s) ORDER BY id`, ids, func(rows *sql.Rows) error {
		var ps videoservice.Session
		var started, updated int64
		if err := rows.Scan(&ps.ID, &ps.ProfileID, &ps.VideoID, &ps.PositionSeconds, &started, &updated); err != nil {
			return fmt.Errorf("scan session: %w", err)
		}
		ps.StartedAt, ps.UpdatedAt = fromNanos(started), fromNanos(updated)
		out = append(out, ps)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("query sessions: %w", err)
	}
	return out, nil
}

// RecordProgress moves the session, the viewing history and the outbox
// together in one transaction.
func (s *Store) RecordProgress(ctx context.Context, p videoservice.Progress) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin progress: %w", err)
	}
	defer func() { _ = tx.Rollback() }()

	res, err := tx.ExecContext(ctx, `UPDATE sessions SET position_seconds = ?, updated_at = ? WHERE id = ? AND profile_id = ? AND video_id = ?`,
		p.PositionSeconds, nanos(p.At), p.SessionID, p.ProfileID, p.VideoID)
	if err != nil {
		return fmt.Errorf("update session %s: %w", p.SessionID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("update session %s: %w", p.SessionID, err)
	} else if n == 0 {
		return videoservice.ErrSessionNotFound
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO viewing (profile_id, video_id, position_seconds, last_watched_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (profile_id, video_id) DO UPDATE SET position_seconds = excluded.position_seconds, last_watched_at = excluded.last_watched_at`,
		p.ProfileID, p.VideoID, p.PositionSeconds, nanos(p.At)); err != nil {
		return fmt.Errorf("upsert viewing of %s: %w", p.VideoID, err)
	}
	if err := insertEvent(ctx, tx, p.Event); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit progress: %w", err)
	}
	return nil
}
