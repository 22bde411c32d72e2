package videosqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/video/store/videostoretest"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

func TestContract(t *testing.T) {
	t.Parallel()
	videostoretest.Run(t, func(t *testing.T) videoservice.Store {
		s, err := OpenDir(context.Background(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestDataSurvivesReopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Replace(ctx, videostoretest.Fixture()); err != nil {
		t.Fatal(err)
	}
	at := videostoretest.At.Add(time.Hour)
	ps := videoservice.Session{ID: "ps-keep", ProfileID: videostoretest.OtherWatcher, VideoID: videostoretest.Episode1Video, StartedAt: at, UpdatedAt: at}
	if err := s.CreateSession(ctx, ps); err != nil {
		t.Fatal(err)
	}
	err = s.RecordProgress(ctx, videoservice.Progress{
		SessionID: ps.ID, ProfileID: ps.ProfileID, VideoID: ps.VideoID, PositionSeconds: 42, DurationSeconds: videostoretest.EpisodeSeconds, At: at,
		Event: videoservice.OutboxEvent{ID: "ev-keep", Topic: "video.events", Key: ps.VideoID, Type: videoservice.EventProgressReported, Time: at, Payload: []byte(`{}`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = Open(ctx, path) // migrations run again and change nothing
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v, found, err := s.ViewingOf(ctx, ps.ProfileID, ps.VideoID)
	if err != nil || !found || v.PositionSeconds != 42 || !v.LastWatchedAt.Equal(at) {
		t.Fatalf("viewing after reopen: %+v found=%v err=%v", v, found, err)
	}
	sessions, err := s.SessionsByIDs(ctx, []string{ps.ID})
	if err != nil || len(sessions) != 1 || sessions[0].PositionSeconds != 42 {
		t.Fatalf("session after reopen: %+v %v", sessions, err)
	}
	pending, err := s.PendingEvents(ctx, 10)
	if err != nil || len(pending) != 1 || pending[0].ID != "ev-keep" {
		t.Fatalf("outbox after reopen: %+v %v", pending, err)
	}
}

func TestSeedFullFixture(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := OpenDir(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	f := seed.Generate()
	if err := s.Replace(ctx, videoservice.DatasetFromSeed(f)); err != nil {
		t.Fatal(err)
	}
	// Seeding twice replaces rather than duplicates.
	if err := s.Replace(ctx, videoservice.DatasetFromSeed(f)); err != nil {
		t.Fatal(err)
	}
	titles := map[string]bool{}
	wantRenditions := 0
	for _, v := range f.Videos {
		titles[v.TitleID] = true
		wantRenditions += len(v.Renditions)
	}
	titleIDs := make([]string, 0, len(titles))
	for id := range titles {
		titleIDs = append(titleIDs, id)
	}
	videos, err := s.VideosByTitles(ctx, titleIDs)
	if err != nil || len(videos) != len(f.Videos) {
		t.Fatalf("videos: %d (err %v), want %d", len(videos), err, len(f.Videos))
	}
	videoIDs := make([]string, len(videos))
	for i, v := range videos {
		videoIDs[i] = v.ID
	}
	renditions, err := s.RenditionsByVideos(ctx, videoIDs)
	if err != nil || len(renditions) != wantRenditions {
		t.Fatalf("renditions: %d (err %v), want %d", len(renditions), err, wantRenditions)
	}
	viewing, err := s.ViewingByProfiles(ctx, []string{"profile-1", "profile-2", "profile-3", "profile-4", "profile-5"}, videoservice.ViewingFilter{Limit: 100})
	if err != nil || len(viewing) != len(f.Viewing) {
		t.Fatalf("viewing: %d (err %v), want %d", len(viewing), err, len(f.Viewing))
	}
}
