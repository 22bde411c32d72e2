package videoservice

import (
	"context"
	"fmt"
)

// The batch reads answer many keys with one store call, in key order, for
// the dataloaders: a page of N parents costs one call per relation. Stores
// return rows in no promised order across keys; these lay them out.

// VideosByIDs returns the videos with ids, in ids order, nil where unknown.
func (s *Service) VideosByIDs(ctx context.Context, ids []string) ([]*Video, error) {
	videos, err := s.store.VideosByIDs(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("load videos by id: %w", err)
	}
	return firstBy(ids, videos, func(v Video) string { return v.ID }), nil
}

// VideosByTitles returns each title's videos (features, trailers, then
// episodes), in titleIDs order; an empty list for a title without any.
func (s *Service) VideosByTitles(ctx context.Context, titleIDs []string) ([][]Video, error) {
	videos, err := s.store.VideosByTitles(ctx, titleIDs)
	if err != nil {
		return nil, fmt.Errorf("load videos by title: %w", err)
	}
	return groupBy(titleIDs, videos, func(v Video) string { return v.TitleID }), nil
}

// VideosByEpisodes returns the video playing each episode, in episodeIDs
// order, nil for an episode without one.
func (s *Service) VideosByEpisodes(ctx context.Context, episodeIDs []string) ([]*Video, error) {
	videos, err := s.store.VideosByEpisodes(ctx, episodeIDs)
	if err != nil {
		return nil, fmt.Errorf("load videos by episode: %w", err)
	}
	return firstBy(episodeIDs, videos, func(v Video) string { return v.EpisodeID }), nil
}

// RenditionsByVideos returns each video's renditions, highest quality
// first, in videoIDs order.
func (s *Service) RenditionsByVideos(ctx context.Context, videoIDs []string) ([][]Rendition, error) {
	renditions, err := s.store.RenditionsByVideos(ctx, videoIDs)
	if err != nil {
		return nil, fmt.Errorf("load renditions by video: %w", err)
	}
	return groupBy(videoIDs, renditions, func(r Rendition) string { return r.VideoID }), nil
}

// ViewingByProfiles returns each profile's viewing under filter, most
// recent first, in profileIDs order.
func (s *Service) ViewingByProfiles(ctx context.Context, profileIDs []string, filter ViewingFilter) ([][]Viewing, error) {
	viewing, err := s.store.ViewingByProfiles(ctx, profileIDs, filter)
	if err != nil {
		return nil, fmt.Errorf("load viewing by profile: %w", err)
	}
	return groupBy(profileIDs, viewing, func(v Viewing) string { return v.ProfileID }), nil
}

// groupBy splits items by key, keeping their order, into one slice per key
// of keys; an empty slice for a key without items.
func groupBy[T any](keys []string, items []T, keyOf func(T) string) [][]T {
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

// firstBy picks, for each key, the first item with that key, nil when none.
func firstBy[T any](keys []string, items []T, keyOf func(T) string) []*T {
	byKey := make(map[string]*T, len(items))
	for i := range items {
		if _, seen := byKey[keyOf(items[i])]; !seen {
			byKey[keyOf(items[i])] = &items[i]
		}
	}
	out := make([]*T, len(keys))
	for i, k := range keys {
		out[i] = byKey[k]
	}
	return out
}
