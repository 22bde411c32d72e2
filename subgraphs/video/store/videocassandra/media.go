package videocassandra

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/cinegraph/cinegraph/internal/cassandra"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

const selectVideo = `SELECT id, title_id, episode_id, kind, kind_rank, name, duration_seconds, ordinal FROM `

// rankedVideo is a video with the keys that order a title's videos.
type rankedVideo struct {
	videoservice.Video
	rank, ordinal int
}

// VideosByIDs returns the stored videos among ids.
func (st *Store) VideosByIDs(ctx context.Context, ids []string) ([]videoservice.Video, error) {
	vs, err := st.videos(ctx, selectVideo+`video_videos WHERE id IN ?`, ids)
	if err != nil {
		return nil, fmt.Errorf("select videos: %w", err)
	}
	return plain(vs), nil
}

// VideosByTitles returns the titles' videos: features, trailers, episodes.
func (st *Store) VideosByTitles(ctx context.Context, titleIDs []string) ([]videoservice.Video, error) {
	vs, err := st.videos(ctx, selectVideo+`video_videos_by_title WHERE title_id IN ?`, titleIDs)
	if err != nil {
		return nil, fmt.Errorf("select videos by title: %w", err)
	}
	slices.SortFunc(vs, func(a, b rankedVideo) int {
		return cmp.Or(cmp.Compare(a.TitleID, b.TitleID), cmp.Compare(a.rank, b.rank), cmp.Compare(a.ordinal, b.ordinal), cmp.Compare(a.ID, b.ID))
	})
	return plain(vs), nil
}

// VideosByEpisodes returns the videos playing the episodes.
func (st *Store) VideosByEpisodes(ctx context.Context, episodeIDs []string) ([]videoservice.Video, error) {
	vs, err := st.videos(ctx, selectVideo+`video_videos_by_episode WHERE episode_id IN ?`, episodeIDs)
	if err != nil {
		return nil, fmt.Errorf("select videos by episode: %w", err)
	}
	return plain(vs), nil
}

func (st *Store) videos(ctx context.Context, query string, keys []string) ([]rankedVideo, error) {
	var mu sync.Mutex
	var out []rankedVideo
	err := cassandra.Each(ctx, cassandra.Chunks(keys), func(ctx context.Context, chunk []string) error {
		iter := st.s.Query(query, chunk).WithContext(ctx).Iter()
		var part []rankedVideo
		var v rankedVideo
		var kind string
		for iter.Scan(&v.ID, &v.TitleID, &v.EpisodeID, &kind, &v.rank, &v.Name, &v.DurationSeconds, &v.ordinal) {
			v.Kind = videoservice.VideoKind(kind)
			part = append(part, v)
		}
		if err := iter.Close(); err != nil {
			return err
		}
		mu.Lock()
		out = append(out, part...)
		mu.Unlock()
		return nil
	})
	return out, err
}

func plain(vs []rankedVideo) []videoservice.Video {
	if len(vs) == 0 {
		return nil
	}
	out := make([]videoservice.Video, len(vs))
	for i, v := range vs {
		out[i] = v.Video
	}
	return out
}

// RenditionsByVideos returns the videos' renditions, each video's highest
// quality first (the clustering order).
func (st *Store) RenditionsByVideos(ctx context.Context, videoIDs []string) ([]videoservice.Rendition, error) {
	var mu sync.Mutex
	var out []videoservice.Rendition
	err := cassandra.Each(ctx, cassandra.Chunks(videoIDs), func(ctx context.Context, chunk []string) error {
		iter := st.s.Query(`SELECT id, video_id, width, height, bitrate_kbps, codec, url FROM video_renditions WHERE video_id IN ?`, chunk).
			WithContext(ctx).Iter()
		var part []videoservice.Rendition
		var r videoservice.Rendition
		var codec string
		for iter.Scan(&r.ID, &r.VideoID, &r.Width, &r.Height, &r.BitrateKbps, &codec, &r.URL) {
			r.Codec = videoservice.Codec(codec)
			part = append(part, r)
		}
		if err := iter.Close(); err != nil {
			return err
		}
		mu.Lock()
		out = append(out, part...)
		mu.Unlock()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("select renditions: %w", err)
	}
	return out, nil
}
