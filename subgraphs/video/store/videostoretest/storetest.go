package videostoretest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

// Run checks a Store against the contract. open returns a fresh, empty
// store; Run seeds it with Fixture and closes it when the test ends.
func Run(t *testing.T, open func(t *testing.T) videoservice.Store) {
	t.Helper()
	seeded := func(t *testing.T) videoservice.Store {
		t.Helper()
		s := open(t)
		t.Cleanup(func() { _ = s.Close() })
		if err := s.Replace(context.Background(), Fixture()); err != nil {
			t.Fatalf("seed: %v", err)
		}
		return s
	}
	t.Run("Empty", func(t *testing.T) { testEmpty(t, open) })
	t.Run("VideosByIDs", func(t *testing.T) { testVideosByIDs(t, seeded(t)) })
	t.Run("VideosByTitles", func(t *testing.T) { testVideosByTitles(t, seeded(t)) })
	t.Run("VideosByEpisodes", func(t *testing.T) { testVideosByEpisodes(t, seeded(t)) })
	t.Run("RenditionsByVideos", func(t *testing.T) { testRenditions(t, seeded(t)) })
	t.Run("ViewingByProfiles", func(t *testing.T) { testViewing(t, seeded(t)) })
	t.Run("ViewingOf", func(t *testing.T) { testViewingOf(t, seeded(t)) })
	t.Run("Sessions", func(t *testing.T) { testSessions(t, seeded(t)) })
	t.Run("RecordProgress", func(t *testing.T) { testRecordProgress(t, seeded(t)) })
	t.Run("RecordProgressUnknownSession", func(t *testing.T) { testRecordProgressUnknown(t, seeded(t)) })
	t.Run("RecordProgressAtomic", func(t *testing.T) { testRecordProgressAtomic(t, seeded(t)) })
	t.Run("Outbox", func(t *testing.T) { testOutbox(t, seeded(t)) })
	t.Run("ConcurrentProgress", func(t *testing.T) { testConcurrentProgress(t, seeded(t)) })
	t.Run("Reseed", func(t *testing.T) { testReseed(t, seeded(t)) })
	t.Run("DuplicateIDsAcrossChunks", func(t *testing.T) { testDuplicateIDs(t, seeded(t)) })
}

func testEmpty(t *testing.T, open func(t *testing.T) videoservice.Store) {
	ctx := context.Background()
	s := open(t)
	defer s.Close()
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("ping: %v", err)
	}
	empty, err := s.Empty(ctx)
	if err != nil || !empty {
		t.Fatalf("fresh store: empty=%v err=%v, want empty", empty, err)
	}
	if err := s.Replace(ctx, Fixture()); err != nil {
		t.Fatalf("seed: %v", err)
	}
	empty, err = s.Empty(ctx)
	if err != nil || empty {
		t.Fatalf("seeded store: empty=%v err=%v, want not empty", empty, err)
	}
}

func ids[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}

func videoID(v videoservice.Video) string { return v.ID }

func testVideosByIDs(t *testing.T, s videoservice.Store) {
	ctx := context.Background()
	cases := []struct {
		name string
		ids  []string
		want []string
	}{
		{"one", []string{MovieFeature}, []string{MovieFeature}},
		{"unknown skipped", []string{"v-nope", Episode1Video}, []string{Episode1Video}},
		{"duplicates once", []string{MovieTrailer, MovieTrailer}, []string{MovieTrailer}},
		{"none", nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.VideosByIDs(ctx, tc.ids)
			if err != nil {
				t.Fatal(err)
			}
			if g := ids(got, videoID); !sameSet(g, tc.want) {
				t.Fatalf("got %v, want %v", g, tc.want)
			}
		})
	}
	got, err := s.VideosByIDs(ctx, []string{Episode2Video})
	if err != nil || len(got) != 1 {
		t.Fatalf("episode video: %v %v", got, err)
	}
	want := videoservice.Video{ID: Episode2Video, TitleID: Series, EpisodeID: Episode2, Kind: videoservice.KindEpisode, Name: "Show S1E2: After", DurationSeconds: EpisodeSeconds}
	if got[0] != want {
		t.Fatalf("got %+v, want %+v", got[0], want)
	}
}

