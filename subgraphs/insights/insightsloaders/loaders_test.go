package insightsloaders_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/cinegraph/cinegraph/internal/dataload"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsloaders"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights/sentiment"
	"github.com/cinegraph/cinegraph/subgraphs/insights/store/insightssqlite"
)

func newService(t *testing.T) (*insightsservice.Service, insightsservice.Store) {
	t.Helper()
	store, err := insightssqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	return insightsservice.New(store, insightsservice.WithModel(sentiment.NewVader())), store
}

func TestAudienceLoaderAnswersEachKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, store := newService(t)
	scores := []insightsservice.MessageScore{
		{MessageID: "a", RoomID: "room-t1", TitleID: "t1", Label: sentiment.Positive, Score: 0.5, Model: "m", SentAt: seed.Epoch()},
		{MessageID: "b", RoomID: "room-t2", TitleID: "t2", Label: sentiment.Negative, Score: -0.5, Model: "m", SentAt: seed.Epoch()},
		{MessageID: "c", RoomID: "room-t2", TitleID: "t2", Label: sentiment.Negative, Score: -0.5, Model: "m", SentAt: seed.Epoch()},
	}
	if _, err := store.SaveScores(ctx, scores); err != nil {
		t.Fatal(err)
	}
	l := insightsloaders.New(svc, insightsloaders.Config{})
	want := map[string]int{"t1": 1, "t2": 2, "t3": 0}
	var wg sync.WaitGroup
	for id, count := range want {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := l.Audience.Load(ctx, id)
			if err != nil || a.TitleID != id || a.MessageCount != count {
				t.Errorf("Load(%s) = %+v, %v; want %d messages", id, a, err, count)
			}
		}()
	}
	wg.Wait()
}

func TestFailedBatchFailsEveryKey(t *testing.T) {
	t.Parallel()
	svc, _ := newService(t)
	l := insightsloaders.New(svc, insightsloaders.Config{})
	thunks := []func() ([]insightsservice.Detection, error){
		l.Detections.LoadThunk(context.Background(), "v-1"),
		l.Detections.LoadThunk(context.Background(), "not an id"),
	}
	for i, thunk := range thunks {
		if _, err := thunk(); err == nil {
			t.Errorf("key %d: no error from a batch with a malformed id", i)
		}
	}
}

func TestMiddlewareGivesEachRequestItsOwnLoaders(t *testing.T) {
	t.Parallel()
	svc, _ := newService(t)
	func() {
		defer func() {
			if err, _ := recover().(error); !errors.Is(err, dataload.ErrMissing) {
				t.Fatalf("For without loaders recovered %v, want ErrMissing", err)
			}
		}()
		insightsloaders.For(context.Background())
	}()
	var seen []*insightsloaders.Loaders
	h := insightsloaders.Middleware(svc, insightsloaders.Config{})(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		seen = append(seen, insightsloaders.For(r.Context()))
	}))
	for range 2 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", nil))
	}
	if len(seen) != 2 || seen[0] == seen[1] || seen[0] == nil {
		t.Fatalf("requests shared loaders: %p %p", seen[0], seen[1])
	}
}
