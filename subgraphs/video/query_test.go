package video

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/internal/viewer"
	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"

	"github.com/99designs/gqlgen/client"

	"github.com/cinegraph/cinegraph/subgraphs/video/store/videostoretest"
)

func TestVideoQuery(t *testing.T) {
	t.Parallel()
	sg, _ := testSubgraph(t, nil)
	c := viewertest.Client(sg.Handler(), viewertest.As("profile-1"))
	const q = `query($id: ID!) { video(id: $id) {
		id name kind durationSeconds title { id } episode { id }
		renditions { id resolution width height bitrateKbps codec url }
	} }`
	type rendition struct {
		ID, Resolution, Codec, URL string
		Width, Height, BitrateKbps int
	}
	type video struct {
		ID, Name, Kind  string
		DurationSeconds int
		Title           struct{ ID string }
		Episode         *struct{ ID string }
		Renditions      []rendition
	}
	cases := []struct {
		name  string
		id    string
		check func(t *testing.T, v *video)
		code  string
	}{
		{"feature", videostoretest.MovieFeature, func(t *testing.T, v *video) {
			if v.Kind != "FEATURE" || v.Title.ID != videostoretest.Movie || v.Episode != nil || v.DurationSeconds != videostoretest.FeatureSeconds || v.Name != "Film" {
				t.Fatalf("video %+v", v)
			}
			want := rendition{ID: videostoretest.MovieFeature + "-2160p", Resolution: "3840x2160", Codec: "AV1", URL: "/media/v-t0001-feature/2160p.mp4", Width: 3840, Height: 2160, BitrateKbps: 12000}
			if len(v.Renditions) != 4 || v.Renditions[0] != want || v.Renditions[3].Resolution != "854x480" {
				t.Fatalf("renditions %+v", v.Renditions)
			}
		}, ""},
		{"episode", videostoretest.Episode1Video, func(t *testing.T, v *video) {
			if v.Kind != "EPISODE" || v.Episode == nil || v.Episode.ID != videostoretest.Episode1 || v.Title.ID != videostoretest.Series {
				t.Fatalf("video %+v", v)
			}
		}, ""},
		{"unknown is null", "v-t9999-feature", func(t *testing.T, v *video) {
			if v != nil {
				t.Fatalf("video %+v, want null", v)
			}
		}, ""},
		{"malformed id", "t0001", nil, "BAD_USER_INPUT"},
		{"oversized id", "v-" + strings.Repeat("x", 200), nil, "BAD_USER_INPUT"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out struct{ Video *video }
			errs := post(t, c, "", q, &out, client.Var("id", tc.id))
			if tc.code != "" {
				if !reflect.DeepEqual(codes(errs), []string{tc.code}) {
					t.Fatalf("errors %+v, want %s", errs, tc.code)
				}
				return
			}
			if len(errs) > 0 {
				t.Fatalf("errors %+v", errs)
			}
			tc.check(t, out.Video)
		})
	}
}

func TestServiceSDL(t *testing.T) {
	t.Parallel()
	sg, _ := testSubgraph(t, nil)
	var out struct {
		Service struct{ SDL string } `json:"_service"`
	}
	mustPost(t, viewertest.Client(sg.Handler(), viewertest.As("profile-1")), "", `{ _service { sdl } }`, &out)
	for _, want := range []string{
		`type Video @key(fields: "id")`,
		`type Title @key(fields: "id")`,
		`type Episode @key(fields: "id")`,
		`type Profile @key(fields: "id")`,
		`startPlayback(videoId: ID!): PlaybackSession!`,
		`viewingHistory(first: Int = 20): [ViewingActivity!]`,
		`videos(kind: VideoKind): [Video!]`,
		`@link(url: "https://specs.apollo.dev/federation/v2.9"`,
	} {
		if !strings.Contains(out.Service.SDL, want) {
			t.Errorf("sdl lacks %q", want)
		}
	}
}

