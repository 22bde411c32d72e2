package videosqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

const videoColumns = `id, title_id, COALESCE(episode_id, ''), kind, name, duration_seconds`

// VideosByIDs returns the stored videos among ids.
func (s *Store) VideosByIDs(ctx context.Context, ids []string) ([]videoservice.Video, error) {
	return s.videosWhere(ctx, "id", ids, "id")
}

// VideosByTitles returns the titles' videos: features, trailers, episodes.
func (s *Store) VideosByTitles(ctx context.Context, titleIDs []string) ([]videoservice.Video, error) {
	return s.videosWhere(ctx, "title_id", titleIDs, "title_id, kind_rank, ordinal")
}

// VideosByEpisodes returns the videos playing the episodes.
func (s *Store) VideosByEpisodes(ctx context.Context, episodeIDs []string) ([]videoservice.Video, error) {
	return s.videosWhere(ctx, "episode_id", episodeIDs, "episode_id, ordinal")
}

func (s *Store) videosWhere(ctx context.Context, column string, keys []string, order string) ([]videoservice.Video, error) {
	var out []videoservice.Video
	q := `SELECT ` + videoColumns + ` FROM videos WHERE ` + column + ` IN (%s) ORDER BY ` + order
	err := sqlite.QueryIn(ctx, s.db, q, keys, func(rows *sql.Rows) error {
		var v videoservice.Video
		var kind string
		if err := rows.Scan(&v.ID, &v.TitleID, &v.EpisodeID, &kind, &v.Name, &v.DurationSeconds); err != nil {
			return fmt.Errorf("scan video: %w", err)
		}
		v.Kind = videoservice.VideoKind(kind)
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("query videos by %s: %w", column, err)
	}
	return out, nil
}

// RenditionsByVideos returns the videos' renditions, highest first.
func (s *Store) RenditionsByVideos(ctx context.Context, videoIDs []string) ([]videoservice.Rendition, error) {
	var out []videoservice.Rendition
	err := sqlite.QueryIn(ctx, s.db, `SELECT id, video_id, width, height, bitrate_kbps, codec, url
			FROM renditions WHERE video_id IN (%s)
			ORDER BY video_id, height DESC, bitrate_kbps DESC, id`, videoIDs, func(rows *sql.Rows) error {
		var r videoservice.Rendition
		var codec string
		if err := rows.Scan(&r.ID, &r.VideoID, &r.Width, &r.Height, &r.BitrateKbps, &codec, &r.URL); err != nil {
			return fmt.Errorf("scan rendition: %w", err)
		}
		r.Codec = videoservice.Codec(codec)
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("query renditions: %w", err)
	}
	return out, nil
}

// nullable stores an empty string as NULL.
func nullable(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }
