package videoloaders

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

// fakeReader is a store answering the batch reads from fixed data,
// counting calls, and able to fail; the loaders reach it through the
// service.
type fakeReader struct {
	videoservice.Store // the rest is not used
	calls              atomic.Int32
	fail               error
}

// newLoaders returns loaders over a service over r.
func newLoaders(r *fakeReader) *Loaders { return New(videoservice.New(r), Config{}) }

var videos = []videoservice.Video{
	{ID: "v-a", TitleID: "t1", EpisodeID: "", Kind: videoservice.KindFeature},
	{ID: "v-b", TitleID: "t1", Kind: videoservice.KindTrailer},
	{ID: "v-c", TitleID: "t2", EpisodeID: "e1", Kind: videoservice.KindEpisode},
}

func (f *fakeReader) filter(keys []string, key func(videoservice.Video) string) ([]videoservice.Video, error) {
	f.calls.Add(1)
	if f.fail != nil {
		return nil, f.fail
	}
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	var out []videoservice.Video
	// Reverse order: loaders must not rely on the store's order across keys.
	for i := len(videos) - 1; i >= 0; i-- {
		if want[key(videos[i])] {
			out = append(out, videos[i])
		}
	}
	return out, nil
}

func (f *fakeReader) VideosByIDs(_ context.Context, ids []string) ([]videoservice.Video, error) {
	return f.filter(ids, func(v videoservice.Video) string { return v.ID })
}

func (f *fakeReader) VideosByTitles(_ context.Context, ids []string) ([]videoservice.Video, error) {
	return f.filter(ids, func(v videoservice.Video) string { return v.TitleID })
}

func (f *fakeReader) VideosByEpisodes(_ context.Context, ids []string) ([]videoservice.Video, error) {
	return f.filter(ids, func(v videoservice.Video) string { return v.EpisodeID })
}

func (f *fakeReader) RenditionsByVideos(_ context.Context, ids []string) ([]videoservice.Rendition, error) {
	f.calls.Add(1)
	if f.fail != nil {
		return nil, f.fail
	}
	var out []videoservice.Rendition
	for _, id := range ids {
		out = append(out, videoservice.Rendition{ID: id + "-1080p", VideoID: id, Height: 1080}, videoservice.Rendition{ID: id + "-720p", VideoID: id, Height: 720})
	}
	return out, nil
}

func (f *fakeReader) ViewingByProfiles(_ context.Context, ids []string, filter videoservice.ViewingFilter) ([]videoservice.Viewing, error) {
	f.calls.Add(1)
	if f.fail != nil {
		return nil, f.fail
	}
	var out []videoservice.Viewing
	for _, id := range ids {
		for i := range filter.Limit {
			out = append(out, videoservice.Viewing{ProfileID: id, PositionSeconds: i})
		}
	}
	return out, nil
}

// loadConcurrently loads every key at once, as sibling resolvers do.
func loadConcurrently[K comparable, V any](load func(context.Context, K) (V, error), keys []K) ([]V, []error) {
	out := make([]V, len(keys))
	errs := make([]error, len(keys))
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Go(func() { out[i], errs[i] = load(context.Background(), k) })
	}
	wg.Wait()
	return out, errs
}

func TestVideoByIDKeyOrder(t *testing.T) {
	t.Parallel()
	r := &fakeReader{}
	l := newLoaders(r)
	got, errs := loadConcurrently(l.VideoByID.Load, []string{"v-c", "v-missing", "v-a"})
	if r.calls.Load() != 1 {
		t.Fatalf("%d store calls, want 1", r.calls.Load())
	}
	if errs[0] != nil || got[0].ID != "v-c" || got[1] != nil || got[2].ID != "v-a" {
		t.Fatalf("got %v %v", got, errs)
	}
}