func testVideosByTitles(t *testing.T, s videoservice.Store) {
	got, err := s.VideosByTitles(context.Background(), []string{Series, Movie, "t9999"})
	if err != nil {
		t.Fatal(err)
	}
	perTitle := map[string][]string{}
	for _, v := range got {
		perTitle[v.TitleID] = append(perTitle[v.TitleID], v.ID)
	}
	want := map[string][]string{
		Movie:  {MovieFeature, MovieTrailer},
		Series: {SeriesTrailer, Episode1Video, Episode2Video},
	}
	if !reflect.DeepEqual(perTitle, want) {
		t.Fatalf("got %v, want %v (features, trailers, episodes in order)", perTitle, want)
	}
}

func testVideosByEpisodes(t *testing.T, s videoservice.Store) {
	got, err := s.VideosByEpisodes(context.Background(), []string{Episode2, Episode1, "t0002-s09e09"})
	if err != nil {
		t.Fatal(err)
	}
	if g := ids(got, videoID); !sameSet(g, []string{Episode1Video, Episode2Video}) {
		t.Fatalf("got %v", g)
	}
}

func testRenditions(t *testing.T, s videoservice.Store) {
	got, err := s.RenditionsByVideos(context.Background(), []string{MovieTrailer, MovieFeature, "v-none"})
	if err != nil {
		t.Fatal(err)
	}
	perVideo := map[string][]string{}
	for _, r := range got {
		perVideo[r.VideoID] = append(perVideo[r.VideoID], r.Resolution())
	}
	want := map[string][]string{
		MovieFeature: {"3840x2160", "1920x1080", "1280x720", "854x480"},
		MovieTrailer: {"1920x1080", "1280x720", "854x480"},
	}
	if !reflect.DeepEqual(perVideo, want) {
		t.Fatalf("got %v, want %v", perVideo, want)
	}
	for _, r := range got {
		if r.VideoID == MovieFeature && r.Height == 2160 && (r.Codec != videoservice.CodecAV1 || r.URL != "/media/v-t0001-feature/2160p.mp4" || r.BitrateKbps != 12000) {
			t.Fatalf("4K rendition %+v", r)
		}
	}
}

func testViewing(t *testing.T, s videoservice.Store) {
	ctx := context.Background()
	cases := []struct {
		name     string
		profiles []string
		filter   videoservice.ViewingFilter
		want     []string // profile/video, in order
	}{
		{"history", []string{Watcher}, videoservice.ViewingFilter{Limit: 20},
			[]string{Watcher + "/" + MovieFeature, Watcher + "/" + Episode1Video, Watcher + "/" + Episode2Video}},
		{"limit per profile", []string{Watcher, OtherWatcher}, videoservice.ViewingFilter{Limit: 1},
			[]string{Watcher + "/" + MovieFeature, OtherWatcher + "/" + MovieFeature}},
		{"in progress skips completed and unstarted", []string{Watcher}, videoservice.ViewingFilter{InProgress: true, Limit: 10},
			[]string{Watcher + "/" + MovieFeature}},
		{"unknown profile", []string{"profile-9"}, videoservice.ViewingFilter{Limit: 10}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.ViewingByProfiles(ctx, tc.profiles, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			perProfile := map[string][]string{}
			for _, v := range got {
				perProfile[v.ProfileID] = append(perProfile[v.ProfileID], v.ProfileID+"/"+v.VideoID)
			}
			var flat []string
			for _, p := range tc.profiles {
				flat = append(flat, perProfile[p]...)
			}
			if !reflect.DeepEqual(flat, tc.want) {
				t.Fatalf("got %v, want %v", flat, tc.want)
			}
		})
	}
	got, err := s.ViewingByProfiles(ctx, []string{OtherWatcher}, videoservice.ViewingFilter{Limit: 5})
	if err != nil || len(got) != 1 {
		t.Fatalf("other watcher: %v %v", got, err)
	}
	want := videoservice.Viewing{ProfileID: OtherWatcher, VideoID: MovieFeature, PositionSeconds: 3000, DurationSeconds: FeatureSeconds, LastWatchedAt: At.Add(-time.Hour)}
	if !got[0].LastWatchedAt.Equal(want.LastWatchedAt) {
		t.Fatalf("lastWatchedAt %v, want %v", got[0].LastWatchedAt, want.LastWatchedAt)
	}
	got[0].LastWatchedAt = want.LastWatchedAt
	if got[0] != want {
		t.Fatalf("got %+v, want %+v", got[0], want)
	}
}

