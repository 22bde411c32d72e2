package insightssqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
)

const detectionColumns = `video_id, title_id, label, confidence, at_seconds, x, y, w, h, source, seeded`

func scanDetection(rows *sql.Rows) (insightsservice.Detection, error) {
	var d insightsservice.Detection
	if err := rows.Scan(&d.VideoID, &d.TitleID, &d.Label, &d.Confidence, &d.AtSeconds, &d.X, &d.Y, &d.W, &d.H, &d.Source, &d.Seeded); err != nil {
		return d, fmt.Errorf("scan detection: %w", err)
	}
	return d, nil
}

// DetectionsByVideoIDs implements insightsservice.Store.
func (s *Store) DetectionsByVideoIDs(ctx context.Context, videoIDs []string) ([][]insightsservice.Detection, error) {
	found := make(map[string][]insightsservice.Detection, len(videoIDs))
	err := sqlite.QueryIn(ctx, s.db, `SELECT `+detectionColumns+`
			FROM detections WHERE video_id IN (%s)
			ORDER BY video_id, at_seconds, id`, videoIDs, func(rows *sql.Rows) error {
		d, err := scanDetection(rows)
		if err != nil {
			return err
		}
		found[d.VideoID] = append(found[d.VideoID], d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("query detections: %w", err)
	}
	return inOrder(videoIDs, found), nil
}

// DetectionsByTitleIDs implements insightsservice.Store.
func (s *Store) DetectionsByTitleIDs(ctx context.Context, titleIDs []string, minConfidence float64) ([][]insightsservice.Detection, error) {
	found := make(map[string][]insightsservice.Detection, len(titleIDs))
	// The confidence floor is a number, formatted into the query so the
	// chunked IN list keeps the only placeholders.
	err := sqlite.QueryIn(ctx, s.db, `SELECT `+detectionColumns+`
			FROM detections WHERE title_id IN (%s) AND confidence >= `+fmt.Sprintf("%g", minConfidence)+`
			ORDER BY title_id, confidence DESC, id`, titleIDs, func(rows *sql.Rows) error {
		d, err := scanDetection(rows)
		if err != nil {
			return err
		}
		found[d.TitleID] = append(found[d.TitleID], d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("query detections by title: %w", err)
	}
	return inOrder(titleIDs, found), nil
}

// inOrder lists found's detections per id, in ids' order, an empty slice
// for ids with none.
func inOrder(ids []string, found map[string][]insightsservice.Detection) [][]insightsservice.Detection {
	out := make([][]insightsservice.Detection, len(ids))
	for i, id := range ids {
		out[i] = found[id]
		if out[i] == nil {
			out[i] = []insightsservice.Detection{}
		}
	}
	return out
}

// ReplaceFrameDetections implements insightsservice.Store.
func (s *Store) ReplaceFrameDetections(ctx context.Context, frames []insightsservice.FrameAt, ds []insightsservice.Detection) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("replace frame detections: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	for _, f := range frames {
		if _, err := tx.ExecContext(ctx, `DELETE FROM detections WHERE video_id = ? AND at_seconds = ? AND seeded = 0`, f.VideoID, f.AtSeconds); err != nil {
			return fmt.Errorf("replace detections of video %s at %gs: %w", f.VideoID, f.AtSeconds, err)
		}
	}
	if err := insertDetections(ctx, tx, ds, false); err != nil {
		return fmt.Errorf("replace frame detections: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("replace frame detections: %w", err)
	}
	return nil
}

func insertDetections(ctx context.Context, tx *sql.Tx, ds []insightsservice.Detection, seeded bool) error {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO detections (`+detectionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare detection insert: %w", err)
	}
	defer func() { _ = stmt.Close() }()
	for _, d := range ds {
		if _, err := stmt.ExecContext(ctx, d.VideoID, d.TitleID, d.Label, d.Confidence, d.AtSeconds, d.X, d.Y, d.W, d.H, d.Source, seeded); err != nil {
			return fmt.Errorf("save detection of video %s: %w", d.VideoID, err)
		}
	}
	return nil
}
