package video

import (
	"context"

	"github.com/cinegraph/cinegraph/graph/video/model"
	"github.com/cinegraph/cinegraph/subgraphs/video/loaders"
	"github.com/cinegraph/cinegraph/subgraphs/video/service"
)

// Defaults of the Profile list arguments, as in the schema.
const (
	defaultHistoryFirst  = 20
	defaultContinueFirst = 10
)

// prefetchViewing loads, for a batch of profiles, the viewing lists the
// operation selects (with their own first arguments) and the videos and
// renditions below them. Lists whose arguments are invalid are left to
// their field resolvers, which report the error.
func (r *Resolver) prefetchViewing(ctx context.Context, profiles []*model.Profile) error {
	sel := selectionOn(ctx, "Profile")
	var keys []loaders.ViewingKey
	videos, renditions := false, false
	lists := []struct {
		field    string
		fallback int
		filter   func(int) (service.ViewingFilter, error)
	}{
		{"viewingHistory", defaultHistoryFirst, r.Service.HistoryFilter},
		{"continueWatching", defaultContinueFirst, r.Service.ContinueWatchingFilter},
	}
	for _, list := range lists {
		for _, f := range sel.all(list.field) {
			first, ok := sel.intArg(f, "first", list.fallback)
			if !ok {
				continue
			}
			filter, err := list.filter(first)
			if err != nil {
				continue
			}
			for _, p := range profiles {
				keys = append(keys, loaders.ViewingKey{ProfileID: p.ID, Filter: filter})
			}
		}
		below := sel.below(list.field, "ViewingActivity")
		if below.has("video") {
			videos = true
			renditions = renditions || below.below("video", "Video").has("renditions")
		}
	}
	if len(keys) == 0 {
		return nil
	}
	return r.loaders(ctx).PrefetchViewing(ctx, keys, videos, renditions)
}
