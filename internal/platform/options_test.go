package platform

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
	chatservice "github.com/cinegraph/cinegraph/subgraphs/chat/service"
)

// countingRooms counts the chat store's room lookups by title.
type countingRooms struct {
	chatservice.Store
	n *atomic.Int64
}

func (c countingRooms) RoomsByTitleIDs(ctx context.Context, ids []string) ([]chatservice.Room, error) {
	c.n.Add(1)
	return c.Store.RoomsByTitleIDs(ctx, ids)
}

func TestOpenWithWrapsEveryStore(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Frontend.Dir = t.TempDir()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := context.Background()

	t.Run("every store passes through the wrapper and is used", func(t *testing.T) {
		var (
			mu    sync.Mutex
			names []string
			rooms atomic.Int64
		)
		wrap := func(name string, store any) any {
			mu.Lock()
			names = append(names, name)
			mu.Unlock()
			if s, ok := store.(chatservice.Store); ok && name == StoreChat {
				return countingRooms{s, &rooms}
			}
			return store
		}
		p, err := OpenWith(ctx, cfg, "http://127.0.0.1:1", logger, Options{WrapStore: wrap})
		if err != nil {
			t.Fatal(err)
		}
		defer func() {
			if err := p.Close(); err != nil {
				t.Errorf("close: %v", err)
			}
		}()
		slices.Sort(names)
		want := []string{StoreCatalog, StoreCatalogSearch, StoreChat, StoreInsights, StoreVideo}
		if !slices.Equal(names, want) {
			t.Fatalf("wrapped %v, want %v", names, want)
		}
		before := rooms.Load()
		resp := serveOnce(t, p.subgraphs["chat"].Handler(), `{"query":"query($r: [_Any!]!) { _entities(representations: $r) { ... on Title { chatRoom { id } } } }","variables":{"r":[{"__typename":"Title","id":"t0001"}]}}`)
		if !strings.Contains(resp, `"chatRoom":{"id":`) {
			t.Fatalf("answer %s", resp)
		}
		if rooms.Load() == before {
			t.Errorf("chat answered without calling the wrapped store")
		}
	})

	t.Run("a wrapper returning the wrong type fails Open", func(t *testing.T) {
		cfg := cfg
		cfg.DataDir = t.TempDir()
		wrap := func(name string, store any) any {
			if name == StoreVideo {
				return struct{}{}
			}
			return store
		}
		p, err := OpenWith(ctx, cfg, "http://127.0.0.1:1", logger, Options{WrapStore: wrap})
		if err == nil {
			_ = p.Close()
			t.Fatal("Open succeeded with a wrapper breaking the video store")
		}
		if !strings.Contains(err.Error(), StoreVideo) {
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
