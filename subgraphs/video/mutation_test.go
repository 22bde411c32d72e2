package video

import (
	"context"
	"reflect"
	"testing"

	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"

	"github.com/99designs/gqlgen/client"

	"github.com/cinegraph/cinegraph/subgraphs/video/store/videostoretest"
)

const startQ = `mutation($v: ID!) { startPlayback(videoId: $v) { id positionSeconds manifestUrl startedAt updatedAt video { id durationSeconds } } }`

const reportQ = `mutation($s: ID!, $p: Int!) { reportProgress(sessionId: $s, positionSeconds: $p) { id positionSeconds video { id } } }`

type sessionOut struct {
	ID              string
	PositionSeconds int
	ManifestURL     string `json:"manifestUrl"`
	StartedAt       string
	UpdatedAt       string
	Video           struct {
		ID              string
		DurationSeconds int
	}
}

func TestStartPlayback(t *testing.T) {
	t.Parallel()
	sg, _ := testSubgraph(t, nil)
	c := viewertest.Client(sg.Handler(), viewertest.As("profile-1"))
	cases := []struct {
		name    string
		profile string
		video   string
		resume  int
		code    string
	}{
		{"resumes default viewer", "", videostoretest.MovieFeature, 1000, ""},
		{"resumes named viewer", videostoretest.OtherWatcher, videostoretest.MovieFeature, 3000, ""},
		{"completed starts over", videostoretest.Watcher, videostoretest.Episode1Video, 0, ""},
		{"never watched", "profile-3", videostoretest.Episode1Video, 0, ""},
		{"unknown video", "", "v-t0404-feature", 0, "NOT_FOUND"},
		{"malformed video id", "", "feature", 0, "BAD_USER_INPUT"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out struct{ StartPlayback *sessionOut }
			errs := post(t, c, tc.profile, startQ, &out, client.Var("v", tc.video))
			if tc.code != "" {
				if !reflect.DeepEqual(codes(errs), []string{tc.code}) || out.StartPlayback != nil {
					t.Fatalf("errors %+v data %+v, want %s", errs, out.StartPlayback, tc.code)
				}
				return
			}
			if len(errs) > 0 {
				t.Fatalf("errors %+v", errs)
			}
			s := out.StartPlayback
			if s.PositionSeconds != tc.resume || s.Video.ID != tc.video || s.ManifestURL != "/media/"+tc.video+"/master.m3u8" || s.StartedAt == "" || s.StartedAt != s.UpdatedAt {
				t.Fatalf("session %+v", s)
			}
		})
	}
}

