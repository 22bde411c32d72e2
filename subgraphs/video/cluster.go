package video

import (
	"context"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/storetrace"
	"github.com/cinegraph/cinegraph/subgraphs/video/store/videocassandra"
	"github.com/cinegraph/cinegraph/subgraphs/video/store/videoobserved"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

// openClusterStore opens the video store on Cassandra (tables prefixed
// video_), its calls traced and timed.
func openClusterStore(ctx context.Context, st config.Storage) (videoservice.Store, error) {
	store, err := videocassandra.Open(ctx, st.Cassandra)
	if err != nil {
		return nil, err
	}
	return videoobserved.Wrap(store, storetrace.Cassandra, "video_"), nil
}