func testViewingOf(t *testing.T, s videoservice.Store) {
	ctx := context.Background()
	v, found, err := s.ViewingOf(ctx, Watcher, Episode1Video)
	if err != nil || !found || v.PositionSeconds != 1790 || v.DurationSeconds != EpisodeSeconds {
		t.Fatalf("got %+v found=%v err=%v", v, found, err)
	}
	_, found, err = s.ViewingOf(ctx, OtherWatcher, Episode1Video)
	if err != nil || found {
		t.Fatalf("never watched: found=%v err=%v", found, err)
	}
}

func session(id, profile, video string) videoservice.Session {
	return videoservice.Session{ID: id, ProfileID: profile, VideoID: video, PositionSeconds: 10, StartedAt: At, UpdatedAt: At}
}

func testSessions(t *testing.T, s videoservice.Store) {
	ctx := context.Background()
	a := session("ps-a", Watcher, MovieFeature)
	b := session("ps-b", OtherWatcher, Episode1Video)
	for _, ps := range []videoservice.Session{a, b} {
		if err := s.CreateSession(ctx, ps); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateSession(ctx, a); err == nil {
		t.Fatal("a duplicate session id was accepted")
	}
	got, err := s.SessionsByIDs(ctx, []string{"ps-b", "ps-none", "ps-a"})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]videoservice.Session{}
	for _, ps := range got {
		byID[ps.ID] = ps
	}
	if len(byID) != 2 || !byID["ps-a"].StartedAt.Equal(At) || byID["ps-b"].VideoID != Episode1Video || byID["ps-b"].ProfileID != OtherWatcher {
		t.Fatalf("got %+v", got)
	}
}

func progress(sessionID, profile, video string, pos int, at time.Time, eventID string) videoservice.Progress {
	payload, _ := json.Marshal(map[string]any{"videoId": video, "positionSeconds": pos})
	return videoservice.Progress{
		SessionID: sessionID, ProfileID: profile, VideoID: video, PositionSeconds: pos, DurationSeconds: FeatureSeconds, At: at,
		Event: videoservice.OutboxEvent{ID: eventID, Topic: events.TopicVideoEvents, Key: video, Type: videoservice.EventProgressReported, Time: at, Payload: payload},
	}
}

func testRecordProgress(t *testing.T, s videoservice.Store) {
	ctx := context.Background()
	if err := s.CreateSession(ctx, session("ps-new", OtherWatcher, Episode2Video)); err != nil {
		t.Fatal(err)
	}
	at := At.Add(time.Minute)
	if err := s.RecordProgress(ctx, progress("ps-new", OtherWatcher, Episode2Video, 600, at, "ev-1")); err != nil {
		t.Fatal(err)
	}
	sessions, err := s.SessionsByIDs(ctx, []string{"ps-new"})
	if err != nil || len(sessions) != 1 || sessions[0].PositionSeconds != 600 || !sessions[0].UpdatedAt.Equal(at) || !sessions[0].StartedAt.Equal(At) {
		t.Fatalf("session after progress: %+v %v", sessions, err)
	}
	v, found, err := s.ViewingOf(ctx, OtherWatcher, Episode2Video)
	if err != nil || !found || v.PositionSeconds != 600 || !v.LastWatchedAt.Equal(at) {
		t.Fatalf("viewing after progress: %+v found=%v err=%v", v, found, err)
	}
	// The new viewing is now the most recent.
	hist, err := s.ViewingByProfiles(ctx, []string{OtherWatcher}, videoservice.ViewingFilter{Limit: 10})
	if err != nil || len(hist) != 2 || hist[0].VideoID != Episode2Video {
		t.Fatalf("history: %+v %v", hist, err)
	}
	// A second report updates in place.
	if err := s.RecordProgress(ctx, progress("ps-new", OtherWatcher, Episode2Video, 700, at.Add(time.Second), "ev-2")); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := s.ViewingOf(ctx, OtherWatcher, Episode2Video); v.PositionSeconds != 700 {
		t.Fatalf("second report: %+v", v)
	}
	pending, err := s.PendingEvents(ctx, 10)
	if err != nil || !reflect.DeepEqual(ids(pending, eventID), []string{"ev-1", "ev-2"}) {
		t.Fatalf("outbox: %v %v", ids(pending, eventID), err)
	}
}

