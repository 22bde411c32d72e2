package app

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/events/embedded"
	"github.com/cinegraph/cinegraph/internal/health"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/internal/viewer"
)

// TestEventPipelineMetrics posts a chat message with chat and insights
// running on one bus: the process's metrics show the chat outbox's
// backlog and the insights group's lag on chat.messages, both back to
// zero once the message went through.
func TestEventPipelineMetrics(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logger := slog.New(slog.DiscardHandler)
	bus, err := embedded.Open(ctx, filepath.Join(cfg.DataDir, "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Close()
	checker := health.New()
	var chatHandler http.Handler
	for _, name := range []string{"chat", "insights"} {
		sg, err := OpenSubgraph(ctx, name, cfg, bus, logger)
		if err != nil {
			t.Fatal(err)
		}
		defer sg.Close()
		if name == "chat" {
			chatHandler = SubgraphHandler(sg, "router-token")
		}
	}
	admin := SubgraphAdminHandler(checker, NewMetrics(cfg))

	room := seed.Generate().Rooms[0].ID
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"mutation { postMessage(roomId: \"`+room+`\", body: \"metrics\") { id } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(viewer.RouterTokenHeader, "router-token")
	req.Header.Set(viewer.Header, "profile-1")
	rec := httptest.NewRecorder()
	chatHandler.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
		t.Fatalf("post: %d %s", rec.Code, rec.Body)
	}

	series := []string{
		`cinegraph_outbox_backlog{outbox="chat"}`,
		`cinegraph_events_consumer_lag{group="insights",topic="chat.messages"}`,
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := scrape(t, admin)
		done := true
		for _, s := range series {
			if v, ok := got[s]; !ok || v != 0 {
				done = false
			}
		}
		if done {
			return
		}
		if time.Now().After(deadline) {
			for _, s := range series {
				v, ok := got[s]
				t.Errorf("%s = %v (present: %v), want 0", s, v, ok)
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}
