package insightssqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights/sentiment"
)

// SaveScores implements insightsservice.Store.
func (s *Store) SaveScores(ctx context.Context, scores []insightsservice.MessageScore) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("save scores: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	n, err := insertScores(ctx, tx, scores)
	if err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("save scores: %w", err)
	}
	return n, nil
}

func insertScores(ctx context.Context, tx *sql.Tx, scores []insightsservice.MessageScore) (int, error) {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO message_scores
		(message_id, room_id, title_id, label, score, model, sent_at, seeded)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING`)
	if err != nil {
		return 0, fmt.Errorf("prepare score insert: %w", err)
	}
	defer func() { _ = stmt.Close() }()
	inserted := 0
	for _, sc := range scores {
		if !sc.Label.Valid() {
			return 0, fmt.Errorf("save score of message %s: invalid label %q", sc.MessageID, sc.Label)
		}
		res, err := stmt.ExecContext(ctx, sc.MessageID, sc.RoomID, sc.TitleID, string(sc.Label), sc.Score, sc.Model,
			sc.SentAt.UTC().Format(time.RFC3339Nano), sc.Seeded)
		if err != nil {
			return 0, fmt.Errorf("save score of message %s: %w", sc.MessageID, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, fmt.Errorf("save score of message %s: %w", sc.MessageID, err)
		}
		inserted += int(n)
	}
	return inserted, nil
}

// AudiencesByTitleIDs implements insightsservice.Store.
func (s *Store) AudiencesByTitleIDs(ctx context.Context, titleIDs []string) ([]insightsservice.Audience, error) {
	found := make(map[string]insightsservice.Audience, len(titleIDs))
	err := sqlite.QueryIn(ctx, s.db, `SELECT title_id, label, COUNT(*), SUM(score)
			FROM message_scores WHERE title_id IN (%s)
			GROUP BY title_id, label`, titleIDs, func(rows *sql.Rows) error {
		var (
			titleID, label string
			count          int
			sum            float64
		)
		if err := rows.Scan(&titleID, &label, &count, &sum); err != nil {
			return fmt.Errorf("scan audience: %w", err)
		}
		a := found[titleID]
		a.TitleID = titleID
		a.MessageCount += count
		a.ScoreSum += sum
		switch sentiment.Label(label) {
		case sentiment.Positive:
			a.Positive += count
		case sentiment.Negative:
			a.Negative += count
		default:
			a.Neutral += count
		}
		found[titleID] = a
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("query audiences: %w", err)
	}
	out := make([]insightsservice.Audience, len(titleIDs))
	for i, id := range titleIDs {
		a := found[id]
		a.TitleID = id
		out[i] = a
	}
	return out, nil
}
