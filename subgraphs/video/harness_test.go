package video

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"

	"github.com/99designs/gqlgen/client"

	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/video/store/videosqlite"
	"github.com/cinegraph/cinegraph/subgraphs/video/store/videostoretest"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoloaders"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// countingStore counts calls per Store method, to prove batching.
type countingStore struct {
	videoservice.Store
	mu    sync.Mutex
	calls map[string]int
}

func (c *countingStore) count(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[name]++
}

func (c *countingStore) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = map[string]int{}
}

func (c *countingStore) snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]int{}
	for k, v := range c.calls {
		out[k] = v
	}
	return out
}

func (c *countingStore) VideosByIDs(ctx context.Context, ids []string) ([]videoservice.Video, error) {
	c.count("VideosByIDs")
	return c.Store.VideosByIDs(ctx, ids)
}

func (c *countingStore) VideosByTitles(ctx context.Context, ids []string) ([]videoservice.Video, error) {
	c.count("VideosByTitles")
	return c.Store.VideosByTitles(ctx, ids)
}

func (c *countingStore) VideosByEpisodes(ctx context.Context, ids []string) ([]videoservice.Video, error) {
	c.count("VideosByEpisodes")
	return c.Store.VideosByEpisodes(ctx, ids)
}

func (c *countingStore) RenditionsByVideos(ctx context.Context, ids []string) ([]videoservice.Rendition, error) {
	c.count("RenditionsByVideos")
	return c.Store.RenditionsByVideos(ctx, ids)
}

func (c *countingStore) ViewingByProfiles(ctx context.Context, ids []string, f videoservice.ViewingFilter) ([]videoservice.Viewing, error) {
	c.count("ViewingByProfiles")
	return c.Store.ViewingByProfiles(ctx, ids, f)
}

func (c *countingStore) ViewingOf(ctx context.Context, profileID, videoID string) (videoservice.Viewing, bool, error) {
	c.count("ViewingOf")
	return c.Store.ViewingOf(ctx, profileID, videoID)
}

func (c *countingStore) SessionsByIDs(ctx context.Context, ids []string) ([]videoservice.Session, error) {
	c.count("SessionsByIDs")
	return c.Store.SessionsByIDs(ctx, ids)
}

// testSubgraph opens a subgraph over a store seeded with f (the small
// fixture when nil means the full seed), wrapped in a call counter.
func testSubgraph(t *testing.T, f *seed.Fixture) (*Subgraph, *countingStore) {
	t.Helper()
	return testSubgraphWait(t, f, videoloaders.DefaultWait)
}

// testSubgraphWait is testSubgraph with the loaders' batch window set.
func testSubgraphWait(t *testing.T, f *seed.Fixture, wait time.Duration) (*Subgraph, *countingStore) {
	t.Helper()
	ctx := context.Background()
	store, err := videosqlite.OpenDir(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	d := videostoretest.Fixture()
	if f != nil {
		d = videoservice.DatasetFromSeed(f)
	}
	if err := store.Replace(ctx, d); err != nil {
		t.Fatal(err)
	}
	counting := &countingStore{Store: store, calls: map[string]int{}}
	sg, err := openWith(ctx, counting, Options{Logger: quiet}, wait)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sg.Close() })
	return sg, counting
}

// gqlError is one error of a response.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// post runs query as profile (empty: as the client is), decoding data
// into out (when not nil) and returning the errors.
func post(t *testing.T, h *client.Client, profile, query string, out any, opts ...client.Option) []gqlError {
	t.Helper()
	if profile != "" {
		opts = append(opts, viewertest.As(profile))
	}
	resp, err := h.RawPost(query, opts...)
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	var errs []gqlError
	if len(resp.Errors) > 0 {
		if err := json.Unmarshal(resp.Errors, &errs); err != nil {
			t.Fatalf("decode errors %s: %v", resp.Errors, err)
		}
	}
	if out != nil && resp.Data != nil {
		raw, err := json.Marshal(resp.Data)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("decode data %s: %v", raw, err)
		}
	}
	return errs
}

func mustPost(t *testing.T, h *client.Client, profile, query string, out any, opts ...client.Option) {
	t.Helper()
	if errs := post(t, h, profile, query, out, opts...); len(errs) > 0 {
		t.Fatalf("errors: %+v", errs)
	}
}

func codes(errs []gqlError) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i], _ = e.Extensions["code"].(string)
	}
	return out
}