func TestEntities(t *testing.T) {
	t.Parallel()
	sg, _ := testSubgraph(t, nil)
	c := viewertest.Client(sg.Handler(), viewertest.As("profile-1"))
	const q = `query($reps: [_Any!]!) { _entities(representations: $reps) {
		__typename
		... on Video { id kind title { id } }
		... on Title { id videos { id } trailers: videos(kind: TRAILER) { id } }
		... on Episode { id video { id } }
		... on Profile { id viewingHistory { video { id } positionSeconds completed } continueWatching { video { id } } }
	} }`
	cases := []struct {
		name  string
		reps  []map[string]any
		want  string // JSON of _entities
		codes []string
	}{
		{"video", []map[string]any{{"__typename": "Video", "id": videostoretest.MovieTrailer}},
			`[{"__typename":"Video","id":"v-t0001-trailer","kind":"TRAILER","title":{"id":"t0001"}}]`, nil},
		{"unknown video is null with NOT_FOUND", []map[string]any{{"__typename": "Video", "id": "v-nope"}, {"__typename": "Video", "id": videostoretest.MovieFeature}},
			`[null,{"__typename":"Video","id":"v-t0001-feature","kind":"FEATURE","title":{"id":"t0001"}}]`, []string{"NOT_FOUND"}},
		{"title", []map[string]any{{"__typename": "Title", "id": videostoretest.Series}, {"__typename": "Title", "id": "t0404"}},
			`[{"__typename":"Title","id":"t0002","videos":[{"id":"v-t0002-trailer"},{"id":"v-t0002-s01e01"},{"id":"v-t0002-s01e02"}],"trailers":[{"id":"v-t0002-trailer"}]},` +
				`{"__typename":"Title","id":"t0404","videos":[],"trailers":[]}]`, nil},
		// The lists are nullable (null is an outage); no items must stay [].
		{"profile without viewing", []map[string]any{{"__typename": "Profile", "id": "profile-404"}},
			`[{"__typename":"Profile","id":"profile-404","viewingHistory":[],"continueWatching":[]}]`, nil},
		{"episode", []map[string]any{{"__typename": "Episode", "id": videostoretest.Episode2}, {"__typename": "Episode", "id": "t0002-s05e01"}},
			`[{"__typename":"Episode","id":"t0002-s01e02","video":{"id":"v-t0002-s01e02"}},{"__typename":"Episode","id":"t0002-s05e01","video":null}]`, nil},
		{"profile", []map[string]any{{"__typename": "Profile", "id": videostoretest.Watcher}},
			`[{"__typename":"Profile","id":"profile-1","viewingHistory":[` +
				`{"video":{"id":"v-t0001-feature"},"positionSeconds":1000,"completed":false},` +
				`{"video":{"id":"v-t0002-s01e01"},"positionSeconds":1790,"completed":true},` +
				`{"video":{"id":"v-t0002-s01e02"},"positionSeconds":0,"completed":false}],` +
				`"continueWatching":[{"video":{"id":"v-t0001-feature"}}]}]`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out struct {
				Entities json.RawMessage `json:"_entities"`
			}
			// A profile's lists are read as that profile.
			as := ""
			if tc.reps[0]["__typename"] == "Profile" {
				as = tc.reps[0]["id"].(string)
			}
			errs := post(t, c, as, q, &out, client.Var("reps", tc.reps))
			if !reflect.DeepEqual(codes(errs), append([]string{}, tc.codes...)) {
				t.Fatalf("errors %+v, want codes %v", errs, tc.codes)
			}
			assertJSON(t, out.Entities, tc.want)
		})
	}
}

