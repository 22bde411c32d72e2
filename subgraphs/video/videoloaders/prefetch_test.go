package videoloaders

import (
	"context"
	"testing"

	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

func TestPrefetchPrimesLoaders(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cases := []struct {
		name      string
		prefetch  func(l *Loaders) error
		wantCalls int32
		cached    func(l *Loaders) error
	}{
		{"titles with renditions", func(l *Loaders) error { return l.PrefetchTitles(ctx, []string{"t1", "t2", "t9"}, true) }, 2,
			func(l *Loaders) error {
				if _, err := l.VideosByTitle.Load(ctx, "t9"); err != nil {
					return err
				}
				_, err := l.RenditionsByVideo.Load(ctx, "v-c")
				return err
			}},
		{"videos without renditions", func(l *Loaders) error {
			got, err := l.PrefetchVideos(ctx, []string{"v-b", "v-x"}, false)
			if err == nil && (got[0].ID != "v-b" || got[1] != nil) {
				t.Errorf("videos %v", got)
			}
			return err
		}, 1, func(l *Loaders) error { _, err := l.VideoByID.Load(ctx, "v-x"); return err }},
		{"episodes", func(l *Loaders) error { return l.PrefetchEpisodes(ctx, []string{"e1", "e2"}, true) }, 2,
			func(l *Loaders) error { _, err := l.VideoByEpisode.Load(ctx, "e2"); return err }},
		{"viewing with videos", func(l *Loaders) error {
			return l.PrefetchViewing(ctx, []ViewingKey{{"p1", videoservice.ViewingFilter{Limit: 2}}}, true, false)
		}, 2, func(l *Loaders) error { // viewing, then the videos it names
			if _, err := l.VideoByID.Load(ctx, ""); err != nil {
				return err
			}
			_, err := l.ViewingByProfile.Load(ctx, ViewingKey{"p1", videoservice.ViewingFilter{Limit: 2}})
			return err
		}},
		{"profiles by plan, invalid firsts left out", func(l *Loaders) error {
			return l.PrefetchProfiles(ctx, []string{"p1", "p2"}, ProfilePlan{History: []int{2}, ContinueWatching: []int{0}, Videos: true})
		}, 2, func(l *Loaders) error { // one viewing call for the valid filter, then the videos
			_, err := l.ViewingByProfile.Load(ctx, ViewingKey{"p2", videoservice.ViewingFilter{Limit: 2}})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := &fakeReader{}
			l := newLoaders(r)
			if err := tc.prefetch(l); err != nil {
				t.Fatal(err)
			}
			if got := r.calls.Load(); got != tc.wantCalls {
				t.Fatalf("prefetch made %d store calls, want %d", got, tc.wantCalls)
			}
			if err := tc.cached(l); err != nil {
				t.Fatal(err)
			}
			if got := r.calls.Load(); got != tc.wantCalls {
				t.Fatalf("loads after prefetch reached the store (%d calls)", got)
			}
		})
	}
}
