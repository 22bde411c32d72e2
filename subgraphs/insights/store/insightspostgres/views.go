package insightspostgres

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/cinegraph/cinegraph/internal/postgres"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights/sentiment"
)

// SaveViews implements insightsservice.Store. The new views and their pair
// counts are written in one transaction (countCoViews).
func (s *Store) SaveViews(ctx context.Context, views []insightsservice.View) error {
	if len(views) == 0 {
		return nil
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		added, err := s.insertNewViews(ctx, tx, views)
		if err != nil {
			return err
		}
		return countCoViews(ctx, tx, added)
	})
	if err != nil {
		return fmt.Errorf("save views: %w", err)
	}
	return nil
}

// insertNewViews locks the views' profiles for the transaction, inserts
// the views not stored yet and returns those. The lock (one advisory lock
// per profile, taken in id order) makes two transactions adding views of
// the same profile count their pairs one after the other: otherwise
// neither would see the other's view, and their pair would go uncounted.
// Video events are keyed by video, so one profile's views do reach
// different consumers at once.
func (s *Store) insertNewViews(ctx context.Context, tx pgx.Tx, views []insightsservice.View) ([]insightsservice.View, error) {
	var profiles, titles, videos []string
	var seeded []bool
	for _, v := range views {
		profiles = append(profiles, v.ProfileID)
		titles = append(titles, v.TitleID)
		videos = append(videos, v.VideoID)
		seeded = append(seeded, v.Seeded)
	}
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('cinegraph.insights.views.' || $2::text || '.' || p))
		FROM (SELECT DISTINCT p FROM unnest($1::text[]) AS p ORDER BY p) AS locked`, profiles, s.schema)
	if err != nil {
		return nil, fmt.Errorf("lock the profiles of %d views: %w", len(views), err)
	}
	rows, _ := tx.Query(ctx, `INSERT INTO views (profile_id, title_id, video_id, seeded)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bool[])
		ON CONFLICT (profile_id, title_id) DO NOTHING
		RETURNING profile_id, title_id`, profiles, titles, videos, seeded)
	added, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (insightsservice.View, error) {
		var v insightsservice.View
		err := row.Scan(&v.ProfileID, &v.TitleID)
		return v, err
	})
	if err != nil {
		return nil, fmt.Errorf("insert %d views: %w", len(views), err)
	}
	return added, nil
}

// countCoViews adds the views just inserted to the pair counts: each
// ordered pair of a profile's titles in which either title is new counts
// once, so two new views of one profile add their pair once too. A title's
// pair with itself counts its viewers.
func countCoViews(ctx context.Context, tx pgx.Tx, added []insightsservice.View) error {
	if len(added) == 0 {
		return nil
	}
	var profiles, titles []string
	for _, v := range added {
		profiles = append(profiles, v.ProfileID)
		titles = append(titles, v.TitleID)
	}
	_, err := tx.Exec(ctx, `WITH added AS (
			SELECT * FROM unnest($1::text[], $2::text[]) AS n (profile_id, title_id)
		)
		INSERT INTO co_views (title_id, other_id, profiles)
		SELECT a.title_id, b.title_id, COUNT(*) FROM views a
		JOIN views b ON b.profile_id = a.profile_id
		WHERE a.profile_id = ANY($1) AND (
			EXISTS (SELECT 1 FROM added n WHERE n.profile_id = a.profile_id AND n.title_id = a.title_id)
			OR EXISTS (SELECT 1 FROM added n WHERE n.profile_id = b.profile_id AND n.title_id = b.title_id))
		GROUP BY a.title_id, b.title_id
		ON CONFLICT (title_id, other_id) DO UPDATE SET profiles = co_views.profiles + EXCLUDED.profiles`,
		profiles, titles)
	if err != nil {
		return fmt.Errorf("count co-views of %d new views: %w", len(added), err)
	}
	return nil
}

// insertViews inserts the views not stored yet, leaving the pair counts
// alone: ReplaceSeed recounts them all afterwards (rebuildCoViews).
func insertViews(ctx context.Context, db execer, views []insightsservice.View) error {
	if len(views) == 0 {
		return nil
	}
	var profiles, titles, videos []string
	var seeded []bool
	for _, v := range views {
		profiles = append(profiles, v.ProfileID)
		titles = append(titles, v.TitleID)
		videos = append(videos, v.VideoID)
		seeded = append(seeded, v.Seeded)
	}
	_, err := db.Exec(ctx, `INSERT INTO views (profile_id, title_id, video_id, seeded)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bool[])
		ON CONFLICT (profile_id, title_id) DO NOTHING`, profiles, titles, videos, seeded)
	if err != nil {
		return fmt.Errorf("insert %d views: %w", len(views), err)
	}
	return nil
}

// rebuildCoViews recounts every pair of co-viewed titles from the views,
// a title's pair with itself counting its viewers.
var rebuildCoViews = []string{
	`DELETE FROM co_views`,
	`INSERT INTO co_views (title_id, other_id, profiles)
		SELECT a.title_id, b.title_id, COUNT(*) FROM views a
		JOIN views b ON b.profile_id = a.profile_id
		GROUP BY a.title_id, b.title_id`,
}

// WatchedTitlesByProfileIDs implements insightsservice.Store.
func (s *Store) WatchedTitlesByProfileIDs(ctx context.Context, profileIDs []string) ([][]string, error) {
	out := make([][]string, len(profileIDs))
	if len(profileIDs) == 0 {
		return out, nil
	}
	rows, _ := s.pool.Query(ctx, `SELECT profile_id, title_id FROM views
		WHERE profile_id = ANY($1) ORDER BY profile_id, title_id`, postgres.Keys(profileIDs))
	byProfile := make(map[string][]string)
	var profileID, titleID string
	_, err := pgx.ForEachRow(rows, []any{&profileID, &titleID}, func() error {
		byProfile[profileID] = append(byProfile[profileID], titleID)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("query watched titles: %w", err)
	}
	for i, id := range profileIDs {
		out[i] = byProfile[id]
		if out[i] == nil {
			out[i] = []string{}
		}
	}
	return out, nil
}

// CoViewsByTitleIDs implements insightsservice.Store: one read of co_views,
// each pair joined to the other title's pair with itself (its viewers).
func (s *Store) CoViewsByTitleIDs(ctx context.Context, titleIDs []string) ([]insightsservice.CoViews, error) {
	out := make([]insightsservice.CoViews, len(titleIDs))
	if len(titleIDs) == 0 {
		return out, nil
	}
	rows, _ := s.pool.Query(ctx, `SELECT c.title_id, c.other_id, c.profiles, o.profiles
		FROM co_views c JOIN co_views o ON o.title_id = c.other_id AND o.other_id = c.other_id
		WHERE c.title_id = ANY($1)
		ORDER BY c.title_id, c.profiles DESC, c.other_id`, postgres.Keys(titleIDs))
	found := map[string]*insightsservice.CoViews{}
	var titleID string
	var o insightsservice.CoView
	_, err := pgx.ForEachRow(rows, []any{&titleID, &o.TitleID, &o.Both, &o.Viewers}, func() error {
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
	for i, id := range titleIDs {
		if c, ok := found[id]; ok {
			out[i] = *c
			out[i].With = slices.Clone(c.With)
		} else {
			out[i] = insightsservice.CoViews{TitleID: id, With: []insightsservice.CoView{}}
		}
	}
	return out, nil
}

// PopularTitles implements insightsservice.Store.
func (s *Store) PopularTitles(ctx context.Context, limit int) ([]insightsservice.TitleStat, error) {
	if limit <= 0 {
		return []insightsservice.TitleStat{}, nil
	}
	rows, _ := s.pool.Query(ctx, `
		WITH watched AS (
			SELECT title_id, COUNT(*) AS viewers FROM views GROUP BY title_id
		), talked AS (
			SELECT title_id,
				COUNT(*) AS messages,
				SUM(score) AS score_sum,
				COUNT(*) FILTER (WHERE label = $2) AS positive,
				COUNT(*) FILTER (WHERE label = $3) AS negative
			FROM message_scores GROUP BY title_id
		)
		SELECT COALESCE(w.title_id, m.title_id) AS title_id,
			COALESCE(w.viewers, 0) AS viewers, COALESCE(m.messages, 0) AS messages, COALESCE(m.score_sum, 0),
			COALESCE(m.positive, 0), COALESCE(m.negative, 0)
		FROM watched w FULL JOIN talked m ON m.title_id = w.title_id
		ORDER BY viewers DESC, messages DESC, title_id
		LIMIT $1`, limit, string(sentiment.Positive), string(sentiment.Negative))
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (insightsservice.TitleStat, error) {
		var st insightsservice.TitleStat
		a := &st.Audience
		err := row.Scan(&st.TitleID, &st.Viewers, &a.MessageCount, &a.ScoreSum, &a.Positive, &a.Negative)
		a.TitleID = st.TitleID
		a.Neutral = a.MessageCount - a.Positive - a.Negative
		return st, err
	})
	if err != nil {
		return nil, fmt.Errorf("query popular titles: %w", err)
	}
	if out == nil {
		out = []insightsservice.TitleStat{}
	}
	return out, nil
}
