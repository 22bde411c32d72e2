package insights

import (
	"context"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/subgraphs/insights/service"
	insightspg "github.com/cinegraph/cinegraph/subgraphs/insights/store/postgres"
)

// openClusterStore opens the insights store on PostgreSQL.
func openClusterStore(ctx context.Context, st config.Storage) (service.Store, error) {
	store, err := insightspg.Open(ctx, st.Postgres)
	if err != nil {
		return nil, err
	}
	return store, nil
}
