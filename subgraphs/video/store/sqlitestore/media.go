package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/cinegraph/cinegraph/subgraphs/video/service"
)

// chunk bounds the parameters of one IN list, well under SQLite's limit.
const chunk = 500

const videoColumns = `id, title_id, COALESCE(episode_id, ''), kind, name, duration_seconds`

// VideosByIDs returns the stored videos among ids.
func (s *Store) VideosByIDs(ctx context.Context, ids []string) ([]service.Video, error) {
	return s.videosWhere(ctx, "id", ids, "id")
}

// VideosByTitles returns the titles' videos: features, trailers, episodes.
func (s *Store) VideosByTitles(ctx context.Context, titleIDs []string) ([]service.Video, error) {
	return s.videosWhere(ctx, "title_id", titleIDs, "title_id, kind_rank, ordinal")
}

// VideosByEpisodes returns the videos playing the episodes.
func (s *Store) VideosByEpisodes(ctx context.Context, episodeIDs []string) ([]service.Video, error) {
	return s.videosWhere(ctx, "episode_id", episodeIDs, "episode_id, ordinal")
}

func (s *Store) videosWhere(ctx context.Context, column string, keys []string, order string) ([]service.Video, error) {
	var out []service.Video
	err := eachChunk(keys, func(part []string) error {
		q := `SELECT ` + videoColumns + ` FROM videos WHERE ` + column + ` IN (` + placeholders(len(part)) + `) ORDER BY ` + order
		rows, err := s.db.QueryContext(ctx, q, args(part)...)
		if err != nil {
			return fmt.Errorf("query videos by %s: %w", column, err)
		}
		defer rows.Close()
		for rows.Next() {
			var v service.Video
			var kind string
			if err := rows.Scan(&v.ID, &v.TitleID, &v.EpisodeID, &kind, &v.Name, &v.DurationSeconds); err != nil {
				return fmt.Errorf("scan video: %w", err)
			}
			v.Kind = service.VideoKind(kind)
			out = append(out, v)
		}
		return rows.Err()
	})
	return out, err
}

// RenditionsByVideos returns the videos' renditions, highest first.
func (s *Store) RenditionsByVideos(ctx context.Context, videoIDs []string) ([]service.Rendition, error) {
	var out []service.Rendition
	err := eachChunk(videoIDs, func(part []string) error {
		rows, err := s.db.QueryContext(ctx, `SELECT id, video_id, width, height, bitrate_kbps, codec, url
			FROM renditions WHERE video_id IN (`+placeholders(len(part))+`)
			ORDER BY video_id, height DESC, bitrate_kbps DESC, id`, args(part)...)
		if err != nil {
			return fmt.Errorf("query renditions: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var r service.Rendition
			var codec string
			if err := rows.Scan(&r.ID, &r.VideoID, &r.Width, &r.Height, &r.BitrateKbps, &codec, &r.URL); err != nil {
				return fmt.Errorf("scan rendition: %w", err)
			}
			r.Codec = service.Codec(codec)
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}

// eachChunk calls fn with keys deduplicated and split into IN-sized parts.
func eachChunk(keys []string, fn func(part []string) error) error {
	seen := make(map[string]bool, len(keys))
	uniq := make([]string, 0, len(keys))
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			uniq = append(uniq, k)
		}
	}
	for start := 0; start < len(uniq); start += chunk {
		if err := fn(uniq[start:min(start+chunk, len(uniq))]); err != nil {
			return err
		}
	}
	return nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func args(keys []string) []any {
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = k
	}
	return out
}

// nullable stores an empty string as NULL.
func nullable(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }
