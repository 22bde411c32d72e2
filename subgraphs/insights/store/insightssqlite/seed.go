package insightssqlite

import (
	"context"
	"fmt"

	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
)

// ReplaceSeed implements insightsservice.Store. Detections come only from the seed,
// so all of them are replaced; scores and views from live events stay.
func (s *Store) ReplaceSeed(ctx context.Context, data insightsservice.SeedData) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("replace seed: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	for _, stmt := range []string{
		`DELETE FROM message_scores WHERE seeded = 1`,
		`DELETE FROM detections`,
		`DELETE FROM views WHERE seeded = 1`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("replace seed: %w", err)
		}
	}
	if _, err := insertScores(ctx, tx, data.Scores); err != nil {
		return fmt.Errorf("replace seed: %w", err)
	}
	if err := insertDetections(ctx, tx, data.Detections); err != nil {
		return fmt.Errorf("replace seed: %w", err)
	}
	if err := insertViews(ctx, tx, data.Views, false); err != nil {
		return fmt.Errorf("replace seed: %w", err)
	}
	// Seeded views went, others came: recount the pairs in one pass.
	if _, err := tx.ExecContext(ctx, rebuildCoViews); err != nil {
		return fmt.Errorf("replace seed: recount co-views: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("replace seed: %w", err)
	}
	return nil
}
