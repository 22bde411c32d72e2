package videocassandra

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/cassandra/cassandratest"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/video/store/videostoretest"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

func report(session, profile, video string, pos int, at time.Time, eventID string) videoservice.Progress {
	return videoservice.Progress{
		SessionID: session, ProfileID: profile, VideoID: video, PositionSeconds: pos, DurationSeconds: videostoretest.FeatureSeconds, At: at,
		Event: videoservice.OutboxEvent{ID: eventID, Topic: events.TopicVideoEvents, Key: video, Type: videoservice.EventProgressReported, Time: at, Payload: []byte(`{}`)},
	}
}

func continueWatchingRows(t *testing.T, s *Store, profile string) []recentRow {
	t.Helper()
	iter := s.s.Query(`SELECT video_id, last_watched_at, position_seconds FROM video_continue_watching WHERE profile_id = ?`, profile).Iter()
	var out []recentRow
	var r recentRow
	for iter.Scan(&r.videoID, &r.at, &r.position) {
		out = append(out, r)
	}
	if err := iter.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestContinueWatchingReplacesRow checks a new report moves the video's
// row rather than adding one.
func TestContinueWatchingReplacesRow(t *testing.T) {
	cfg := cassandratest.Config(t)
	s := openFresh(t, cfg)
	ctx := context.Background()
	if err := s.Replace(ctx, videostoretest.Fixture()); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSession(ctx, videoservice.Session{ID: "ps-1", ProfileID: videostoretest.Watcher, VideoID: videostoretest.Episode2Video, StartedAt: videostoretest.At, UpdatedAt: videostoretest.At}); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := s.RecordProgress(ctx, report("ps-1", videostoretest.Watcher, videostoretest.Episode2Video, 100*(i+1), videostoretest.At.Add(time.Duration(i)*time.Minute), fmt.Sprint("ev-", i))); err != nil {
			t.Fatal(err)
		}
	}
	rows := continueWatchingRows(t, s, videostoretest.Watcher)
	if len(rows) != 3 || rows[0].videoID != videostoretest.Episode2Video || rows[0].position != 300 {
		t.Fatalf("continue-watching rows %+v, want 3 with episode 2 first at 300s", rows)
	}
}

// TestStaleRows plants the rows racing reports can leave behind: an older
// row is skipped and deleted, a newer one whose batch is not yet visible
// in video_viewing is skipped and kept.
func TestStaleRows(t *testing.T) {
	cfg := cassandratest.Config(t)
	s := openFresh(t, cfg)
	ctx := context.Background()
	if err := s.Replace(ctx, videostoretest.Fixture()); err != nil {
		t.Fatal(err)
	}
	plant := func(video string, at time.Time, pos int) {
		t.Helper()
		if err := s.s.Query(`INSERT INTO video_continue_watching (profile_id, last_watched_at, video_id, position_seconds) VALUES (?, ?, ?, ?)`,
			videostoretest.Watcher, nanos(at), video, pos).Exec(); err != nil {
			t.Fatal(err)
		}
	}
	plant(videostoretest.Episode1Video, videostoretest.At.Add(-30*time.Minute), 5) // newer than the truth (2h ago)
	plant(videostoretest.MovieFeature, videostoretest.At.Add(-5*time.Hour), 7)     // older than the truth (1h ago)

	got, err := s.ViewingByProfiles(ctx, []string{videostoretest.Watcher}, videoservice.ViewingFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{videostoretest.MovieFeature + "@1000", videostoretest.Episode1Video + "@1790", videostoretest.Episode2Video + "@0"}
	var seen []string
	for _, v := range got {
		seen = append(seen, fmt.Sprintf("%s@%d", v.VideoID, v.PositionSeconds))
	}
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Fatalf("history %v, want %v", seen, want)
	}
	rows := continueWatchingRows(t, s, videostoretest.Watcher)
	if len(rows) != 4 {
		t.Fatalf("%d continue-watching rows left, want 4 (the older stray deleted, the newer kept): %+v", len(rows), rows)
	}
	for _, r := range rows {
		if r.position == 7 {
			t.Fatalf("older stray row not repaired: %+v", rows)
		}
	}
}

