package videoservice_test

import (
	"context"
	"testing"

	"github.com/cinegraph/cinegraph/subgraphs/video/store/videosqlite"
	"github.com/cinegraph/cinegraph/subgraphs/video/store/videostoretest"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

// TestSeed checks the seeding seam: the service takes the demo fixture and
// hands its store the video part of it.
func TestSeed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, err := videosqlite.OpenDir(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	svc := videoservice.New(store)
	if empty, err := svc.Empty(ctx); err != nil || !empty {
		t.Fatalf("Empty on a new store = %v, %v", empty, err)
	}
	if err := svc.Seed(ctx, videostoretest.SeedFixture()); err != nil {
		t.Fatal(err)
	}
	if empty, err := svc.Empty(ctx); err != nil || empty {
		t.Fatalf("Empty after Seed = %v, %v", empty, err)
	}
	videos, err := svc.VideosByTitles(ctx, []string{videostoretest.Movie})
	if err != nil || len(videos[0]) != 2 {
		t.Fatalf("the film's videos after Seed = %v, %v; want feature and trailer", videos, err)
	}
	renditions, err := svc.RenditionsByVideos(ctx, []string{videostoretest.MovieFeature})
	if err != nil || len(renditions[0]) != 4 || renditions[0][0].Codec != videoservice.CodecAV1 {
		t.Fatalf("the feature's renditions after Seed = %v, %v; want 4, AV1 first", renditions, err)
	}
	viewing, err := svc.ViewingByProfiles(ctx, []string{videostoretest.Watcher}, videoservice.ViewingFilter{Limit: 10})
	if err != nil || len(viewing[0]) != 3 || viewing[0][0].DurationSeconds != videostoretest.FeatureSeconds {
		t.Fatalf("profile-1's viewing after Seed = %v, %v", viewing, err)
	}
}
