package insightspostgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cinegraph/cinegraph/internal/postgres"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
)

const detectionColumns = `video_id, title_id, label, confidence, at_seconds, x, y, w, h, source, seeded`

func scanDetection(row pgx.CollectableRow) (insightsservice.Detection, error) {
	var d insightsservice.Detection
	err := row.Scan(&d.VideoID, &d.TitleID, &d.Label, &d.Confidence, &d.AtSeconds, &d.X, &d.Y, &d.W, &d.H, &d.Source, &d.Seeded)
	return d, err
}

// DetectionsByVideoIDs implements insightsservice.Store.
func (s *Store) DetectionsByVideoIDs(ctx context.Context, videoIDs []string) ([][]insightsservice.Detection, error) {
	if len(videoIDs) == 0 {
		return [][]insightsservice.Detection{}, nil
	}
	rows, _ := s.pool.Query(ctx, `SELECT `+detectionColumns+`
		FROM detections WHERE video_id = ANY($1) ORDER BY video_id, at_seconds, id`, postgres.Keys(videoIDs))
	found, err := pgx.CollectRows(rows, scanDetection)
	if err != nil {
		return nil, fmt.Errorf("query detections: %w", err)
	}
	return inOrder(videoIDs, found, func(d insightsservice.Detection) string { return d.VideoID }), nil
}

// DetectionsByTitleIDs implements insightsservice.Store.
func (s *Store) DetectionsByTitleIDs(ctx context.Context, titleIDs []string, minConfidence float64) ([][]insightsservice.Detection, error) {
	if len(titleIDs) == 0 {
		return [][]insightsservice.Detection{}, nil
	}
	rows, _ := s.pool.Query(ctx, `SELECT `+detectionColumns+`
		FROM detections WHERE title_id = ANY($1) AND confidence >= $2
		ORDER BY title_id, confidence DESC, id`, postgres.Keys(titleIDs), minConfidence)
	found, err := pgx.CollectRows(rows, scanDetection)
	if err != nil {
		return nil, fmt.Errorf("query detections by title: %w", err)
	}
	return inOrder(titleIDs, found, func(d insightsservice.Detection) string { return d.TitleID }), nil
}

// inOrder groups found by key and lists the groups in ids' order, an empty
// slice for ids with none.
func inOrder(ids []string, found []insightsservice.Detection, key func(insightsservice.Detection) string) [][]insightsservice.Detection {
	byKey := make(map[string][]insightsservice.Detection)
	for _, d := range found {
		byKey[key(d)] = append(byKey[key(d)], d)
	}
	out := make([][]insightsservice.Detection, len(ids))
	for i, id := range ids {
		out[i] = byKey[id]
		if out[i] == nil {
			out[i] = []insightsservice.Detection{}
		}
	}
	return out
}

// ReplaceFrameDetections implements insightsservice.Store.
func (s *Store) ReplaceFrameDetections(ctx context.Context, frames []insightsservice.FrameAt, ds []insightsservice.Detection) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		for _, f := range frames {
			if _, err := tx.Exec(ctx, `DELETE FROM detections WHERE video_id = $1 AND at_seconds = $2 AND NOT seeded`, f.VideoID, f.AtSeconds); err != nil {
				return fmt.Errorf("replace detections of video %s at %gs: %w", f.VideoID, f.AtSeconds, err)
			}
		}
		return copyDetections(ctx, tx, ds, false)
	})
	if err != nil {
		return fmt.Errorf("replace frame detections: %w", err)
	}
	return nil
}

// copyDetections streams detections in with COPY, in slice order, so ids
// (the tie-break of equal times) follow the order they were given in.
func copyDetections(ctx context.Context, tx pgx.Tx, ds []insightsservice.Detection, seeded bool) error {
	if len(ds) == 0 {
		return nil
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"detections"},
		[]string{"video_id", "title_id", "label", "confidence", "at_seconds", "x", "y", "w", "h", "source", "seeded"},
		pgx.CopyFromSlice(len(ds), func(i int) ([]any, error) {
			d := ds[i]
			return []any{d.VideoID, d.TitleID, d.Label, d.Confidence, d.AtSeconds, d.X, d.Y, d.W, d.H, d.Source, seeded}, nil
		}))
	if err != nil {
		return fmt.Errorf("copy %d detections: %w", len(ds), err)
	}
	return nil
}