// TestConcurrentReportsAgree races reports for one profile and video and
// expects one history entry that matches ViewingOf.
func TestConcurrentReportsAgree(t *testing.T) {
	cfg := cassandratest.Config(t)
	s := openFresh(t, cfg)
	ctx := context.Background()
	if err := s.Replace(ctx, videostoretest.Fixture()); err != nil {
		t.Fatal(err)
	}
	const writers = 8
	for i := range writers {
		if err := s.CreateSession(ctx, videoservice.Session{ID: fmt.Sprint("ps-", i), ProfileID: videostoretest.OtherWatcher, VideoID: videostoretest.Episode1Video, StartedAt: videostoretest.At, UpdatedAt: videostoretest.At}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errc := make(chan error, writers)
	for i := range writers {
		wg.Go(func() {
			errc <- s.RecordProgress(ctx, report(fmt.Sprint("ps-", i), videostoretest.OtherWatcher, videostoretest.Episode1Video, 100+i, videostoretest.At.Add(time.Duration(i)*time.Second), fmt.Sprint("ev-", i)))
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Fatal(err)
		}
	}
	truth, found, err := s.ViewingOf(ctx, videostoretest.OtherWatcher, videostoretest.Episode1Video)
	if err != nil || !found {
		t.Fatalf("viewing %v %v", found, err)
	}
	hist, err := s.ViewingByProfiles(ctx, []string{videostoretest.OtherWatcher}, videoservice.ViewingFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	for _, v := range hist {
		if v.VideoID == videostoretest.Episode1Video {
			count++
			if v.PositionSeconds != truth.PositionSeconds || !v.LastWatchedAt.Equal(truth.LastWatchedAt) {
				t.Fatalf("history entry %+v disagrees with viewing %+v", v, truth)
			}
		}
	}
	if count != 1 || len(hist) != 2 {
		t.Fatalf("history %+v: want the feature and one episode entry", hist)
	}
}

// TestReopen runs the migrations again on an existing keyspace and finds
// the data and the pending event still there.
func TestReopen(t *testing.T) {
	cfg := cassandratest.Config(t)
	ctx := context.Background()
	s := openFresh(t, cfg)
	if err := s.Replace(ctx, videostoretest.Fixture()); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSession(ctx, videoservice.Session{ID: "ps-k", ProfileID: videostoretest.Watcher, VideoID: videostoretest.MovieTrailer, StartedAt: videostoretest.At, UpdatedAt: videostoretest.At}); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordProgress(ctx, report("ps-k", videostoretest.Watcher, videostoretest.MovieTrailer, 42, videostoretest.At, "ev-k")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v, found, err := s.ViewingOf(ctx, videostoretest.Watcher, videostoretest.MovieTrailer)
	if err != nil || !found || v.PositionSeconds != 42 || v.DurationSeconds != 120 {
		t.Fatalf("viewing after reopen %+v %v %v", v, found, err)
	}
	pending, err := s.PendingEvents(ctx, 10)
	if err != nil || len(pending) != 1 || pending[0].ID != "ev-k" {
		t.Fatalf("pending after reopen %+v %v", pending, err)
	}
	empty, err := s.Empty(ctx)
	if err != nil || empty {
		t.Fatalf("empty after reopen = %v, %v", empty, err)
	}
}

// TestSeedFullFixture seeds the generated catalogue twice (replacing, not
// duplicating) and reads every video, rendition and viewing back.
func TestSeedFullFixture(t *testing.T) {
	cfg := cassandratest.Config(t)
	s := openFresh(t, cfg)
	ctx := context.Background()
	f := seed.Generate()
	for range 2 {
		if err := s.Replace(ctx, videoservice.DatasetFromSeed(f)); err != nil {
			t.Fatal(err)
		}
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
	profiles := map[string]bool{}
	for _, v := range f.Viewing {
		profiles[v.ProfileID] = true
	}
	var profileIDs []string
	for p := range profiles {
		profileIDs = append(profileIDs, p)
	}
	viewing, err := s.ViewingByProfiles(ctx, profileIDs, videoservice.ViewingFilter{Limit: 1000})
	if err != nil || len(viewing) != len(f.Viewing) {
		t.Fatalf("viewing: %d (err %v), want %d", len(viewing), err, len(f.Viewing))
	}
}
