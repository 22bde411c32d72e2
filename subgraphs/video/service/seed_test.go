package service_test

import (
	"context"
	"testing"

	"github.com/cinegraph/cinegraph/subgraphs/video/service"
	"github.com/cinegraph/cinegraph/subgraphs/video/store/sqlitestore"
	"github.com/cinegraph/cinegraph/subgraphs/video/store/storetest"
)

// TestSeed checks the seeding seam: the service takes the demo fixture and
// hands its store the video part of it.
func TestSeed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, err := sqlitestore.OpenDir(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	svc := service.New(store)
	if empty, err := svc.Empty(ctx); err != nil || !empty {
		t.Fatalf("Empty on a new store = %v, %v", empty, err)
	}
	if err := svc.Seed(ctx, storetest.SeedFixture()); err != nil {
		t.Fatal(err)
	}
	if empty, err := svc.Empty(ctx); err != nil || empty {
		t.Fatalf("Empty after Seed = %v, %v", empty, err)
	}
	videos, err := svc.VideosByTitles(ctx, []string{storetest.Movie})
	if err != nil || len(videos[0]) != 2 {
		t.Fatalf("the film's videos after Seed = %v, %v; want feature and trailer", videos, err)
	}
	renditions, err := svc.RenditionsByVideos(ctx, []string{storetest.MovieFeature})
	if err != nil || len(renditions[0]) != 4 || renditions[0][0].Codec != service.CodecAV1 {
		t.Fatalf("the feature's renditions after Seed = %v, %v; want 4, AV1 first", renditions, err)
	}
	viewing, err := svc.ViewingByProfiles(ctx, []string{storetest.Watcher}, service.ViewingFilter{Limit: 10})
	if err != nil || len(viewing[0]) != 3 || viewing[0][0].DurationSeconds != storetest.FeatureSeconds {
		t.Fatalf("profile-1's viewing after Seed = %v, %v", viewing, err)
	}
}
