package insightssqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
)

// SaveViews implements insightsservice.Store.
func (s *Store) SaveViews(ctx context.Context, views []insightsservice.View) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save views: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if err := insertViews(ctx, tx, views); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save views: %w", err)
	}
	return nil
}

func insertViews(ctx context.Context, tx *sql.Tx, views []insightsservice.View) error {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO views (profile_id, title_id, video_id, seeded)
		VALUES (?, ?, ?, ?) ON CONFLICT (profile_id, title_id) DO NOTHING`)
	if err != nil {
		return fmt.Errorf("prepare view insert: %w", err)
	}
	defer func() { _ = stmt.Close() }()
	for _, v := range views {
		if _, err := stmt.ExecContext(ctx, v.ProfileID, v.TitleID, v.VideoID, v.Seeded); err != nil {
			return fmt.Errorf("save view of %s by %s: %w", v.TitleID, v.ProfileID, err)
		}
	}
	return nil
}

// WatchedTitlesByProfileIDs implements insightsservice.Store.
func (s *Store) WatchedTitlesByProfileIDs(ctx context.Context, profileIDs []string) ([][]string, error) {
	found := make(map[string][]string, len(profileIDs))
	err := sqlite.QueryIn(ctx, s.db, `SELECT profile_id, title_id FROM views
			WHERE profile_id IN (%s) ORDER BY profile_id, title_id`, profileIDs, func(rows *sql.Rows) error {
		var profileID, titleID string
		if err := rows.Scan(&profileID, &titleID); err != nil {
			return fmt.Errorf("scan watched title: %w", err)
		}
		found[profileID] = append(found[profileID], titleID)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("query watched titles: %w", err)
	}
	out := make([][]string, len(profileIDs))
	for i, id := range profileIDs {
		out[i] = found[id]
		if out[i] == nil {
			out[i] = []string{}
		}
	}
	return out, nil
}

// PopularTitles implements insightsservice.Store.
func (s *Store) PopularTitles(ctx context.Context, limit int) ([]insightsservice.TitleStat, error) {
	if limit <= 0 {
		return []insightsservice.TitleStat{}, nil
	}
	rows, err := s.db.QueryContext(ctx, `
		WITH watched AS (
			SELECT title_id, COUNT(*) AS viewers FROM views GROUP BY title_id
		), talked AS (
			SELECT title_id,
				COUNT(*) AS messages,
				SUM(score) AS score_sum,
				SUM(label = 'POSITIVE') AS positive,
				SUM(label = 'NEUTRAL') AS neutral,
				SUM(label = 'NEGATIVE') AS negative
			FROM message_scores GROUP BY title_id
		), titles AS (
			SELECT title_id FROM watched UNION SELECT title_id FROM talked
		)
		SELECT t.title_id, COALESCE(w.viewers, 0), COALESCE(m.messages, 0), COALESCE(m.score_sum, 0),
			COALESCE(m.positive, 0), COALESCE(m.neutral, 0), COALESCE(m.negative, 0)
		FROM titles t
		LEFT JOIN watched w ON w.title_id = t.title_id
		LEFT JOIN talked m ON m.title_id = t.title_id
		ORDER BY COALESCE(w.viewers, 0) DESC, COALESCE(m.messages, 0) DESC, t.title_id
		LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("query popular titles: %w", err)
	}
	defer func() { _ = rows.Close() }()
	out := []insightsservice.TitleStat{}
	for rows.Next() {
		var st insightsservice.TitleStat
		a := &st.Audience
		if err := rows.Scan(&st.TitleID, &st.Viewers, &a.MessageCount, &a.ScoreSum, &a.Positive, &a.Neutral, &a.Negative); err != nil {
			return nil, fmt.Errorf("scan popular title: %w", err)
		}
		a.TitleID = st.TitleID
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read popular titles: %w", err)
	}
	return out, nil
}