func eventID(e videoservice.OutboxEvent) string { return e.ID }

func testRecordProgressUnknown(t *testing.T, s videoservice.Store) {
	ctx := context.Background()
	if err := s.CreateSession(ctx, session("ps-mine", Watcher, MovieFeature)); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		p    videoservice.Progress
	}{
		{"no such session", progress("ps-none", Watcher, MovieFeature, 5, At, "ev-x")},
		{"another profile's session", progress("ps-mine", OtherWatcher, MovieFeature, 5, At, "ev-y")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := s.RecordProgress(ctx, tc.p)
			if !errors.Is(err, videoservice.ErrSessionNotFound) {
				t.Fatalf("err %v, want ErrSessionNotFound", err)
			}
			assertUnchanged(t, s)
		})
	}
}

// assertUnchanged checks the fixture's viewing and an empty outbox.
func assertUnchanged(t *testing.T, s videoservice.Store) {
	t.Helper()
	ctx := context.Background()
	pending, err := s.PendingEvents(ctx, 10)
	if err != nil || len(pending) != 0 {
		t.Fatalf("outbox holds %d events (err %v), want none", len(pending), err)
	}
	v, _, err := s.ViewingOf(ctx, Watcher, MovieFeature)
	if err != nil || v.PositionSeconds != 1000 {
		t.Fatalf("viewing changed: %+v %v", v, err)
	}
	if _, found, _ := s.ViewingOf(ctx, OtherWatcher, Episode2Video); found {
		t.Fatal("viewing row written by a failed write")
	}
}

func testRecordProgressAtomic(t *testing.T, s videoservice.Store) {
	ctx := context.Background()
	if err := s.CreateSession(ctx, session("ps-1", Watcher, MovieFeature)); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordProgress(ctx, progress("ps-1", Watcher, MovieFeature, 1500, At, "ev-dup")); err != nil {
		t.Fatal(err)
	}
	// Reusing an event id fails in the outbox insert, the last statement:
	// the session and viewing updates before it must roll back.
	err := s.RecordProgress(ctx, progress("ps-1", Watcher, MovieFeature, 2500, At.Add(time.Minute), "ev-dup"))
	if err == nil {
		t.Fatal("duplicate event id accepted")
	}
	v, _, _ := s.ViewingOf(ctx, Watcher, MovieFeature)
	sessions, _ := s.SessionsByIDs(ctx, []string{"ps-1"})
	if v.PositionSeconds != 1500 || len(sessions) != 1 || sessions[0].PositionSeconds != 1500 {
		t.Fatalf("partial write: viewing %+v, session %+v", v, sessions)
	}
	if pending, _ := s.PendingEvents(ctx, 10); len(pending) != 1 {
		t.Fatalf("outbox holds %d events, want 1", len(pending))
	}
}

