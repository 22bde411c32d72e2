package chatloaders

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
)

// fakeStore serves rooms from memory and counts lookups; other Store
// methods are not used here.
type fakeStore struct {
	chatservice.Store
	mu      sync.Mutex
	calls   map[string]int
	failing bool
	rooms   []chatservice.Room
}

func (s *fakeStore) count(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.calls == nil {
		s.calls = map[string]int{}
	}
	s.calls[name]++
	if s.failing {
		return errors.New("store down")
	}
	return nil
}

func (s *fakeStore) callsTo(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[name]
}

func (s *fakeStore) RoomsByIDs(_ context.Context, ids []string) ([]chatservice.Room, error) {
	if err := s.count("RoomsByIDs"); err != nil {
		return nil, err
	}
	var out []chatservice.Room
	for _, r := range s.rooms {
		for _, id := range ids {
			if r.ID == id {
				out = append(out, r)
			}
		}
	}
	return out, nil
}

func (s *fakeStore) RoomsByTitleIDs(_ context.Context, ids []string) ([]chatservice.Room, error) {
	if err := s.count("RoomsByTitleIDs"); err != nil {
		return nil, err
	}
	var out []chatservice.Room
	for _, r := range s.rooms {
		for _, id := range ids {
			if r.TitleID == id {
				out = append(out, r)
			}
		}
	}
	return out, nil
}

func newFake() *fakeStore {
	return &fakeStore{rooms: []chatservice.Room{{ID: "room-t1", TitleID: "t1"}, {ID: "room-t2", TitleID: "t2"}}}
}

func TestBatchesAndAligns(t *testing.T) {
	t.Parallel()
	store := newFake()
	l := New(chatservice.New(store), Config{})
	ctx := context.Background()
	rooms, err := l.RoomByID.LoadAll(ctx, []string{"room-t2", "room-x", "room-t1"})
	if err != nil {
		t.Fatal(err)
	}
	if rooms[0].ID != "room-t2" || rooms[1] != nil || rooms[2].ID != "room-t1" {
		t.Fatalf("not in key order: %+v", rooms)
	}
	if n := store.callsTo("RoomsByIDs"); n != 1 {
		t.Fatalf("%d store calls, want 1", n)
	}
}

func TestRoomsByTitlePrimeRoomsByID(t *testing.T) {
	t.Parallel()
	store := newFake()
	l := New(chatservice.New(store), Config{})
	ctx := context.Background()
	if _, err := l.RoomByTitle.LoadAll(ctx, []string{"t1", "t2"}); err != nil {
		t.Fatal(err)
	}
	r, err := l.RoomByID.Load(ctx, "room-t2")
	if err != nil || r == nil || r.TitleID != "t2" {
		t.Fatalf("room-t2 = %+v, %v", r, err)
	}
	if n := store.callsTo("RoomsByIDs"); n != 0 {
		t.Fatalf("%d RoomsByIDs calls, want 0 (primed)", n)
	}
}

func TestErrorReachesEveryKey(t *testing.T) {
	t.Parallel()
	store := newFake()
	store.failing = true
	l := New(chatservice.New(store), Config{})
	ctx := context.Background()
	thunks := []func() (*chatservice.Room, error){l.RoomByID.LoadThunk(ctx, "room-t1"), l.RoomByID.LoadThunk(ctx, "room-t2")}
	for i, th := range thunks {
		if _, err := th(); err == nil {
			t.Fatalf("key %d: no error from a failed batch", i)
		}
	}
}

func TestNoCacheFetchesAgain(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		cfg       Config
		wantCalls int
	}{
		{"cached", Config{}, 1},
		{"uncached", Config{NoCache: true}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			store := newFake()
			l := New(chatservice.New(store), tc.cfg)
			for range 2 {
				if _, err := l.RoomByID.Load(context.Background(), "room-t1"); err != nil {
					t.Fatal(err)
				}
			}
			if n := store.callsTo("RoomsByIDs"); n != tc.wantCalls {
				t.Fatalf("%d calls, want %d", n, tc.wantCalls)
			}
		})
	}
}

func TestMiddlewareGivesEachRequestItsOwnLoaders(t *testing.T) {
	t.Parallel()
	svc := chatservice.New(newFake())
	var seen []*Loaders
	h := Middleware(svc, Config{})(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		l := For(r.Context())
		if For(r.Context()) != l {
			t.Error("one request got two loader sets")
		}
		seen = append(seen, l)
	}))
	for range 2 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", nil))
	}
	if len(seen) != 2 || seen[0] == seen[1] || !seen[0].Cached() {
		t.Fatal("requests share loaders, or theirs do not cache")
	}
	// A websocket connection's loaders answer without caching.
	ctx := ForConnection(svc, Config{})(context.Background())
	l := For(ctx)
	if l.Cached() {
		t.Fatal("a connection's loaders cache")
	}
	if r, err := l.RoomByID.Load(ctx, "room-t1"); err != nil || r == nil {
		t.Fatalf("connection loaders: %+v, %v", r, err)
	}
}
