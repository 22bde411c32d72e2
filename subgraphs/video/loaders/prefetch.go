package loaders

import (
	"context"
	"fmt"

	"github.com/cinegraph/cinegraph/subgraphs/video/service"
)

// The Prefetch methods serve a caller that already holds a whole level's
// keys (an _entities batch): they fetch that level, and the level below when
// asked, with one store call per relation, then prime the loaders so the
// field resolvers find every answer cached. Batching then does not depend on
// resolvers being scheduled within the loaders' wait.

// PrefetchVideos loads videos by id, in key order (nil for unknown ids),
// and their renditions when renditions is set.
func (l *Loaders) PrefetchVideos(ctx context.Context, ids []string, renditions bool) ([]*service.Video, error) {
	videos, err := l.r.VideosByIDs(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("prefetch videos: %w", err)
	}
	byID := l.primeVideos(videos)
	out := make([]*service.Video, len(ids))
	for i, id := range ids {
		out[i] = byID[id]
		l.VideoByID.Prime(id, out[i])
	}
	if renditions {
		if err := l.prefetchRenditions(ctx, videos); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// PrefetchTitles loads the titles' videos, and their renditions when
// renditions is set.
func (l *Loaders) PrefetchTitles(ctx context.Context, titleIDs []string, renditions bool) error {
	videos, err := l.r.VideosByTitles(ctx, titleIDs)
	if err != nil {
		return fmt.Errorf("prefetch videos of titles: %w", err)
	}
	grouped := group(titleIDs, videos, func(v service.Video) string { return v.TitleID })
	for i, id := range titleIDs {
		l.VideosByTitle.Prime(id, grouped[i])
	}
	l.primeVideos(videos)
	if renditions {
		return l.prefetchRenditions(ctx, videos)
	}
	return nil
}

// PrefetchEpisodes loads the episodes' videos, and their renditions when
// renditions is set.
func (l *Loaders) PrefetchEpisodes(ctx context.Context, episodeIDs []string, renditions bool) error {
	found, errs := videoByEpisode(l.r)(ctx, episodeIDs)
	if errs != nil && errs[0] != nil {
		return fmt.Errorf("prefetch videos of episodes: %w", errs[0])
	}
	var videos []service.Video
	for i, id := range episodeIDs {
		l.VideoByEpisode.Prime(id, found[i])
		if found[i] != nil {
			videos = append(videos, *found[i])
		}
	}
	l.primeVideos(videos)
	if renditions {
		return l.prefetchRenditions(ctx, videos)
	}
	return nil
}

// PrefetchViewing loads the viewing lists of keys (one call per distinct
// filter), then the videos they point at when videos is set, and those
// videos' renditions when renditions is set too.
func (l *Loaders) PrefetchViewing(ctx context.Context, keys []ViewingKey, videos, renditions bool) error {
	lists, errs := viewingByProfile(l.r)(ctx, keys)
	seen := map[string]bool{}
	var ids []string
	for i, k := range keys {
		if errs[i] != nil {
			return fmt.Errorf("prefetch viewing: %w", errs[i])
		}
		l.ViewingByProfile.Prime(k, lists[i])
		for _, v := range lists[i] {
			if !seen[v.VideoID] {
				seen[v.VideoID] = true
				ids = append(ids, v.VideoID)
			}
		}
	}
	if !videos || len(ids) == 0 {
		return nil
	}
	_, err := l.PrefetchVideos(ctx, ids, renditions)
	return err
}

func (l *Loaders) prefetchRenditions(ctx context.Context, videos []service.Video) error {
	if len(videos) == 0 {
		return nil
	}
	ids := make([]string, len(videos))
	for i, v := range videos {
		ids[i] = v.ID
	}
	renditions, err := l.r.RenditionsByVideos(ctx, ids)
	if err != nil {
		return fmt.Errorf("prefetch renditions: %w", err)
	}
	grouped := group(ids, renditions, func(r service.Rendition) string { return r.VideoID })
	for i, id := range ids {
		l.RenditionsByVideo.Prime(id, grouped[i])
	}
	return nil
}

// primeVideos caches videos by id and returns them indexed.
func (l *Loaders) primeVideos(videos []service.Video) map[string]*service.Video {
	byID := make(map[string]*service.Video, len(videos))
	for i := range videos {
		v := &videos[i]
		byID[v.ID] = v
		l.VideoByID.Prime(v.ID, v)
	}
	return byID
}
