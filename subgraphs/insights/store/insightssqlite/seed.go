package insightssqlite

import (
	"context"
	"fmt"

	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
)

// ReplaceSeed implements insightsservice.Store. Scores, detections and views
// from live events stay.
func (s *Store) ReplaceSeed(ctx context.Context, data insightsservice.SeedData) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("replace seed: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	for _, stmt := range []string{
		`DELETE FROM message_scores WHERE seeded = 1`,
		`DELETE FROM detections WHERE seeded = 1`,
		`DELETE FROM views WHERE seeded = 1`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("replace seed: %w", err)
		}
	}
	if _, err := insertScores(ctx, tx, data.Scores); err != nil {
		return fmt.Errorf("replace seed: %w", err)
	}
	if err := insertDetections(ctx, tx, data.Detections, true); err != nil {
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