func testOutbox(t *testing.T, s videoservice.Store) {
	ctx := context.Background()
	if err := s.CreateSession(ctx, session("ps-o", Watcher, MovieFeature)); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if err := s.RecordProgress(ctx, progress("ps-o", Watcher, MovieFeature, 100*i, At.Add(time.Duration(i)*time.Second), fmt.Sprintf("ev-%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	first, err := s.PendingEvents(ctx, 3)
	if err != nil || !reflect.DeepEqual(ids(first, eventID), []string{"ev-0", "ev-1", "ev-2"}) {
		t.Fatalf("oldest first: %v %v", ids(first, eventID), err)
	}
	ev := first[1]
	if ev.Topic != events.TopicVideoEvents || ev.Key != MovieFeature || ev.Type != videoservice.EventProgressReported || !ev.Time.Equal(At.Add(time.Second)) || !json.Valid(ev.Payload) {
		t.Fatalf("event %+v", ev)
	}
	if err := s.DeleteEvents(ctx, []string{"ev-0", "ev-2", "ev-unknown"}); err != nil {
		t.Fatal(err)
	}
	rest, err := s.PendingEvents(ctx, 10)
	if err != nil || !reflect.DeepEqual(ids(rest, eventID), []string{"ev-1", "ev-3", "ev-4"}) {
		t.Fatalf("after delete: %v %v", ids(rest, eventID), err)
	}
}

func testConcurrentProgress(t *testing.T, s videoservice.Store) {
	ctx := context.Background()
	const writers = 8
	for i := range writers {
		if err := s.CreateSession(ctx, session(fmt.Sprintf("ps-c%d", i), Watcher, MovieFeature)); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errc := make(chan error, writers)
	for i := range writers {
		wg.Go(func() {
			errc <- s.RecordProgress(ctx, progress(fmt.Sprintf("ps-c%d", i), Watcher, MovieFeature, 10+i, At.Add(time.Duration(i)*time.Second), fmt.Sprintf("ev-c%d", i)))
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Fatal(err)
		}
	}
	if pending, _ := s.PendingEvents(ctx, 100); len(pending) != writers {
		t.Fatalf("outbox holds %d events, want %d", len(pending), writers)
	}
}

func testReseed(t *testing.T, s videoservice.Store) {
	ctx := context.Background()
	if err := s.CreateSession(ctx, session("ps-r", OtherWatcher, Episode2Video)); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordProgress(ctx, progress("ps-r", OtherWatcher, Episode2Video, 60, At, "ev-r")); err != nil {
		t.Fatal(err)
	}
	if err := s.Replace(ctx, Fixture()); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := s.ViewingOf(ctx, OtherWatcher, Episode2Video); found {
		t.Fatal("reseed kept viewing that is not in the seed")
	}
	if got, _ := s.SessionsByIDs(ctx, []string{"ps-r"}); len(got) != 0 {
		t.Fatal("reseed kept sessions")
	}
	if got, _ := s.VideosByTitles(ctx, []string{Movie, Series}); len(got) != 5 {
		t.Fatalf("reseed holds %d videos, want 5", len(got))
	}
	// Undelivered events survive a reseed.
	if pending, _ := s.PendingEvents(ctx, 10); len(pending) != 1 {
		t.Fatalf("outbox holds %d events after reseed, want 1", len(pending))
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	count := map[string]int{}
	for _, x := range a {
		count[x]++
	}
	for _, x := range b {
		count[x]--
	}
	for _, n := range count {
		if n != 0 {
			return false
		}
	}
	return true
}

// testDuplicateIDs asks for one key more times than one SQL IN list holds
// (500), so copies fall into different chunks: each row must still come
// once.
func testDuplicateIDs(t *testing.T, s videoservice.Store) {
	ctx := context.Background()
	copies := func(id string) []string {
		out := make([]string, 501)
		for i := range out {
			out[i] = id
		}
		return out
	}
	videos, err := s.VideosByTitles(ctx, append(copies(Movie), Movie))
	if err != nil || len(videos) != 2 {
		t.Fatalf("VideosByTitles = %d videos, %v; want the film's 2", len(videos), err)
	}
	renditions, err := s.RenditionsByVideos(ctx, copies(MovieFeature))
	if err != nil || len(renditions) != 4 {
		t.Fatalf("RenditionsByVideos = %d renditions, %v; want the feature's 4", len(renditions), err)
	}
	viewing, err := s.ViewingByProfiles(ctx, copies(Watcher), videoservice.ViewingFilter{Limit: 10})
	if err != nil || len(viewing) != 3 {
		t.Fatalf("ViewingByProfiles = %d entries, %v; want profile-1's 3", len(viewing), err)
	}
}
