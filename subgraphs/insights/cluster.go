package insights

import (
	"context"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights/store/insightspostgres"
)

// openClusterStore opens the insights store on PostgreSQL.
func openClusterStore(ctx context.Context, st config.Storage) (insightsservice.Store, error) {
	store, err := insightspostgres.Open(ctx, st.Postgres)
	if err != nil {
		return nil, err
	}
	return store, nil
}
