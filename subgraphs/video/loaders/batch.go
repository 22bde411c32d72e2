package loaders

import (
	"context"
	"fmt"

	"github.com/cinegraph/cinegraph/subgraphs/video/service"
)

// Each batch function makes exactly one store call and answers in key
// order, one value and one error slot per key; a store failure fills every
// key's error slot.

func videosByID(r Reader) func(context.Context, []string) ([]*service.Video, []error) {
	return func(ctx context.Context, ids []string) ([]*service.Video, []error) {
		videos, err := r.VideosByIDs(ctx, ids)
		if err != nil {
			return make([]*service.Video, len(ids)), fill(len(ids), fmt.Errorf("load videos by id: %w", err))
		}
		byID := make(map[string]*service.Video, len(videos))
		for i := range videos {
			byID[videos[i].ID] = &videos[i]
		}
		out := make([]*service.Video, len(ids))
		for i, id := range ids {
			out[i] = byID[id]
		}
		return out, nil
	}
}

func videosByTitle(r Reader) func(context.Context, []string) ([][]service.Video, []error) {
	return func(ctx context.Context, titleIDs []string) ([][]service.Video, []error) {
		videos, err := r.VideosByTitles(ctx, titleIDs)
		if err != nil {
			return make([][]service.Video, len(titleIDs)), fill(len(titleIDs), fmt.Errorf("load videos by title: %w", err))
		}
		return group(titleIDs, videos, func(v service.Video) string { return v.TitleID }), nil
	}
}

func videoByEpisode(r Reader) func(context.Context, []string) ([]*service.Video, []error) {
	return func(ctx context.Context, episodeIDs []string) ([]*service.Video, []error) {
		videos, err := r.VideosByEpisodes(ctx, episodeIDs)
		if err != nil {
			return make([]*service.Video, len(episodeIDs)), fill(len(episodeIDs), fmt.Errorf("load videos by episode: %w", err))
		}
		byEpisode := make(map[string]*service.Video, len(videos))
		for i := range videos {
			if _, seen := byEpisode[videos[i].EpisodeID]; !seen {
				byEpisode[videos[i].EpisodeID] = &videos[i]
			}
		}
		out := make([]*service.Video, len(episodeIDs))
		for i, id := range episodeIDs {
			out[i] = byEpisode[id]
		}
		return out, nil
	}
}

func renditionsByVideo(r Reader) func(context.Context, []string) ([][]service.Rendition, []error) {
	return func(ctx context.Context, videoIDs []string) ([][]service.Rendition, []error) {
		renditions, err := r.RenditionsByVideos(ctx, videoIDs)
		if err != nil {
			return make([][]service.Rendition, len(videoIDs)), fill(len(videoIDs), fmt.Errorf("load renditions by video: %w", err))
		}
		return group(videoIDs, renditions, func(r service.Rendition) string { return r.VideoID }), nil
	}
}

// viewingByProfile makes one store call per distinct filter in the batch;
// a page asks for one filter, so that is one call.
func viewingByProfile(r Reader) func(context.Context, []ViewingKey) ([][]service.Viewing, []error) {
	return func(ctx context.Context, keys []ViewingKey) ([][]service.Viewing, []error) {
		out := make([][]service.Viewing, len(keys))
		errs := make([]error, len(keys))
		var filters []service.ViewingFilter
		byFilter := map[service.ViewingFilter][]int{}
		for i, k := range keys {
			if _, seen := byFilter[k.Filter]; !seen {
				filters = append(filters, k.Filter)
			}
			byFilter[k.Filter] = append(byFilter[k.Filter], i)
		}
		for _, f := range filters {
			idx := byFilter[f]
			profiles := make([]string, len(idx))
			for j, i := range idx {
				profiles[j] = keys[i].ProfileID
			}
			viewing, err := r.ViewingByProfiles(ctx, profiles, f)
			if err != nil {
				err = fmt.Errorf("load viewing by profile: %w", err)
				for _, i := range idx {
					errs[i] = err
				}
				continue
			}
			grouped := group(profiles, viewing, func(v service.Viewing) string { return v.ProfileID })
			for j, i := range idx {
				out[i] = grouped[j]
			}
		}
		return out, errs
	}
}

// group splits items by key, keeping their order, into one slice per key.
func group[T any](keys []string, items []T, keyOf func(T) string) [][]T {
	byKey := make(map[string][]T, len(keys))
	for _, it := range items {
		k := keyOf(it)
		byKey[k] = append(byKey[k], it)
	}
	out := make([][]T, len(keys))
	for i, k := range keys {
		out[i] = byKey[k]
		if out[i] == nil {
			out[i] = []T{}
		}
	}
	return out
}

func fill(n int, err error) []error {
	out := make([]error, n)
	for i := range out {
		out[i] = err
	}
	return out
}
