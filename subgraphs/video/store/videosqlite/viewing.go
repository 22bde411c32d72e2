package videosqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

// ViewingByProfiles returns up to filter.Limit entries per profile, most
// recent first, ranked in SQL so no profile's history is read whole.
func (s *Store) ViewingByProfiles(ctx context.Context, profileIDs []string, filter videoservice.ViewingFilter) ([]videoservice.Viewing, error) {
	if filter.Limit <= 0 {
		return nil, nil
	}
	inProgress := ""
	if filter.InProgress {
		// Same rule as videoservice.Viewing.Completed, in integers.
		inProgress = ` AND vw.position_seconds > 0 AND vw.position_seconds * 100 < v.duration_seconds * 95`
	}
	var out []videoservice.Viewing
	// The limit follows the IN list's arguments, so each chunk is bound by
	// hand rather than through sqlite.QueryIn.
	for _, part := range sqlite.Chunks(profileIDs) {
		q := `SELECT profile_id, video_id, position_seconds, duration_seconds, last_watched_at FROM (
				SELECT vw.profile_id, vw.video_id, vw.position_seconds, v.duration_seconds, vw.last_watched_at,
					ROW_NUMBER() OVER (PARTITION BY vw.profile_id ORDER BY vw.last_watched_at DESC, vw.video_id) AS rn
				FROM viewing vw JOIN videos v ON v.id = vw.video_id
				WHERE vw.profile_id IN (` + sqlite.Placeholders(len(part)) + `)` + inProgress + `
			) WHERE rn <= ? ORDER BY profile_id, rn`
		rows, err := s.db.QueryContext(ctx, q, append(sqlite.Args(part), filter.Limit)...)
		if err != nil {
			return nil, fmt.Errorf("query viewing: %w", err)
		}
		for rows.Next() {
			v, err := scanViewing(rows)
			if err != nil {
				_ = rows.Close()
				return nil, err
			}
			out = append(out, v)
		}
		err = rows.Err()
		_ = rows.Close()
		if err != nil {
			return nil, fmt.Errorf("read viewing: %w", err)
		}
	}
	return out, nil
}

// ViewingOf returns one profile's progress in one video.
func (s *Store) ViewingOf(ctx context.Context, profileID, videoID string) (videoservice.Viewing, bool, error) {
	row := s.db.QueryRowContext(ctx, `SELECT vw.profile_id, vw.video_id, vw.position_seconds, v.duration_seconds, vw.last_watched_at
		FROM viewing vw JOIN videos v ON v.id = vw.video_id
		WHERE vw.profile_id = ? AND vw.video_id = ?`, profileID, videoID)
	v, err := scanViewing(row)
	if errors.Is(err, sql.ErrNoRows) {
		return videoservice.Viewing{}, false, nil
	}
	if err != nil {
		return videoservice.Viewing{}, false, err
	}
	return v, true, nil
}

type scanner interface{ Scan(dest ...any) error }

func scanViewing(row scanner) (videoservice.Viewing, error) {
	var v videoservice.Viewing
	var at int64
	if err := row.Scan(&v.ProfileID, &v.VideoID, &v.PositionSeconds, &v.DurationSeconds, &at); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return v, err
		}
		return v, fmt.Errorf("scan viewing: %w", err)
	}
	v.LastWatchedAt = fromNanos(at)
	return v, nil
}

func fromNanos(n int64) time.Time { return time.Unix(0, n).UTC() }

func nanos(t time.Time) int64 { return t.UTC().UnixNano() }
