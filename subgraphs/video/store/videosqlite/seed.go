package videosqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

// kindRank orders a title's videos: features, then trailers, then episodes.
func kindRank(kind videoservice.VideoKind) (int, bool) {
	switch kind {
	case videoservice.KindFeature:
		return 0, true
	case videoservice.KindTrailer:
		return 1, true
	case videoservice.KindEpisode:
		return 2, true
	}
	return 0, false
}

// Replace swaps videos, renditions, viewing and sessions for d's in one
// transaction; the outbox keeps undelivered events.
func (s *Store) Replace(ctx context.Context, d videoservice.Dataset) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin replace: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	for _, table := range []string{"sessions", "viewing", "renditions", "videos"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table); err != nil {
			return fmt.Errorf("clear %s: %w", table, err)
		}
	}
	if err := insertVideos(ctx, tx, d.Videos, d.Renditions); err != nil {
		return err
	}
	if err := insertViewing(ctx, tx, d.Viewing); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit replace: %w", err)
	}
	return nil
}

func insertVideos(ctx context.Context, tx *sql.Tx, videos []videoservice.Video, renditions []videoservice.Rendition) error {
	insVideo, err := tx.PrepareContext(ctx, `INSERT INTO videos (id, title_id, episode_id, kind, kind_rank, name, duration_seconds, ordinal)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare video insert: %w", err)
	}
	defer insVideo.Close()
	for i, v := range videos {
		rank, ok := kindRank(v.Kind)
		if !ok {
			return fmt.Errorf("insert video %s: unknown kind %q", v.ID, v.Kind)
		}
		if _, err := insVideo.ExecContext(ctx, v.ID, v.TitleID, nullable(v.EpisodeID), string(v.Kind), rank, v.Name, v.DurationSeconds, i); err != nil {
			return fmt.Errorf("insert video %s: %w", v.ID, err)
		}
	}
	insRendition, err := tx.PrepareContext(ctx, `INSERT INTO renditions (id, video_id, width, height, bitrate_kbps, codec, url)
		VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare rendition insert: %w", err)
	}
	defer insRendition.Close()
	for _, r := range renditions {
		if _, err := insRendition.ExecContext(ctx, r.ID, r.VideoID, r.Width, r.Height, r.BitrateKbps, string(r.Codec), r.URL); err != nil {
			return fmt.Errorf("insert rendition %s: %w", r.ID, err)
		}
	}
	return nil
}

func insertViewing(ctx context.Context, tx *sql.Tx, viewing []videoservice.Viewing) error {
	ins, err := tx.PrepareContext(ctx, `INSERT INTO viewing (profile_id, video_id, position_seconds, last_watched_at) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare viewing insert: %w", err)
	}
	defer ins.Close()
	for _, v := range viewing {
		if _, err := ins.ExecContext(ctx, v.ProfileID, v.VideoID, v.PositionSeconds, nanos(v.LastWatchedAt)); err != nil {
			return fmt.Errorf("insert viewing of %s by %s: %w", v.VideoID, v.ProfileID, err)
		}
	}
	return nil
}
