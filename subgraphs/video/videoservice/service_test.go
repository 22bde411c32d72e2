package videoservice_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/subgraphs/video/store/videosqlite"
	"github.com/cinegraph/cinegraph/subgraphs/video/store/videostoretest"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

var now = videostoretest.At.Add(24 * time.Hour)

type harness struct {
	svc      *videoservice.Service
	store    videoservice.Store
	notified atomic.Int32
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	ctx := context.Background()
	store, err := videosqlite.OpenDir(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	if err := store.Replace(ctx, videostoretest.Fixture()); err != nil {
		t.Fatal(err)
	}
	h := &harness{store: store}
	var n atomic.Int64
	h.svc = videoservice.New(store,
		videoservice.WithClock(func() time.Time { return now }),
		videoservice.WithIDs(func() string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n.Add(1)) }),
		videoservice.WithNotify(func() { h.notified.Add(1) }),
	)
	return h
}

func wantCode(t *testing.T, err error, code errs.Code) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %s", code)
	}
	if got := errs.CodeOf(err); got != code {
		t.Fatalf("code %s (%v), want %s", got, err, code)
	}
}

func TestStartPlayback(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		profile    string
		video      string
		code       errs.Code // empty for success
		wantResume int
	}{
		{"resumes in-progress video", videostoretest.Watcher, videostoretest.MovieFeature, "", 1000},
		{"completed video restarts", videostoretest.Watcher, videostoretest.Episode1Video, "", 0},
		{"never watched starts at zero", videostoretest.OtherWatcher, videostoretest.Episode2Video, "", 0},
		{"other profile's own position", videostoretest.OtherWatcher, videostoretest.MovieFeature, "", 3000},
		{"unknown video", videostoretest.Watcher, "v-t9999-feature", errs.NotFound, 0},
		{"malformed video id", videostoretest.Watcher, "t0001", errs.BadUserInput, 0},
		{"empty video id", videostoretest.Watcher, "", errs.BadUserInput, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			s, err := h.svc.StartPlayback(context.Background(), tc.profile, tc.video)
			if tc.code != "" {
				wantCode(t, err, tc.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.PositionSeconds != tc.wantResume || s.ProfileID != tc.profile || s.VideoID != tc.video || !s.StartedAt.Equal(now) {
				t.Fatalf("session %+v", s)
			}
			if s.ManifestURL() != "/media/"+tc.video+"/master.m3u8" {
				t.Fatalf("manifest %s", s.ManifestURL())
			}
			if err := videoservice.CheckSessionID("id", s.ID); err != nil {
				t.Fatalf("session id %q: %v", s.ID, err)
			}
			stored, err := h.store.SessionsByIDs(context.Background(), []string{s.ID})
			if err != nil || len(stored) != 1 || stored[0].PositionSeconds != tc.wantResume {
				t.Fatalf("stored %+v %v", stored, err)
			}
		})
	}
}

func TestReportProgress(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cases := []struct {
		name     string
		reporter string
		session  func(real string) string
		position int
		code     errs.Code
	}{
		{"records progress", videostoretest.OtherWatcher, same, 900, ""},
		{"position zero", videostoretest.OtherWatcher, same, 0, ""},
		{"position at the end", videostoretest.OtherWatcher, same, videostoretest.EpisodeSeconds, ""},
		{"negative position", videostoretest.OtherWatcher, same, -1, errs.BadUserInput},
		{"past the end", videostoretest.OtherWatcher, same, videostoretest.EpisodeSeconds + 1, errs.BadUserInput},
		{"another viewer's session", videostoretest.Watcher, same, 10, errs.Forbidden},
		{"unknown session", videostoretest.OtherWatcher, func(string) string { return "ps-00000000-0000-4000-8000-999999999999" }, 10, errs.NotFound},
		{"malformed session id", videostoretest.OtherWatcher, func(string) string { return "session-1" }, 10, errs.BadUserInput},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			started, err := h.svc.StartPlayback(ctx, videostoretest.OtherWatcher, videostoretest.Episode2Video)
			if err != nil {
				t.Fatal(err)
			}
			s, err := h.svc.ReportProgress(ctx, tc.reporter, tc.session(started.ID), tc.position)
			pending, perr := h.store.PendingEvents(ctx, 10)
			if perr != nil {
				t.Fatal(perr)
			}
			if tc.code != "" {
				wantCode(t, err, tc.code)
				// A rejected report writes nothing.
				if len(pending) != 0 || h.notified.Load() != 0 {
					t.Fatalf("rejected report left %d events, %d notifications", len(pending), h.notified.Load())
				}
				if _, found, _ := h.store.ViewingOf(ctx, videostoretest.OtherWatcher, videostoretest.Episode2Video); found {
					t.Fatal("rejected report wrote viewing")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.PositionSeconds != tc.position || !s.UpdatedAt.Equal(now) {
				t.Fatalf("session %+v", s)
			}
			v, found, err := h.store.ViewingOf(ctx, videostoretest.OtherWatcher, videostoretest.Episode2Video)
			if err != nil || !found || v.PositionSeconds != tc.position {
				t.Fatalf("viewing %+v found=%v err=%v", v, found, err)
			}
			if len(pending) != 1 || h.notified.Load() != 1 {
				t.Fatalf("%d events, %d notifications, want 1 and 1", len(pending), h.notified.Load())
			}
			ev := pending[0]
			if ev.Topic != events.TopicVideoEvents || ev.Key != videostoretest.Episode2Video || ev.Type != videoservice.EventProgressReported {
				t.Fatalf("event %+v", ev)
			}
			var payload videoservice.ProgressPayload
			if err := json.Unmarshal(ev.Payload, &payload); err != nil {
				t.Fatal(err)
			}
			want := videoservice.ProgressPayload{
				ProfileID: videostoretest.OtherWatcher, VideoID: videostoretest.Episode2Video, TitleID: videostoretest.Series,
				PositionSeconds: tc.position, DurationSeconds: videostoretest.EpisodeSeconds,
				Completed: tc.position == videostoretest.EpisodeSeconds,
			}
			if payload != want {
				t.Fatalf("payload %+v, want %+v", payload, want)
			}
		})
	}
}

func same(id string) string { return id }

func TestFilters(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cases := []struct {
		name  string
		call  func(int) (videoservice.ViewingFilter, error)
		first int
		want  videoservice.ViewingFilter
		code  errs.Code
	}{
		{"history", h.svc.HistoryFilter, 20, videoservice.ViewingFilter{Limit: 20}, ""},
		{"history max", h.svc.HistoryFilter, 100, videoservice.ViewingFilter{Limit: 100}, ""},
		{"history zero", h.svc.HistoryFilter, 0, videoservice.ViewingFilter{}, errs.BadUserInput},
		{"continue watching", h.svc.ContinueWatchingFilter, 1, videoservice.ViewingFilter{InProgress: true, Limit: 1}, ""},
		{"continue watching too many", h.svc.ContinueWatchingFilter, 101, videoservice.ViewingFilter{}, errs.BadUserInput},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.call(tc.first)
			if tc.code != "" {
				wantCode(t, err, tc.code)
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %+v %v, want %+v", got, err, tc.want)
			}
		})
	}
}