func assertJSON(t *testing.T, got json.RawMessage, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("got %s: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want %s: %v", want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestViewingFields(t *testing.T) {
	t.Parallel()
	sg, _ := testSubgraph(t, nil)
	c := viewertest.Client(sg.Handler(), viewertest.As("profile-1"))
	const q = `query($first: Int) { _entities(representations: [{__typename: "Profile", id: "profile-1"}]) {
		... on Profile { viewingHistory(first: $first) { video { id } progress lastWatchedAt } }
	} }`
	cases := []struct {
		name  string
		first any
		want  int
		code  string
	}{
		{"first 1", 1, 1, ""},
		{"default", nil, 3, ""},
		{"first 100", 100, 3, ""},
		{"first 0", 0, 0, "BAD_USER_INPUT"},
		{"first 101", 101, 0, "BAD_USER_INPUT"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out struct {
				Entities []struct {
					ViewingHistory []struct {
						Video         struct{ ID string }
						Progress      float64
						LastWatchedAt string
					}
				} `json:"_entities"`
			}
			errs := post(t, c, "", q, &out, client.Var("first", tc.first))
			if tc.code != "" {
				if !reflect.DeepEqual(codes(errs), []string{tc.code}) || errs[0].Extensions["field"] != "first" {
					t.Fatalf("errors %+v, want %s on first", errs, tc.code)
				}
				return
			}
			if len(errs) > 0 {
				t.Fatalf("errors %+v", errs)
			}
			hist := out.Entities[0].ViewingHistory
			if len(hist) != tc.want {
				t.Fatalf("%d entries, want %d", len(hist), tc.want)
			}
			if hist[0].Video.ID != videostoretest.MovieFeature || hist[0].Progress != 1000.0/videostoretest.FeatureSeconds || hist[0].LastWatchedAt != "2026-10-01T19:00:00Z" {
				t.Fatalf("first entry %+v", hist[0])
			}
		})
	}
}

// TestViewingBelongsToItsProfile: a profile's history and continue-watching
// row are read by that profile (or an operator) only, over HTTP and over a
// websocket opened on its behalf.
func TestViewingBelongsToItsProfile(t *testing.T) {
	t.Parallel()
	sg, _ := testSubgraph(t, nil)
	c := viewertest.Client(sg.Handler())
	q := `{ _entities(representations: [{__typename: "Profile", id: "profile-1"}]) { ... on Profile { viewingHistory { positionSeconds } continueWatching { positionSeconds } } } }`
	cases := []struct {
		name      string
		as        []client.Option
		wantCodes []string
	}{
		{"owner", []client.Option{viewertest.As(videostoretest.Watcher)}, nil},
		{"operator", []client.Option{viewertest.As(videostoretest.OtherWatcher, viewer.AdminScope)}, nil},
		{"another profile", []client.Option{viewertest.As(videostoretest.OtherWatcher)}, []string{"FORBIDDEN", "FORBIDDEN"}},
		{"anonymous", nil, []string{"UNAUTHENTICATED", "UNAUTHENTICATED"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out struct {
				Entities []struct {
					ViewingHistory   []struct{ PositionSeconds int }
					ContinueWatching []struct{ PositionSeconds int }
				} `json:"_entities"`
			}
			errs := post(t, c, "", q, &out, tc.as...)
			got := codes(errs)
			slices.Sort(got)
			if !slices.Equal(got, tc.wantCodes) {
				t.Fatalf("codes %v, want %v (%+v)", got, tc.wantCodes, errs)
			}
			readable := len(out.Entities) == 1 && len(out.Entities[0].ViewingHistory) > 0
			if readable != (tc.wantCodes == nil) {
				t.Fatalf("history readable = %v: %+v", readable, out.Entities)
			}
		})
	}

	t.Run("over a websocket opened by another profile", func(t *testing.T) {
		t.Parallel()
		ws := c.WebsocketWithPayload(q, viewertest.InitPayload(videostoretest.OtherWatcher))
		defer ws.Close()
		var out json.RawMessage
		err := ws.Next(&out)
		if err == nil || !strings.Contains(err.Error(), "FORBIDDEN") {
			t.Fatalf("websocket read as another profile: %v, data %s", err, out)
		}
	})
}
