package insights

import (
	"context"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/storetrace"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights/store/insightsobserved"
	"github.com/cinegraph/cinegraph/subgraphs/insights/store/insightspostgres"
)

// openClusterStore opens the insights store on PostgreSQL, its calls traced
// and timed.
func openClusterStore(ctx context.Context, st config.Storage) (insightsservice.Store, error) {
	store, err := insightspostgres.Open(ctx, st.Postgres)
	if err != nil {
		return nil, err
	}
	return insightsobserved.Wrap(store, storetrace.PostgreSQL), nil
}
