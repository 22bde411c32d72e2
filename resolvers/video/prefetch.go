package video

import (
	"context"

	"github.com/cinegraph/cinegraph/graph/video/model"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoloaders"
)

// Defaults of the Profile list arguments, as in the schema.
const (
	defaultHistoryFirst  = 20
	defaultContinueFirst = 10
)

// prefetchViewing has the loaders prefetch, for a batch of profiles, the
// viewing lists the operation selects and what it selects below them. It
// only reads the selection; arguments that are not ints are left to their
// field resolvers, which report them.
func prefetchViewing(ctx context.Context, profiles []*model.Profile) error {
	sel := selectionOn(ctx, "Profile")
	var plan videoloaders.ProfilePlan
	lists := []struct {
		field    string
		fallback int
		firsts   *[]int
	}{
		{"viewingHistory", defaultHistoryFirst, &plan.History},
		{"continueWatching", defaultContinueFirst, &plan.ContinueWatching},
	}
	for _, list := range lists {
		for _, f := range sel.all(list.field) {
			if first, ok := sel.intArg(f, "first", list.fallback); ok {
				*list.firsts = append(*list.firsts, first)
			}
		}
		below := sel.below(list.field, "ViewingActivity")
		if below.has("video") {
			plan.Videos = true
			plan.Renditions = plan.Renditions || below.below("video", "Video").has("renditions")
		}
	}
	ids := make([]string, len(profiles))
	for i, p := range profiles {
		ids[i] = p.ID
	}
	return videoloaders.For(ctx).PrefetchProfiles(ctx, ids, plan)
}
