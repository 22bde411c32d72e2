package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/subgraphs/catalog"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/search"
	"github.com/cinegraph/cinegraph/subgraphs/chat"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/video"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

func TestModulesAreTheConfiguredSubgraphsInStartOrder(t *testing.T) {
	var names []string
	for _, m := range (Options{}).Modules() {
		names = append(names, m.Name)
		if m.OpenEmbedded == nil || m.OpenCluster == nil {
			t.Errorf("module %s cannot open in both storage modes", m.Name)
		}
	}
	if !slices.Equal(names, config.Subgraphs) {
		t.Fatalf("modules %v, want %v", names, config.Subgraphs)
	}
	if _, err := OpenSubgraph(context.Background(), "nope", config.Default(), nil, nil); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Fatalf("opening an unknown subgraph: %v", err)
	}
}

// countingRooms counts the chat store's room lookups by title.
type countingRooms struct {
	chatservice.Store
	n *atomic.Int64
}

func (c countingRooms) RoomsByTitleIDs(ctx context.Context, ids []string) ([]chatservice.Room, error) {
	c.n.Add(1)
	return c.Store.RoomsByTitleIDs(ctx, ids)
}

// seen records which hooks ran, and passes their stores on untouched.
type seen struct {
	mu    sync.Mutex
	names []string
}

func (s *seen) add(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.names = append(s.names, name)
}

func passThrough[T any](s *seen, name string) func(T) T {
	return func(v T) T {
		s.add(name)
		return v
	}
}

func TestOpenWithHooksDecorateEveryStore(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Frontend.Dir = t.TempDir()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := context.Background()

	t.Run("every store passes through its hook and is used", func(t *testing.T) {
		var (
			hooks seen
			rooms atomic.Int64
		)
		o := Options{
			Catalog: catalog.Hooks{
				WrapStore:    passThrough[catalogservice.Store](&hooks, "catalog store"),
				WrapSearcher: passThrough[search.Searcher](&hooks, "catalog search"),
			},
			Video: video.Hooks{WrapStore: passThrough[videoservice.Store](&hooks, "video store")},
			Chat: chat.Hooks{WrapStore: func(s chatservice.Store) chatservice.Store {
				hooks.add("chat store")
				return countingRooms{s, &rooms}
			}},
			Insights: insights.Hooks{WrapStore: passThrough[insightsservice.Store](&hooks, "insights store")},
		}
		p, err := OpenWith(ctx, cfg, logger, o)
		if err != nil {
			t.Fatal(err)
		}
		defer func() {
			if err := p.Close(); err != nil {
				t.Errorf("close: %v", err)
			}
		}()
		slices.Sort(hooks.names)
		want := []string{"catalog search", "catalog store", "chat store", "insights store", "video store"}
		if !slices.Equal(hooks.names, want) {
			t.Fatalf("hooks ran for %v, want %v", hooks.names, want)
		}
		before := rooms.Load()
		resp := serveOnce(t, p.subgraphs["chat"].Handler(), `{"query":"query($r: [_Any!]!) { _entities(representations: $r) { ... on Title { chatRoom { id } } } }","variables":{"r":[{"__typename":"Title","id":"t0001"}]}}`)
		if !strings.Contains(resp, `"chatRoom":{"id":`) {
			t.Fatalf("answer %s", resp)
		}
		if rooms.Load() == before {
			t.Errorf("chat answered without calling the decorated store")
		}
	})

	t.Run("a hook returning nil fails Open", func(t *testing.T) {
		cfg := cfg
		cfg.DataDir = t.TempDir()
		o := Options{Video: video.Hooks{WrapStore: func(videoservice.Store) videoservice.Store { return nil }}}
		p, err := OpenWith(ctx, cfg, logger, o)
		if err == nil {
			_ = p.Close()
			t.Fatal("Open succeeded with a hook dropping the video store")
		}
		if !strings.Contains(err.Error(), "video store") {
			t.Errorf("error %q does not name the video store", err)
		}
	})
}

// serveOnce posts body to h and returns the answer.
func serveOnce(t *testing.T, h http.Handler, body string) string {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}
