package insightspostgres_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/enginetest"
	pg "github.com/cinegraph/cinegraph/internal/postgres"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights/sentiment"
	"github.com/cinegraph/cinegraph/subgraphs/insights/store/insightspostgres"
	"github.com/cinegraph/cinegraph/subgraphs/insights/store/insightsstoretest"
)

// schemaSeq tells apart the schemas one test binary creates.
var schemaSeq atomic.Int64

func settings(t *testing.T) config.Postgres {
	t.Helper()
	enginetest.Postgres(t)
	cfg := enginetest.Storage(t).Postgres
	cfg.MaxConns = 4
	return cfg
}

// freshSchema names a schema no other test run uses and drops it when the
// test ends.
func freshSchema(t *testing.T, cfg config.Postgres) string {
	t.Helper()
	name := fmt.Sprintf("test_insights_%d_%d", time.Now().UnixNano(), schemaSeq.Add(1))
	t.Cleanup(func() {
		if err := pg.DropSchema(context.Background(), cfg, name); err != nil {
			t.Errorf("drop test schema: %v", err)
		}
	})
	return name
}

func open(t *testing.T, cfg config.Postgres, schema string) *insightspostgres.Store {
	t.Helper()
	s, err := insightspostgres.Open(context.Background(), cfg, insightspostgres.WithSchema(schema))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestContract(t *testing.T) {
	t.Parallel()
	cfg := settings(t)
	insightsstoretest.Run(t, func(t *testing.T) insightsservice.Store {
		return open(t, cfg, freshSchema(t, cfg))
	})
}

func TestDataSurvivesReopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := settings(t)
	schema := freshSchema(t, cfg)
	s := open(t, cfg, schema)
	sentAt := time.Date(2026, time.October, 1, 20, 0, 0, 0, time.UTC)
	score := insightsservice.MessageScore{MessageID: "m1", RoomID: "room-t0001", TitleID: "t0001", Label: sentiment.Positive, Score: 0.7, Model: "test", SentAt: sentAt}
	if _, err := s.SaveScores(ctx, []insightsservice.MessageScore{score}); err != nil {
		t.Fatalf("SaveScores: %v", err)
	}
	if err := s.SaveViews(ctx, []insightsservice.View{{ProfileID: "profile-1", TitleID: "t0002", VideoID: "v"}}); err != nil {
		t.Fatalf("SaveViews: %v", err)
	}
	_ = s.Close()

	s = open(t, cfg, schema)
	aud, err := s.AudiencesByTitleIDs(ctx, []string{"t0001"})
	if err != nil || aud[0].MessageCount != 1 || aud[0].Positive != 1 {
		t.Fatalf("after reopen audience = %+v, %v", aud, err)
	}
	watched, err := s.WatchedTitlesByProfileIDs(ctx, []string{"profile-1"})
	if err != nil || len(watched[0]) != 1 || watched[0][0] != "t0002" {
		t.Fatalf("after reopen watched = %v, %v", watched, err)
	}
	if n, err := s.SaveScores(ctx, []insightsservice.MessageScore{score}); err != nil || n != 0 {
		t.Fatalf("after reopen the stored message saved again: %d, %v", n, err)
	}
}

func TestDuplicateIDsInOneBatchCountOnce(t *testing.T) {
	t.Parallel()
	cfg := settings(t)
	s := open(t, cfg, freshSchema(t, cfg))
	sc := insightsservice.MessageScore{MessageID: "m1", RoomID: "r", TitleID: "t1", Label: sentiment.Neutral, Model: "test", SentAt: time.Now()}
	n, err := s.SaveScores(context.Background(), []insightsservice.MessageScore{sc, sc})
	if err != nil || n != 1 {
		t.Fatalf("SaveScores(same message twice) = %d, %v; want 1", n, err)
	}
}

func TestSeedLoads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := settings(t)
	s := open(t, cfg, freshSchema(t, cfg))
	data := insightsservice.BuildSeed(seed.Generate(), sentiment.NewVader())
	start := time.Now()
	for range 2 { // reseeding replaces rather than adds
		if err := s.ReplaceSeed(ctx, data); err != nil {
			t.Fatalf("ReplaceSeed: %v", err)
		}
	}
	t.Logf("seeded %d scores, %d detections, %d views twice in %v", len(data.Scores), len(data.Detections), len(data.Views), time.Since(start))
	popular, err := s.PopularTitles(ctx, 1000)
	if err != nil || len(popular) == 0 {
		t.Fatalf("PopularTitles = %d, %v", len(popular), err)
	}
	messages := 0
	for _, st := range popular {
		messages += st.Audience.MessageCount
	}
	if messages != len(data.Scores) {
		t.Errorf("popular titles count %d messages, want the %d seeded", messages, len(data.Scores))
	}
}