func TestRelations(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		run  func(l *Loaders) ([]int, []error)
		want []int
	}{
		{"videos by title", func(l *Loaders) ([]int, []error) {
			got, errs := loadConcurrently(l.VideosByTitle.Load, []string{"t2", "t9", "t1"})
			return lens(got), errs
		}, []int{1, 0, 2}},
		{"renditions by video", func(l *Loaders) ([]int, []error) {
			got, errs := loadConcurrently(l.RenditionsByVideo.Load, []string{"v-a", "v-b"})
			return lens(got), errs
		}, []int{2, 2}},
		{"viewing by profile", func(l *Loaders) ([]int, []error) {
			f := videoservice.ViewingFilter{Limit: 3}
			got, errs := loadConcurrently(l.ViewingByProfile.Load, []ViewingKey{{"p1", f}, {"p2", f}})
			return lens(got), errs
		}, []int{3, 3}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := &fakeReader{}
			got, errs := tc.run(newLoaders(r))
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			if r.calls.Load() != 1 {
				t.Fatalf("%d store calls, want 1", r.calls.Load())
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func lens[T any](lists [][]T) []int {
	out := make([]int, len(lists))
	for i, l := range lists {
		out[i] = len(l)
	}
	return out
}

func TestVideoByEpisode(t *testing.T) {
	t.Parallel()
	l := newLoaders(&fakeReader{})
	got, errs := loadConcurrently(l.VideoByEpisode.Load, []string{"e1", "e2"})
	if errs[0] != nil || errs[1] != nil || got[0] == nil || got[0].ID != "v-c" || got[1] != nil {
		t.Fatalf("got %v %v", got, errs)
	}
}

func TestViewingFiltersSplitCalls(t *testing.T) {
	t.Parallel()
	r := &fakeReader{}
	l := newLoaders(r)
	got, errs := loadConcurrently(l.ViewingByProfile.Load, []ViewingKey{
		{"p1", videoservice.ViewingFilter{Limit: 2}},
		{"p1", videoservice.ViewingFilter{InProgress: true, Limit: 1}},
		{"p2", videoservice.ViewingFilter{Limit: 2}},
	})
	if r.calls.Load() != 2 {
		t.Fatalf("%d store calls, want one per filter (2)", r.calls.Load())
	}
	if errs[0] != nil || len(got[0]) != 2 || len(got[1]) != 1 || len(got[2]) != 2 || got[2][0].ProfileID != "p2" {
		t.Fatalf("got %v %v", got, errs)
	}
}

func TestStoreErrorReachesEveryKey(t *testing.T) {
	t.Parallel()
	boom := errors.New("store down")
	l := newLoaders(&fakeReader{fail: boom})
	_, errs := loadConcurrently(l.VideosByTitle.Load, []string{"t1", "t2"})
	for i, err := range errs {
		if !errors.Is(err, boom) {
			t.Fatalf("key %d: err %v, want the store error", i, err)
		}
	}
}

func TestMiddlewareGivesEachRequestFreshLoaders(t *testing.T) {
	t.Parallel()
	var seen []*Loaders
	h := Middleware(videoservice.New(&fakeReader{}), Config{})(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		seen = append(seen, For(r.Context()))
	}))
	for range 2 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", nil))
	}
	if len(seen) != 2 || seen[0] == seen[1] {
		t.Fatal("requests shared loaders")
	}
}

// TestConnectionLoadersDoNotCache checks a websocket connection's loaders,
// which live as long as the connection, never serve a stale answer.
func TestConnectionLoadersDoNotCache(t *testing.T) {
	t.Parallel()
	r := &fakeReader{}
	ctx := ForConnection(videoservice.New(r), Config{})(context.Background())
	for range 2 {
		if v, err := For(ctx).VideoByID.Load(ctx, "v-a"); err != nil || v == nil {
			t.Fatalf("Load = %v, %v", v, err)
		}
	}
	if n := r.calls.Load(); n != 2 {
		t.Fatalf("%d store calls for two loads, want 2 (no cache)", n)
	}
}
