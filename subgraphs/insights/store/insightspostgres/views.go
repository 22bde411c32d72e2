package insightspostgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cinegraph/cinegraph/internal/postgres"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights/sentiment"
)

// SaveViews implements insightsservice.Store.
func (s *Store) SaveViews(ctx context.Context, views []insightsservice.View) error {
	if err := insertViews(ctx, s.pool, views); err != nil {
		return fmt.Errorf("save views: %w", err)
	}
	return nil
}

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
