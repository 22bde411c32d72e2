package video

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoloaders"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

// requireVideo loads a video a non-null field points at.
func (r *Resolver) requireVideo(ctx context.Context, id string) (*videoservice.Video, error) {
	v, err := videoloaders.For(ctx).VideoByID.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, errs.Missing("video", id)
	}
	return v, nil
}

// missingVideos reports each unknown representation against its own index
// of _entities, leaving the others resolved; nil when all were found.
func missingVideos(ids []string, videos []*videoservice.Video) error {
	var list graphql.BatchErrorList
	missing := false
	for i, v := range videos {
		var err error
		if v == nil {
			err = errs.Missing("video", ids[i])
			missing = true
		}
		list = append(list, err)
	}
	if !missing {
		return nil
	}
	return list
}
