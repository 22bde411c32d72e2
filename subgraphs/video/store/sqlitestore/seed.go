package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/cinegraph/cinegraph/internal/seed"
)

// kindRank orders a title's videos: features, then trailers, then episodes.
func kindRank(kind string) (int, bool) {
	switch kind {
	case "FEATURE":
		return 0, true
	case "TRAILER":
		return 1, true
	case "EPISODE":
		return 2, true
	}
	return 0, false
}

// Seed replaces videos, renditions, viewing and sessions with the
// fixture's in one transaction; the outbox keeps undelivered events.
func (s *Store) Seed(ctx context.Context, f *seed.Fixture) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin seed: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	for _, table := range []string{"sessions", "viewing", "renditions", "videos"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table); err != nil {
			return fmt.Errorf("clear %s: %w", table, err)
		}
	}
	if err := seedVideos(ctx, tx, f.Videos); err != nil {
		return err
	}
	if err := seedViewing(ctx, tx, f.Viewing); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit seed: %w", err)
	}
	return nil
}

func seedVideos(ctx context.Context, tx *sql.Tx, videos []seed.Video) error {
	insVideo, err := tx.PrepareContext(ctx, `INSERT INTO videos (id, title_id, episode_id, kind, kind_rank, name, duration_seconds, ordinal)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare video insert: %w", err)
	}
	defer insVideo.Close()
	insRendition, err := tx.PrepareContext(ctx, `INSERT INTO renditions (id, video_id, width, height, bitrate_kbps, codec, url)
		VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare rendition insert: %w", err)
	}
	defer insRendition.Close()
	for i, v := range videos {
		rank, ok := kindRank(v.Kind)
		if !ok {
			return fmt.Errorf("seed video %s: unknown kind %q", v.ID, v.Kind)
		}
		if _, err := insVideo.ExecContext(ctx, v.ID, v.TitleID, nullable(v.EpisodeID), v.Kind, rank, v.Name, v.DurationSeconds, i); err != nil {
			return fmt.Errorf("seed video %s: %w", v.ID, err)
		}
		for _, r := range v.Renditions {
			if _, err := insRendition.ExecContext(ctx, r.ID, v.ID, r.Width, r.Height, r.BitrateKbps, r.Codec, r.URL); err != nil {
				return fmt.Errorf("seed rendition %s: %w", r.ID, err)
			}
		}
	}
	return nil
}

func seedViewing(ctx context.Context, tx *sql.Tx, viewing []seed.Viewing) error {
	ins, err := tx.PrepareContext(ctx, `INSERT INTO viewing (profile_id, video_id, position_seconds, last_watched_at) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare viewing insert: %w", err)
	}
	defer ins.Close()
	for _, v := range viewing {
		if _, err := ins.ExecContext(ctx, v.ProfileID, v.VideoID, v.PositionSeconds, nanos(v.LastWatchedAt)); err != nil {
			return fmt.Errorf("seed viewing of %s by %s: %w", v.VideoID, v.ProfileID, err)
		}
	}
	return nil
}
