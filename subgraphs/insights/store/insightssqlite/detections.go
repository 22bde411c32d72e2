package insightssqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
)

// DetectionsByVideoIDs implements insightsservice.Store.
func (s *Store) DetectionsByVideoIDs(ctx context.Context, videoIDs []string) ([][]insightsservice.Detection, error) {
	found := make(map[string][]insightsservice.Detection, len(videoIDs))
	err := sqlite.QueryIn(ctx, s.db, `SELECT video_id, label, confidence, at_seconds, x, y, w, h, source
			FROM detections WHERE video_id IN (%s)
			ORDER BY video_id, at_seconds, id`, videoIDs, func(rows *sql.Rows) error {
		var d insightsservice.Detection
		if err := rows.Scan(&d.VideoID, &d.Label, &d.Confidence, &d.AtSeconds, &d.X, &d.Y, &d.W, &d.H, &d.Source); err != nil {
			return fmt.Errorf("scan detection: %w", err)
		}
		found[d.VideoID] = append(found[d.VideoID], d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("query detections: %w", err)
	}
	out := make([][]insightsservice.Detection, len(videoIDs))
	for i, id := range videoIDs {
		out[i] = found[id]
		if out[i] == nil {
			out[i] = []insightsservice.Detection{}
		}
	}
	return out, nil
}

func insertDetections(ctx context.Context, tx *sql.Tx, ds []insightsservice.Detection) error {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO detections
		(video_id, label, confidence, at_seconds, x, y, w, h, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare detection insert: %w", err)
	}
	defer func() { _ = stmt.Close() }()
	for _, d := range ds {
		if _, err := stmt.ExecContext(ctx, d.VideoID, d.Label, d.Confidence, d.AtSeconds, d.X, d.Y, d.W, d.H, d.Source); err != nil {
			return fmt.Errorf("save detection of video %s: %w", d.VideoID, err)
		}
	}
	return nil
}
