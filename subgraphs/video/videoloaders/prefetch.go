package videoloaders

import (
	"context"
	"fmt"

	"github.com/cinegraph/cinegraph/internal/dataload"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

// The Prefetch methods serve a caller that already holds a whole level's
// keys (an _entities batch): they fetch that level, and the levels below
// that the operation selects, with one service call per relation, then
// prime the loaders so the field resolvers find every answer cached.
// Batching then does not depend on resolvers being scheduled within the
// loaders' wait. Each call is spanned as its loader's batches are
// (dataload.StartBatch).

// PrefetchVideos loads videos by id, in key order (nil for unknown ids),
// and their renditions when renditions is set.
func (l *Loaders) PrefetchVideos(ctx context.Context, ids []string, renditions bool) ([]*videoservice.Video, error) {
	bctx, batch := dataload.StartBatch(ctx, "VideoByID", len(ids))
	videos, err := l.svc.VideosByIDs(bctx, ids)
	batch.End(err)
	if err != nil {
		return nil, fmt.Errorf("prefetch videos: %w", err)
	}
	var found []videoservice.Video
	for i, id := range ids {
		l.VideoByID.Prime(id, videos[i])
		if videos[i] != nil {
			found = append(found, *videos[i])
		}
	}
	if renditions {
		if err := l.prefetchRenditions(ctx, found); err != nil {
			return nil, err
		}
	}
	return videos, nil
}

// PrefetchTitles loads the titles' videos, and their renditions when
// renditions is set.
func (l *Loaders) PrefetchTitles(ctx context.Context, titleIDs []string, renditions bool) error {
	bctx, batch := dataload.StartBatch(ctx, "VideosByTitle", len(titleIDs))
	grouped, err := l.svc.VideosByTitles(bctx, titleIDs)
	batch.End(err)
	if err != nil {
		return fmt.Errorf("prefetch videos of titles: %w", err)
	}
	var videos []videoservice.Video
	for i, id := range titleIDs {
		l.VideosByTitle.Prime(id, grouped[i])
		videos = append(videos, grouped[i]...)
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
	bctx, batch := dataload.StartBatch(ctx, "VideoByEpisode", len(episodeIDs))
	found, err := l.svc.VideosByEpisodes(bctx, episodeIDs)
	batch.End(err)
	if err != nil {
		return fmt.Errorf("prefetch videos of episodes: %w", err)
	}
	var videos []videoservice.Video
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

// ProfilePlan is what an operation selects on profiles.
type ProfilePlan struct {
	// History and ContinueWatching hold the first argument of each
	// viewingHistory and continueWatching selection.
	History, ContinueWatching []int
	// Videos is set when the lists' video is selected, Renditions when
	// that video's renditions are too.
	Videos, Renditions bool
}

// PrefetchProfiles loads, for a batch of profiles, the viewing lists plan
// selects (with their own first arguments) and the videos and renditions
// below them. Lists whose arguments are invalid are left to their field
// resolvers, which report the error.
func (l *Loaders) PrefetchProfiles(ctx context.Context, profileIDs []string, plan ProfilePlan) error {
	var keys []ViewingKey
	lists := []struct {
		firsts []int
		filter func(int) (videoservice.ViewingFilter, error)
	}{
		{plan.History, l.svc.HistoryFilter},
		{plan.ContinueWatching, l.svc.ContinueWatchingFilter},
	}
	for _, list := range lists {
		for _, first := range list.firsts {
			filter, err := list.filter(first)
			if err != nil {
				continue
			}
			for _, id := range profileIDs {
				keys = append(keys, ViewingKey{ProfileID: id, Filter: filter})
			}
		}
	}
	if len(keys) == 0 {
		return nil
	}
	return l.PrefetchViewing(ctx, keys, plan.Videos, plan.Renditions)
}

// PrefetchViewing loads the viewing lists of keys (one call per distinct
// filter), then the videos they point at when videos is set, and those
// videos' renditions when renditions is set too.
func (l *Loaders) PrefetchViewing(ctx context.Context, keys []ViewingKey, videos, renditions bool) error {
	bctx, batch := dataload.StartBatch(ctx, "ViewingByProfile", len(keys))
	lists, errs := viewingByProfile(l.svc)(bctx, keys)
	batch.End(firstError(errs))
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

func (l *Loaders) prefetchRenditions(ctx context.Context, videos []videoservice.Video) error {
	if len(videos) == 0 {
		return nil
	}
	ids := make([]string, len(videos))
	for i, v := range videos {
		ids[i] = v.ID
	}
	bctx, batch := dataload.StartBatch(ctx, "RenditionsByVideo", len(ids))
	grouped, err := l.svc.RenditionsByVideos(bctx, ids)
	batch.End(err)
	if err != nil {
		return fmt.Errorf("prefetch renditions: %w", err)
	}
	for i, id := range ids {
		l.RenditionsByVideo.Prime(id, grouped[i])
	}
	return nil
}

// primeVideos caches videos by id.
func (l *Loaders) primeVideos(videos []videoservice.Video) {
	for i := range videos {
		l.VideoByID.Prime(videos[i].ID, &videos[i])
	}
}

// firstError is the first failure among a batch's per-key errors: a failed
// call fills every key of its filter with the same one.
func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
