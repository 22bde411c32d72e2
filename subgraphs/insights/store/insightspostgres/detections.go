package insightspostgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cinegraph/cinegraph/internal/postgres"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
)

// DetectionsByVideoIDs implements insightsservice.Store.
func (s *Store) DetectionsByVideoIDs(ctx context.Context, videoIDs []string) ([][]insightsservice.Detection, error) {
	out := make([][]insightsservice.Detection, len(videoIDs))
	if len(videoIDs) == 0 {
		return out, nil
	}
	rows, _ := s.pool.Query(ctx, `SELECT video_id, label, confidence, at_seconds, x, y, w, h, source
		FROM detections WHERE video_id = ANY($1) ORDER BY video_id, at_seconds, id`, postgres.Keys(videoIDs))
	found, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (insightsservice.Detection, error) {
		var d insightsservice.Detection
		err := row.Scan(&d.VideoID, &d.Label, &d.Confidence, &d.AtSeconds, &d.X, &d.Y, &d.W, &d.H, &d.Source)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("query detections: %w", err)
	}
	byVideo := make(map[string][]insightsservice.Detection)
	for _, d := range found {
		byVideo[d.VideoID] = append(byVideo[d.VideoID], d)
	}
	for i, id := range videoIDs {
		out[i] = byVideo[id]
		if out[i] == nil {
			out[i] = []insightsservice.Detection{}
		}
	}
	return out, nil
}

// copyDetections streams detections in with COPY, in slice order, so ids
// (the tie-break of equal times) follow the order they were given in.
func copyDetections(ctx context.Context, tx pgx.Tx, ds []insightsservice.Detection) error {
	if len(ds) == 0 {
		return nil
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"detections"},
		[]string{"video_id", "label", "confidence", "at_seconds", "x", "y", "w", "h", "source"},
		pgx.CopyFromSlice(len(ds), func(i int) ([]any, error) {
			d := ds[i]
			return []any{d.VideoID, d.Label, d.Confidence, d.AtSeconds, d.X, d.Y, d.W, d.H, d.Source}, nil
		}))
	if err != nil {
		return fmt.Errorf("copy %d detections: %w", len(ds), err)
	}
	return nil
}
