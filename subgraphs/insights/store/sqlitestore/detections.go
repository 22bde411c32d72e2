package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/cinegraph/cinegraph/subgraphs/insights/service"
)

// DetectionsByVideoIDs implements service.Store.
func (s *Store) DetectionsByVideoIDs(ctx context.Context, videoIDs []string) ([][]service.Detection, error) {
	found := make(map[string][]service.Detection, len(videoIDs))
	for _, part := range chunks(videoIDs) {
		rows, err := s.db.QueryContext(ctx, `SELECT video_id, label, confidence, at_seconds, x, y, w, h, source
			FROM detections WHERE video_id IN (`+placeholders(len(part))+`)
			ORDER BY video_id, at_seconds, id`, args(part)...)
		if err != nil {
			return nil, fmt.Errorf("query detections: %w", err)
		}
		for rows.Next() {
			var d service.Detection
			if err := rows.Scan(&d.VideoID, &d.Label, &d.Confidence, &d.AtSeconds, &d.X, &d.Y, &d.W, &d.H, &d.Source); err != nil {
				_ = rows.Close()
				return nil, fmt.Errorf("scan detection: %w", err)
			}
			found[d.VideoID] = append(found[d.VideoID], d)
		}
		if err := rows.Err(); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("read detections: %w", err)
		}
		_ = rows.Close()
	}
	out := make([][]service.Detection, len(videoIDs))
	for i, id := range videoIDs {
		out[i] = found[id]
		if out[i] == nil {
			out[i] = []service.Detection{}
		}
	}
	return out, nil
}

func insertDetections(ctx context.Context, tx *sql.Tx, ds []service.Detection) error {
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
