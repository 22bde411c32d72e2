package insightspostgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
)

// ReplaceSeed implements insightsservice.Store. Scores, detections and views
// from live events stay.
func (s *Store) ReplaceSeed(ctx context.Context, data insightsservice.SeedData) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		for _, stmt := range []string{
			`DELETE FROM message_scores WHERE seeded`,
			`DELETE FROM detections WHERE seeded`,
			`DELETE FROM views WHERE seeded`,
		} {
			if _, err := tx.Exec(ctx, stmt); err != nil {
				return fmt.Errorf("%s: %w", stmt, err)
			}
		}
		if _, err := insertScores(ctx, tx, data.Scores); err != nil {
			return err
		}
		if err := copyDetections(ctx, tx, data.Detections, true); err != nil {
			return err
		}
		if err := insertViews(ctx, tx, data.Views); err != nil {
			return err
		}
		// Seeded views went, others came: recount the pairs in one pass.
		for _, stmt := range rebuildCoViews {
			if _, err := tx.Exec(ctx, stmt); err != nil {
				return fmt.Errorf("recount co-views: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("replace seed: %w", err)
	}
	return nil
}
