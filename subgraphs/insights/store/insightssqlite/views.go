package insightssqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
)

// rebuildCoViews recounts every pair of co-viewed titles from the views.
// A title's pair with itself counts its viewers, so that one read of
// co_views has every count a similarity needs.
const rebuildCoViews = `DELETE FROM co_views;
	INSERT INTO co_views (title_id, other_id, profiles)
		SELECT a.title_id, b.title_id, COUNT(*) FROM views a
		JOIN views b ON b.profile_id = a.profile_id
		GROUP BY a.title_id, b.title_id;`

// SaveViews implements insightsservice.Store. Each new view adds one to the
// pair counts of its title with every other title the profile watched, in
// the same transaction; SQLite's one writer at a time keeps concurrent
// saves from missing each other's views.
func (s *Store) SaveViews(ctx context.Context, views []insightsservice.View) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save views: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if err := insertViews(ctx, tx, views, true); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save views: %w", err)
	}
	return nil
}

// insertViews inserts the views not stored yet and, with countPairs, adds
// each new one to the pair counts (a batch that rebuilds them afterwards
// goes without).
func insertViews(ctx context.Context, tx *sql.Tx, views []insightsservice.View, countPairs bool) error {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO views (profile_id, title_id, video_id, seeded)
		VALUES (?, ?, ?, ?) ON CONFLICT (profile_id, title_id) DO NOTHING`)
	if err != nil {
		return fmt.Errorf("prepare view insert: %w", err)
	}
	defer func() { _ = stmt.Close() }()
	// Each new view of t by p adds one to (t, u) for every title u that p
	// watched, t itself included (t's viewer count), and to (u, t) for
	// every other one.
	var withEach, eachWith *sql.Stmt
	if countPairs {
		if withEach, err = tx.PrepareContext(ctx, `INSERT INTO co_views (title_id, other_id, profiles)
				SELECT ?, title_id, 1 FROM views WHERE profile_id = ?
				ON CONFLICT (title_id, other_id) DO UPDATE SET profiles = profiles + 1`); err != nil {
			return fmt.Errorf("prepare co-view count: %w", err)
		}
		defer func() { _ = withEach.Close() }()
		if eachWith, err = tx.PrepareContext(ctx, `INSERT INTO co_views (other_id, title_id, profiles)
				SELECT ?, title_id, 1 FROM views WHERE profile_id = ? AND title_id <> ?
				ON CONFLICT (title_id, other_id) DO UPDATE SET profiles = profiles + 1`); err != nil {
			return fmt.Errorf("prepare co-view count: %w", err)
		}
		defer func() { _ = eachWith.Close() }()
	}
	for _, v := range views {
		res, err := stmt.ExecContext(ctx, v.ProfileID, v.TitleID, v.VideoID, v.Seeded)
		if err != nil {
			return fmt.Errorf("save view of %s by %s: %w", v.TitleID, v.ProfileID, err)
		}
		added, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("save view of %s by %s: %w", v.TitleID, v.ProfileID, err)
		}
		if added == 0 || !countPairs {
			continue
		}
		if _, err := withEach.ExecContext(ctx, v.TitleID, v.ProfileID); err != nil {
			return fmt.Errorf("count co-views of %s by %s: %w", v.TitleID, v.ProfileID, err)
		}
		if _, err := eachWith.ExecContext(ctx, v.TitleID, v.ProfileID, v.TitleID); err != nil {
			return fmt.Errorf("count co-views of %s by %s: %w", v.TitleID, v.ProfileID, err)
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

// CoViewsByTitleIDs implements insightsservice.Store: one read of co_views,
// each pair joined to the other title's pair with itself (its viewers).
func (s *Store) CoViewsByTitleIDs(ctx context.Context, titleIDs []string) ([]insightsservice.CoViews, error) {
	found := make(map[string]*insightsservice.CoViews, len(titleIDs))
	err := sqlite.QueryIn(ctx, s.db, `SELECT c.title_id, c.other_id, c.profiles, o.profiles
			FROM co_views c JOIN co_views o ON o.title_id = c.other_id AND o.other_id = c.other_id
			WHERE c.title_id IN (%s)
			ORDER BY c.title_id, c.profiles DESC, c.other_id`, titleIDs, func(rows *sql.Rows) error {
		var titleID string
		var o insightsservice.CoView
		if err := rows.Scan(&titleID, &o.TitleID, &o.Both, &o.Viewers); err != nil {
			return fmt.Errorf("scan co-viewed title: %w", err)
		}
		c := found[titleID]
		if c == nil {
			c = &insightsservice.CoViews{TitleID: titleID, With: []insightsservice.CoView{}}
			found[titleID] = c
		}
		if o.TitleID == titleID {
			c.Viewers = o.Viewers
		} else {
			c.With = append(c.With, o)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("query co-viewed titles of %d titles: %w", len(titleIDs), err)
	}
	return coViewsInOrder(titleIDs, found), nil
}

// coViewsInOrder answers one CoViews per id, in order.
func coViewsInOrder(titleIDs []string, found map[string]*insightsservice.CoViews) []insightsservice.CoViews {
	out := make([]insightsservice.CoViews, len(titleIDs))
	for i, id := range titleIDs {
		if c, ok := found[id]; ok {
			out[i] = *c
			out[i].With = slices.Clone(c.With)
		} else {
			out[i] = insightsservice.CoViews{TitleID: id, With: []insightsservice.CoView{}}
		}
	}
	return out
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
