package videocassandra

import (
	"context"
	"fmt"

	"github.com/gocql/gocql"

	"github.com/cinegraph/cinegraph/internal/cassandra"
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

// Replace empties the video tables, outbox aside, and writes d's videos,
// renditions and viewing. Cassandra has no multi-table transaction: a
// reader during the swap can see it half done, and a failure leaves it so
// until the next Replace. Seeding is an operator's action on an idle
// cluster, where this is fine.
func (st *Store) Replace(ctx context.Context, d videoservice.Dataset) error {
	for _, v := range d.Videos {
		if _, ok := kindRank(v.Kind); !ok {
			return fmt.Errorf("replace video %s: unknown kind %q", v.ID, v.Kind)
		}
	}
	if err := cassandra.Truncate(ctx, st.cfg, dataTables...); err != nil {
		return fmt.Errorf("replace videos: %w", err)
	}
	renditions := make(map[string][]videoservice.Rendition, len(d.Videos))
	for _, r := range d.Renditions {
		renditions[r.VideoID] = append(renditions[r.VideoID], r)
	}
	type ordered struct {
		videoservice.Video
		ordinal int
	}
	videos := make([]ordered, len(d.Videos))
	for i, v := range d.Videos {
		videos[i] = ordered{v, i}
	}
	err := cassandra.Each(ctx, videos, func(ctx context.Context, v ordered) error {
		rank, _ := kindRank(v.Kind)
		var episode any
		if v.EpisodeID != "" {
			episode = v.EpisodeID
		}
		cols := []any{v.ID, v.TitleID, episode, string(v.Kind), rank, v.Name, v.DurationSeconds, v.ordinal}
		const insert = ` (id, title_id, episode_id, kind, kind_rank, name, duration_seconds, ordinal) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
		b := st.s.NewBatch(gocql.LoggedBatch).WithContext(ctx)
		b.Query(`INSERT INTO video_videos`+insert, cols...)
		b.Query(`INSERT INTO video_videos_by_title`+insert, cols...)
		if v.EpisodeID != "" {
			b.Query(`INSERT INTO video_videos_by_episode`+insert, cols...)
		}
		for _, r := range renditions[v.ID] {
			b.Query(`INSERT INTO video_renditions (video_id, height, bitrate_kbps, id, width, codec, url) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				v.ID, r.Height, r.BitrateKbps, r.ID, r.Width, string(r.Codec), r.URL)
		}
		if err := st.s.ExecuteBatch(b); err != nil {
			return fmt.Errorf("replace video %s: %w", v.ID, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return cassandra.Each(ctx, d.Viewing, func(ctx context.Context, v videoservice.Viewing) error {
		at := nanos(v.LastWatchedAt)
		b := st.s.NewBatch(gocql.LoggedBatch).WithContext(ctx)
		b.Query(`INSERT INTO video_viewing (profile_id, video_id, position_seconds, last_watched_at) VALUES (?, ?, ?, ?)`,
			v.ProfileID, v.VideoID, v.PositionSeconds, at)
		b.Query(`INSERT INTO video_continue_watching (profile_id, last_watched_at, video_id, position_seconds) VALUES (?, ?, ?, ?)`,
			v.ProfileID, at, v.VideoID, v.PositionSeconds)
		if err := st.s.ExecuteBatch(b); err != nil {
			return fmt.Errorf("replace viewing of %s by %s: %w", v.VideoID, v.ProfileID, err)
		}
		return nil
	})
}