func TestReportProgress(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		reporter string
		session  string // empty: the started session
		position int
		code     string
	}{
		{"updates", videostoretest.OtherWatcher, "", 1200, ""},
		{"another viewer", videostoretest.Watcher, "", 1200, "FORBIDDEN"},
		{"unknown session", videostoretest.OtherWatcher, "ps-00000000-0000-4000-8000-000000000000", 10, "NOT_FOUND"},
		{"malformed session", videostoretest.OtherWatcher, "nope", 10, "BAD_USER_INPUT"},
		{"negative position", videostoretest.OtherWatcher, "", -1, "BAD_USER_INPUT"},
		{"past the end", videostoretest.OtherWatcher, "", videostoretest.EpisodeSeconds + 1, "BAD_USER_INPUT"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sg, _ := testSubgraph(t, nil)
			c := viewertest.Client(sg.Handler(), viewertest.As("profile-1"))
			var started struct{ StartPlayback sessionOut }
			mustPost(t, c, videostoretest.OtherWatcher, startQ, &started, client.Var("v", videostoretest.Episode1Video))
			session := tc.session
			if session == "" {
				session = started.StartPlayback.ID
			}
			var out struct{ ReportProgress *sessionOut }
			errs := post(t, c, tc.reporter, reportQ, &out, client.Var("s", session), client.Var("p", tc.position))

			ctx := context.Background()
			pending, err := sg.store.PendingEvents(ctx, 10)
			if err != nil {
				t.Fatal(err)
			}
			_, watched, err := sg.store.ViewingOf(ctx, videostoretest.OtherWatcher, videostoretest.Episode1Video)
			if err != nil {
				t.Fatal(err)
			}
			if tc.code != "" {
				if !reflect.DeepEqual(codes(errs), []string{tc.code}) {
					t.Fatalf("errors %+v, want %s", errs, tc.code)
				}
				// Rejected: no viewing, no event, session untouched.
				sessions, _ := sg.store.SessionsByIDs(ctx, []string{started.StartPlayback.ID})
				if watched || len(pending) != 0 || sessions[0].PositionSeconds != 0 {
					t.Fatalf("rejected report wrote: viewing=%v events=%d session=%+v", watched, len(pending), sessions[0])
				}
				return
			}
			if len(errs) > 0 {
				t.Fatalf("errors %+v", errs)
			}
			if out.ReportProgress.PositionSeconds != tc.position || out.ReportProgress.ID != session {
				t.Fatalf("session %+v", out.ReportProgress)
			}
			if !watched || len(pending) != 1 {
				t.Fatalf("viewing=%v events=%d, want both written", watched, len(pending))
			}
			// The history and continue-watching lists see it at once.
			var prof struct {
				Entities []struct {
					ContinueWatching []struct {
						Video           struct{ ID string }
						PositionSeconds int
					}
				} `json:"_entities"`
			}
			mustPost(t, c, videostoretest.OtherWatcher, `{ _entities(representations: [{__typename: "Profile", id: "profile-2"}]) { ... on Profile { continueWatching { video { id } positionSeconds } } } }`, &prof)
			cw := prof.Entities[0].ContinueWatching
			if len(cw) != 2 || cw[0].Video.ID != videostoretest.Episode1Video || cw[0].PositionSeconds != tc.position {
				t.Fatalf("continue watching %+v", cw)
			}
		})
	}
}

// TestWatchToTheEnd follows a viewer through a video: a report near the end
// completes it, which drops it from continue watching and makes the next
// playback start over.
func TestWatchToTheEnd(t *testing.T) {
	t.Parallel()
	sg, _ := testSubgraph(t, nil)
	c := viewertest.Client(sg.Handler(), viewertest.As("profile-1"))
	var started struct{ StartPlayback sessionOut }
	mustPost(t, c, "", startQ, &started, client.Var("v", videostoretest.MovieFeature))
	if started.StartPlayback.PositionSeconds != 1000 {
		t.Fatalf("resume at %d", started.StartPlayback.PositionSeconds)
	}
	mustPost(t, c, "", reportQ, nil, client.Var("s", started.StartPlayback.ID), client.Var("p", videostoretest.FeatureSeconds*95/100))

	var prof struct {
		Entities []struct {
			ViewingHistory []struct {
				Video     struct{ ID string }
				Completed bool
				Progress  float64
			}
			ContinueWatching []struct{ Video struct{ ID string } }
		} `json:"_entities"`
	}
	mustPost(t, c, "", `{ _entities(representations: [{__typename: "Profile", id: "profile-1"}]) { ... on Profile {
		viewingHistory { video { id } completed progress } continueWatching { video { id } } } } }`, &prof)
	p := prof.Entities[0]
	if len(p.ViewingHistory) != 3 || p.ViewingHistory[0].Video.ID != videostoretest.MovieFeature || !p.ViewingHistory[0].Completed || p.ViewingHistory[0].Progress != 0.95 {
		t.Fatalf("history %+v", p.ViewingHistory)
	}
	if len(p.ContinueWatching) != 0 {
		t.Fatalf("continue watching %+v, want empty", p.ContinueWatching)
	}
	var again struct{ StartPlayback sessionOut }
	mustPost(t, c, "", startQ, &again, client.Var("v", videostoretest.MovieFeature))
	if again.StartPlayback.PositionSeconds != 0 || again.StartPlayback.ID == started.StartPlayback.ID {
		t.Fatalf("second session %+v", again.StartPlayback)
	}
}
