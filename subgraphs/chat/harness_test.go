package chat

import (
	"cmp"
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"

	"github.com/99designs/gqlgen/client"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/embedded"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
	"github.com/cinegraph/cinegraph/subgraphs/chat/store/chatsqlite"
)

// harness is a running chat subgraph over a fresh data directory.
type harness struct {
	sg      *Subgraph
	bus     *embedded.Bus
	counter *countingStore
	c       *client.Client
	dir     string
}

// newHarness opens the subgraph with every store call counted.
func newHarness(t *testing.T) *harness { return newTunedHarness(t, tuning{}) }

func newTunedHarness(t *testing.T, tune tuning) *harness {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	bus, err := embedded.Open(ctx, filepath.Join(dir, "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	store, err := chatsqlite.Open(ctx, filepath.Join(dir, chatsqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	counter := &countingStore{Store: store}
	sg, err := open(ctx, counter, Options{DataDir: dir, Bus: bus, Logger: slog.New(slog.DiscardHandler)}, tune)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := sg.Close(); err != nil {
			t.Errorf("close subgraph: %v", err)
		}
		_ = bus.Close()
	})
	return &harness{sg: sg, bus: bus, counter: counter, c: viewertest.Client(sg.Handler(), viewertest.As("profile-1")), dir: dir}
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// exec runs query and decodes data into out (when not nil).
func (h *harness) exec(t *testing.T, query string, vars map[string]any, out any, opts ...client.Option) []gqlError {
	t.Helper()
	for k, v := range vars {
		opts = append(opts, client.Var(k, v))
	}
	resp, err := h.c.RawPost(query, opts...)
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	if out != nil {
		raw, err := json.Marshal(resp.Data)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("decode %s: %v", raw, err)
		}
	}
	var errs []gqlError
	if len(resp.Errors) > 0 {
		if err := json.Unmarshal(resp.Errors, &errs); err != nil {
			t.Fatalf("decode errors %s: %v", resp.Errors, err)
		}
	}
	return errs
}

// mustExec is exec that fails the test on any GraphQL error.
func (h *harness) mustExec(t *testing.T, query string, vars map[string]any, out any, opts ...client.Option) {
	t.Helper()
	if errs := h.exec(t, query, vars, out, opts...); len(errs) > 0 {
		t.Fatalf("unexpected errors: %+v", errs)
	}
}

func wantError(t *testing.T, errs []gqlError, code, field string) {
	t.Helper()
	if len(errs) != 1 {
		t.Fatalf("got %d errors %+v, want one %s", len(errs), errs, code)
	}
	if errs[0].Extensions["code"] != code {
		t.Fatalf("error %+v, want code %s", errs[0], code)
	}
	if field != "" && errs[0].Extensions["field"] != field {
		t.Fatalf("error %+v, want field %s", errs[0], field)
	}
}

// busEvents reads every chat.messages event published so far (waiting a
// little for stragglers).
func (h *harness) busEvents(t *testing.T, group string, wait time.Duration) []events.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	var mu sync.Mutex
	var got []events.Event
	_ = h.bus.Consume(ctx, events.TopicChatMessages, group, func(_ context.Context, ev events.Event) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, ev)
		return nil
	})
	mu.Lock()
	defer mu.Unlock()
	return got
}

// countingStore counts calls per Store method, to prove batching.
type countingStore struct {
	chatservice.Store
	mu    sync.Mutex
	calls map[string]int
}

func (s *countingStore) count(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.calls == nil {
		s.calls = map[string]int{}
	}
	s.calls[name]++
}

// take returns the counts so far and resets them.
func (s *countingStore) take() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.calls
	s.calls = nil
	if out == nil {
		out = map[string]int{}
	}
	return out
}

func (s *countingStore) RoomsByIDs(ctx context.Context, ids []string) ([]chatservice.Room, error) {
	s.count("RoomsByIDs")
	return s.Store.RoomsByIDs(ctx, ids)
}

func (s *countingStore) RoomsByTitleIDs(ctx context.Context, ids []string) ([]chatservice.Room, error) {
	s.count("RoomsByTitleIDs")
	return s.Store.RoomsByTitleIDs(ctx, ids)
}

func (s *countingStore) MessagesByIDs(ctx context.Context, ids []string) ([]chatservice.Message, error) {
	s.count("MessagesByIDs")
	return s.Store.MessagesByIDs(ctx, ids)
}

func (s *countingStore) RoomStats(ctx context.Context, ids []string) ([]chatservice.RoomStats, error) {
	s.count("RoomStats")
	return s.Store.RoomStats(ctx, ids)
}

func (s *countingStore) MessagePages(ctx context.Context, qs []chatservice.PageQuery) ([]chatservice.Page, error) {
	s.count("MessagePages")
	return s.Store.MessagePages(ctx, qs)
}

func (s *countingStore) ActiveRooms(ctx context.Context, limit int) ([]chatservice.Room, error) {
	s.count("ActiveRooms")
	return s.Store.ActiveRooms(ctx, limit)
}

func (s *countingStore) AddMessage(ctx context.Context, m chatservice.Message, ev events.Event) error {
	s.count("AddMessage")
	return s.Store.AddMessage(ctx, m, ev)
}

// fixture facts the assertions compare against.
type seedFacts struct {
	fixture *seed.Fixture
	byRoom  map[string][]seed.Message // newest first
	titleOf map[string]seed.Room      // by room id
	active  []string                  // room ids, most recent message first
}

func facts() seedFacts {
	f := seed.Generate()
	sf := seedFacts{fixture: f, byRoom: map[string][]seed.Message{}, titleOf: map[string]seed.Room{}}
	for _, r := range f.Rooms {
		sf.titleOf[r.ID] = r
	}
	for _, m := range f.Messages {
		sf.byRoom[m.RoomID] = append(sf.byRoom[m.RoomID], m)
	}
	last := map[string]time.Time{}
	for room, msgs := range sf.byRoom {
		sort.Slice(msgs, func(i, j int) bool {
			if !msgs[i].SentAt.Equal(msgs[j].SentAt) {
				return msgs[i].SentAt.After(msgs[j].SentAt)
			}
			return msgs[i].ID > msgs[j].ID
		})
		last[room] = msgs[0].SentAt
		sf.active = append(sf.active, room)
	}
	slices.SortFunc(sf.active, func(a, b string) int {
		if c := last[b].Compare(last[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return sf
}
