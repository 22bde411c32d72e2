package insightspostgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cinegraph/cinegraph/internal/postgres"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights/sentiment"
)

// execer is what both the pool and a transaction offer.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// SaveScores implements insightsservice.Store: one INSERT ... SELECT FROM unnest
// stores the batch, all or nothing, skipping message ids already stored.
func (s *Store) SaveScores(ctx context.Context, scores []insightsservice.MessageScore) (int, error) {
	n, err := insertScores(ctx, s.pool, scores)
	if err != nil {
		return 0, fmt.Errorf("save scores: %w", err)
	}
	return n, nil
}

func insertScores(ctx context.Context, db execer, scores []insightsservice.MessageScore) (int, error) {
	if len(scores) == 0 {
		return 0, nil
	}
	cols := struct {
		ids, rooms, titles, labels, models []string
		values                             []float64
		sentAt                             []time.Time
		seeded                             []bool
	}{}
	for _, sc := range scores {
		if !sc.Label.Valid() {
			return 0, fmt.Errorf("score of message %s: invalid label %q", sc.MessageID, sc.Label)
		}
		cols.ids = append(cols.ids, sc.MessageID)
		cols.rooms = append(cols.rooms, sc.RoomID)
		cols.titles = append(cols.titles, sc.TitleID)
		cols.labels = append(cols.labels, string(sc.Label))
		cols.values = append(cols.values, sc.Score)
		cols.models = append(cols.models, sc.Model)
		cols.sentAt = append(cols.sentAt, sc.SentAt.UTC())
		cols.seeded = append(cols.seeded, sc.Seeded)
	}
	tag, err := db.Exec(ctx, `INSERT INTO message_scores (message_id, room_id, title_id, label, score, model, sent_at, seeded)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::text[], $7::timestamptz[], $8::bool[])
		ON CONFLICT (message_id) DO NOTHING`,
		cols.ids, cols.rooms, cols.titles, cols.labels, cols.values, cols.models, cols.sentAt, cols.seeded)
	if err != nil {
		return 0, fmt.Errorf("insert %d scores: %w", len(scores), err)
	}
	return int(tag.RowsAffected()), nil
}

// AudiencesByTitleIDs implements insightsservice.Store.
func (s *Store) AudiencesByTitleIDs(ctx context.Context, titleIDs []string) ([]insightsservice.Audience, error) {
	out := make([]insightsservice.Audience, len(titleIDs))
	if len(titleIDs) == 0 {
		return out, nil
	}
	rows, _ := s.pool.Query(ctx, `SELECT title_id, COUNT(*),
			COUNT(*) FILTER (WHERE label = $2), COUNT(*) FILTER (WHERE label = $3), SUM(score)
		FROM message_scores WHERE title_id = ANY($1) GROUP BY title_id`,
		postgres.Keys(titleIDs), string(sentiment.Positive), string(sentiment.Negative))
	found, err := pgx.CollectRows(rows, scanAudience)
	if err != nil {
		return nil, fmt.Errorf("query audiences: %w", err)
	}
	byTitle := make(map[string]insightsservice.Audience, len(found))
	for _, a := range found {
		byTitle[a.TitleID] = a
	}
	for i, id := range titleIDs {
		a := byTitle[id]
		a.TitleID = id
		out[i] = a
	}
	return out, nil
}

func scanAudience(row pgx.CollectableRow) (insightsservice.Audience, error) {
	var a insightsservice.Audience
	err := row.Scan(&a.TitleID, &a.MessageCount, &a.Positive, &a.Negative, &a.ScoreSum)
	// Any other label counts as neutral, as in the embedded store.
	a.Neutral = a.MessageCount - a.Positive - a.Negative
	return a, err
}
