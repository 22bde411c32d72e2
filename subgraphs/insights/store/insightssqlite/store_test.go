package insightssqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights/store/insightssqlite"
	"github.com/cinegraph/cinegraph/subgraphs/insights/store/insightsstoretest"
)

func TestContract(t *testing.T) {
	t.Parallel()
	insightsstoretest.Run(t, func(t *testing.T) insightsservice.Store {
		s, err := insightssqlite.Open(context.Background(), t.TempDir())
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}

func TestDataSurvivesReopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	s, err := insightssqlite.Open(ctx, dir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	score := insightsservice.MessageScore{MessageID: "m1", RoomID: "room-t0001", TitleID: "t0001", Label: "POSITIVE", Score: 0.7, Model: "test"}
	if _, err := s.SaveScores(ctx, []insightsservice.MessageScore{score}); err != nil {
		t.Fatalf("SaveScores: %v", err)
	}
	if err := s.SaveViews(ctx, []insightsservice.View{{ProfileID: "profile-1", TitleID: "t0002", VideoID: "v"}}); err != nil {
		t.Fatalf("SaveViews: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s, err = insightssqlite.Open(ctx, dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer func() { _ = s.Close() }()
	if _, err := os.Stat(filepath.Join(dir, insightssqlite.FileName)); err != nil {
		t.Fatalf("database file: %v", err)
	}
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
