package insights_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/embedded"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/insights"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights/sentiment"
	"github.com/cinegraph/cinegraph/subgraphs/insights/store/insightssqlite"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// fixture is the seed the subgraph loads, shared read-only by the tests.
var fixture = sync.OnceValue(seed.Generate)

// openBus opens an embedded bus in dir, closed by the test's cleanup.
func openBus(t *testing.T, dir string) *embedded.Bus {
	t.Helper()
	bus, err := embedded.Open(context.Background(), filepath.Join(dir, "events.db"))
	if err != nil {
		t.Fatalf("open bus: %v", err)
	}
	t.Cleanup(func() { _ = bus.Close() })
	return bus
}

// open starts a subgraph over opts, closed by the test's cleanup.
func open(t *testing.T, opts insights.Options) *insights.Subgraph {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = quiet
	}
	sg, err := insights.Open(context.Background(), opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = sg.Close() })
	return sg
}

// gqlError is one error of a response.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// post runs query and returns its data (decoded into out) and errors.
func post(t *testing.T, c *client.Client, query string, out any, opts ...client.Option) []gqlError {
	t.Helper()
	resp, err := c.RawPost(query, opts...)
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
			t.Fatalf("encode data: %v", err)
		}
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("decode data %s: %v", raw, err)
		}
	}
	return errs
}

func codes(errs []gqlError) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i], _ = e.Extensions["code"].(string)
	}
	sort.Strings(out)
	return out
}

// seededAudience is what the seed says a title's audience is.
func seededAudience(titleID string) insightsservice.Audience {
	a := insightsservice.Audience{TitleID: titleID}
	for _, sc := range insightsservice.BuildSeed(fixture(), sentiment.NewChat()).Scores {
		if sc.TitleID != titleID {
			continue
		}
		a.MessageCount++
		a.ScoreSum += sc.Score
		switch sc.Label {
		case sentiment.Positive:
			a.Positive++
		case sentiment.Negative:
			a.Negative++
		default:
			a.Neutral++
		}
	}
	return a
}

// chatEvent is a chat.messages event as the chat subgraph publishes it.
func chatEvent(t *testing.T, eventID string, m insightsservice.ChatMessagePosted) events.Event {
	t.Helper()
	ev, err := events.New(events.TopicChatMessages, m.RoomID, "chat.message.posted", eventID, seed.Epoch(), m)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// progressEvent is a video.events event as the video subgraph publishes it.
func progressEvent(t *testing.T, eventID string, p insightsservice.VideoProgress) events.Event {
	t.Helper()
	ev, err := events.New(events.TopicVideoEvents, p.VideoID, "video.progress.reported", eventID, seed.Epoch(), p)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// countingStore counts the calls of each Store method, to prove batching.
type countingStore struct {
	insightsservice.Store
	mu    sync.Mutex
	calls map[string]int
}

func newCountingStore(t *testing.T) *countingStore {
	t.Helper()
	s, err := insightssqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	return &countingStore{Store: s, calls: map[string]int{}}
}

func (c *countingStore) count(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[name]++
}

func (c *countingStore) reset() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.calls
	c.calls = map[string]int{}
	return out
}

func (c *countingStore) AudiencesByTitleIDs(ctx context.Context, ids []string) ([]insightsservice.Audience, error) {
	c.count("AudiencesByTitleIDs")
	return c.Store.AudiencesByTitleIDs(ctx, ids)
}

func (c *countingStore) DetectionsByVideoIDs(ctx context.Context, ids []string) ([][]insightsservice.Detection, error) {
	c.count("DetectionsByVideoIDs")
	return c.Store.DetectionsByVideoIDs(ctx, ids)
}

func (c *countingStore) WatchedTitlesByProfileIDs(ctx context.Context, ids []string) ([][]string, error) {
	c.count("WatchedTitlesByProfileIDs")
	return c.Store.WatchedTitlesByProfileIDs(ctx, ids)
}

func (c *countingStore) PopularTitles(ctx context.Context, limit int) ([]insightsservice.TitleStat, error) {
	c.count("PopularTitles")
	return c.Store.PopularTitles(ctx, limit)
}

func (c *countingStore) SaveScores(ctx context.Context, scores []insightsservice.MessageScore) (int, error) {
	c.count("SaveScores")
	return c.Store.SaveScores(ctx, scores)
}

func (c *countingStore) SaveViews(ctx context.Context, views []insightsservice.View) error {
	c.count("SaveViews")
	return c.Store.SaveViews(ctx, views)
}
