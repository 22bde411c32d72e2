package insights_test

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/internal/viewer"
	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"

	"github.com/99designs/gqlgen/client"

	"github.com/cinegraph/cinegraph/subgraphs/insights"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights/sentiment"
)

func TestServiceSDL(t *testing.T) {
	t.Parallel()
	sg := open(t, insights.Options{DataDir: t.TempDir()})
	var resp struct {
		Service struct{ SDL string } `json:"_service"`
	}
	if errs := post(t, viewertest.Client(sg.Handler(), viewertest.As("profile-1")), `{ _service { sdl } }`, &resp); len(errs) > 0 {
		t.Fatalf("errors: %+v", errs)
	}
	for _, want := range []string{
		`type Message @key(fields: "id")`,
		`sentiment: Sentiment @requires(fields: "body")`,
		`type Video @key(fields: "id")`,
		`@requires(fields: "durationSeconds")`,
		`type Title @key(fields: "id")`,
		`type Profile @key(fields: "id")`,
	} {
		if !strings.Contains(resp.Service.SDL, want) {
			t.Errorf("sdl lacks %q", want)
		}
	}
}

const entitiesQuery = `query($reps: [_Any!]!, $minConfidence: Float, $first: Int) {
	_entities(representations: $reps) {
		__typename
		... on Message { id sentiment { label score model } }
		... on Title { id audienceSentiment { messageCount positive neutral negative averageScore label } }
		... on Video { id detections(minConfidence: $minConfidence) { label confidence atSeconds box { x y width height } source } }
		... on Profile { id recommendations(first: $first) { title { id audienceSentiment { messageCount label } } score reason becauseYouWatched { id } } }
	}
}`

type entity struct {
	Typename  string `json:"__typename"`
	ID        string `json:"id"`
	Sentiment *struct {
		Label string  `json:"label"`
		Score float64 `json:"score"`
		Model string  `json:"model"`
	} `json:"sentiment"`
	AudienceSentiment *struct {
		MessageCount int     `json:"messageCount"`
		Positive     int     `json:"positive"`
		Neutral      int     `json:"neutral"`
		Negative     int     `json:"negative"`
		AverageScore float64 `json:"averageScore"`
		Label        string  `json:"label"`
	} `json:"audienceSentiment"`
	Detections []struct {
		Label      string  `json:"label"`
		Confidence float64 `json:"confidence"`
		AtSeconds  float64 `json:"atSeconds"`
		Box        struct{ X, Y, Width, Height float64 }
		Source     string `json:"source"`
	} `json:"detections"`
	Recommendations []struct {
		Title struct {
			ID                string `json:"id"`
			AudienceSentiment struct {
				MessageCount int    `json:"messageCount"`
				Label        string `json:"label"`
			} `json:"audienceSentiment"`
		} `json:"title"`
		Score             float64 `json:"score"`
		Reason            string  `json:"reason"`
		BecauseYouWatched []struct {
			ID string `json:"id"`
		} `json:"becauseYouWatched"`
	} `json:"recommendations"`
}

type entitiesResponse struct {
	Entities []*entity `json:"_entities"`
}

func TestEntities(t *testing.T) {
	t.Parallel()
	sg := open(t, insights.Options{DataDir: t.TempDir(), Detection: fakeDetection(t)})
	c := viewertest.Client(sg.Handler(), viewertest.As("profile-1"))
	f := fixture()
	talked := f.Titles[0].ID
	silent := f.Titles[len(f.Titles)-1].ID
	video, dets := seededVideo(t)

	t.Run("Message sentiment from the body in the representation", func(t *testing.T) {
		t.Parallel()
		var resp entitiesResponse
		reps := []map[string]any{
			{"__typename": "Message", "id": "m-1", "body": "This is amazing, I love it!"},
			{"__typename": "Message", "id": "m-2", "body": "Terrible dialogue, I hate it"},
			{"__typename": "Message", "id": "m-3", "body": "Starting episode two now"},
		}
		if errs := post(t, c, entitiesQuery, &resp, client.Var("reps", reps)); len(errs) > 0 {
			t.Fatalf("errors: %+v", errs)
		}
		for i, want := range []string{"POSITIVE", "NEGATIVE", "NEUTRAL"} {
			got := resp.Entities[i]
			if got.ID != reps[i]["id"] || got.Sentiment.Label != want || got.Sentiment.Model != sentiment.ChatName {
				t.Errorf("entity %d = %+v %+v, want %s from %s", i, got, got.Sentiment, want, sentiment.ChatName)
			}
		}
		if resp.Entities[0].Sentiment.Score <= 0 || resp.Entities[1].Sentiment.Score >= 0 {
			t.Errorf("scores have the wrong sign: %v, %v", resp.Entities[0].Sentiment.Score, resp.Entities[1].Sentiment.Score)
		}
	})

	t.Run("Title audience sentiment matches the seeded messages", func(t *testing.T) {
		t.Parallel()
		var resp entitiesResponse
		reps := []map[string]any{{"__typename": "Title", "id": talked}, {"__typename": "Title", "id": silent}}
		if errs := post(t, c, entitiesQuery, &resp, client.Var("reps", reps)); len(errs) > 0 {
			t.Fatalf("errors: %+v", errs)
		}
		want := seededAudience(talked)
		if want.MessageCount == 0 {
			t.Fatalf("seed has no messages for %s", talked)
		}
		got := resp.Entities[0].AudienceSentiment
		if got.MessageCount != want.MessageCount || got.Positive != want.Positive || got.Neutral != want.Neutral ||
			got.Negative != want.Negative || math.Abs(got.AverageScore-want.AverageScore()) > 1e-9 || got.Label != string(want.Label()) {
			t.Errorf("audience of %s = %+v, want %+v (average %v, %s)", talked, got, want, want.AverageScore(), want.Label())
		}
		empty := resp.Entities[1].AudienceSentiment
		if empty.MessageCount != 0 || empty.Positive+empty.Neutral+empty.Negative != 0 || empty.AverageScore != 0 || empty.Label != "NEUTRAL" {
			t.Errorf("audience of %s without messages = %+v, want zero and NEUTRAL", silent, empty)
		}
	})

	t.Run("Repeated Title representations each count the messages once", func(t *testing.T) {
		t.Parallel()
		// More copies than one SQL IN list holds: they used to land in
		// different chunks and count the title's messages twice.
		reps := make([]map[string]any, 501)
		for i := range reps {
			reps[i] = map[string]any{"__typename": "Title", "id": talked}
		}
		var resp entitiesResponse
		if errs := post(t, c, entitiesQuery, &resp, client.Var("reps", reps)); len(errs) > 0 {
			t.Fatalf("errors: %+v", errs)
		}
		want := seededAudience(talked).MessageCount
		for i, e := range resp.Entities {
			if e.AudienceSentiment.MessageCount != want {
				t.Fatalf("entity %d: messageCount %d, want %d", i, e.AudienceSentiment.MessageCount, want)
			}
		}
	})

	t.Run("Video detections filtered by confidence and duration, in time order", func(t *testing.T) {
		t.Parallel()
		cases := []struct {
			name          string
			minConfidence any
			duration      int
		}{
			{"default floor", nil, video.DurationSeconds},
			{"every confidence", 0.0, video.DurationSeconds},
			{"confident only", 0.8, video.DurationSeconds},
			{"short duration drops later frames", 0.0, int(dets[0].AtSeconds) + 1},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				floor := 0.5
				opts := []client.Option{client.Var("reps", []map[string]any{{"__typename": "Video", "id": video.ID, "durationSeconds": tc.duration}})}
				if tc.minConfidence != nil {
					floor = tc.minConfidence.(float64)
					opts = append(opts, client.Var("minConfidence", tc.minConfidence))
				}
				var want []float64
				for _, d := range dets {
					if d.Confidence >= floor && d.AtSeconds <= float64(tc.duration) {
						want = append(want, d.AtSeconds)
					}
				}
				sort.Float64s(want)
				var resp entitiesResponse
				if errs := post(t, c, entitiesQuery, &resp, opts...); len(errs) > 0 {
					t.Fatalf("errors: %+v", errs)
				}
				var got []float64
				for _, d := range resp.Entities[0].Detections {
					got = append(got, d.AtSeconds)
					if d.Confidence < floor || d.Source != fakeModel || d.Box.Width <= 0 || d.Label == "" {
						t.Errorf("detection %+v breaks the filter or lacks data", d)
					}
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("detection times = %v, want %v", got, want)
				}
			})
		}
	})

	t.Run("Profile recommendations exclude watched titles", func(t *testing.T) {
		t.Parallel()
		watched := map[string]bool{}
		videoTitle := map[string]string{}
		for _, v := range f.Videos {
			videoTitle[v.ID] = v.TitleID
		}
		for _, v := range f.Viewing {
			if v.ProfileID == "profile-1" {
				watched[videoTitle[v.VideoID]] = true
			}
		}
		var resp entitiesResponse
		reps := []map[string]any{{"__typename": "Profile", "id": "profile-1"}}
		if errs := post(t, c, entitiesQuery, &resp, client.Var("reps", reps), client.Var("first", 7)); len(errs) > 0 {
			t.Fatalf("errors: %+v", errs)
		}
		recs := resp.Entities[0].Recommendations
		if len(recs) != 7 {
			t.Fatalf("got %d recommendations, want 7", len(recs))
		}
		// Personal picks (titles co-watched with profile-1's) come first,
		// then popular titles.
		reason := regexp.MustCompile(`^(Viewers who watched (one|\d+) of your titles also watched this|Watched by 1 viewer|Watched by \d+ viewers|Not watched by anyone yet); (audiences are (positive|neutral|negative)|no audience reactions yet)$`)
		for i, r := range recs {
			if watched[r.Title.ID] {
				t.Errorf("recommended %s, which profile-1 watched", r.Title.ID)
			}
			if i > 0 && r.Score > recs[i-1].Score {
				t.Errorf("recommendations not ranked: %v after %v", r.Score, recs[i-1].Score)
			}
			if want := seededAudience(r.Title.ID); r.Title.AudienceSentiment.MessageCount != want.MessageCount || r.Title.AudienceSentiment.Label != string(want.Label()) {
				t.Errorf("audience of recommended %s = %+v, want %d messages, %s", r.Title.ID, r.Title.AudienceSentiment, want.MessageCount, want.Label())
			}
			if !reason.MatchString(r.Reason) {
				t.Errorf("reason %q does not explain the ranking", r.Reason)
			}
			// A personal pick names up to three titles profile-1 watched.
			personal := strings.HasPrefix(r.Reason, "Viewers who watched")
			if personal != (len(r.BecauseYouWatched) > 0) || len(r.BecauseYouWatched) > insightsservice.MaxBecause {
				t.Errorf("%s (%q) is because of %v", r.Title.ID, r.Reason, r.BecauseYouWatched)
			}
			for _, b := range r.BecauseYouWatched {
				if !watched[b.ID] {
					t.Errorf("%s is because of %s, which profile-1 did not watch", r.Title.ID, b.ID)
				}
			}
		}
		if !strings.HasPrefix(recs[0].Reason, "Viewers who watched") {
			t.Errorf("top recommendation %q is not a title co-watched with profile-1's", recs[0].Reason)
		}
	})

	t.Run("bad input is BAD_USER_INPUT", func(t *testing.T) {
		t.Parallel()
		cases := []struct {
			name string
			reps []map[string]any
			vars []client.Option
		}{
			{"message without body", []map[string]any{{"__typename": "Message", "id": "m-1"}}, nil},
			{"oversized body", []map[string]any{{"__typename": "Message", "id": "m-1", "body": strings.Repeat("a", insightsservice.MaxBodyRunes+1)}}, nil},
			{"malformed id", []map[string]any{{"__typename": "Title", "id": "not an id!"}}, nil},
			{"minConfidence above 1", []map[string]any{{"__typename": "Video", "id": video.ID, "durationSeconds": 60}}, []client.Option{client.Var("minConfidence", 1.5)}},
			{"minConfidence below 0", []map[string]any{{"__typename": "Video", "id": video.ID, "durationSeconds": 60}}, []client.Option{client.Var("minConfidence", -0.1)}},
			{"video without duration", []map[string]any{{"__typename": "Video", "id": video.ID}}, nil},
			{"first 0", []map[string]any{{"__typename": "Profile", "id": "profile-1"}}, []client.Option{client.Var("first", 0)}},
			{"first 51", []map[string]any{{"__typename": "Profile", "id": "profile-1"}}, []client.Option{client.Var("first", 51)}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				opts := append([]client.Option{client.Var("reps", tc.reps)}, tc.vars...)
				errs := post(t, c, entitiesQuery, nil, opts...)
				if got := codes(errs); !reflect.DeepEqual(got, []string{"BAD_USER_INPUT"}) {
					t.Fatalf("codes = %v (%+v), want one BAD_USER_INPUT", got, errs)
				}
			})
		}
	})

	t.Run("a malformed id fails only its own entity", func(t *testing.T) {
		t.Parallel()
		var resp entitiesResponse
		reps := []map[string]any{{"__typename": "Title", "id": talked}, {"__typename": "Title", "id": "bad id"}}
		errs := post(t, c, entitiesQuery, &resp, client.Var("reps", reps))
		if got := codes(errs); !reflect.DeepEqual(got, []string{"BAD_USER_INPUT"}) {
			t.Fatalf("codes = %v, want one BAD_USER_INPUT", got)
		}
		if len(resp.Entities) != 2 || resp.Entities[0] == nil || resp.Entities[0].AudienceSentiment == nil || resp.Entities[1] != nil {
			t.Fatalf("entities = %+v, want the good title resolved and the bad one null", resp.Entities)
		}
	})
}

// TestStoreCallsPerPage proves batching: a page of 50 entities with their
// relations costs one store call per relation, however many entities.
func TestStoreCallsPerPage(t *testing.T) {
	t.Parallel()
	store := newCountingStore(t)
	sg := open(t, insights.Options{Store: store})
	// An operator's token reads many profiles in one request.
	c := viewertest.Client(sg.Handler(), viewertest.As("profile-1", viewer.AdminScope))
	f := fixture()

	titlesAndVideos := func(n int) []map[string]any {
		var reps []map[string]any
		for _, title := range f.Titles[:n] {
			reps = append(reps, map[string]any{"__typename": "Title", "id": title.ID})
		}
		for _, v := range f.Videos[:n] {
			reps = append(reps, map[string]any{"__typename": "Video", "id": v.ID, "durationSeconds": v.DurationSeconds})
		}
		return reps
	}
	profiles := func(n int) []map[string]any {
		var reps []map[string]any
		for i := range n {
			reps = append(reps, map[string]any{"__typename": "Profile", "id": fmt.Sprintf("profile-%d", i+1)})
		}
		return reps
	}
	cases := []struct {
		name  string
		query string
		reps  []map[string]any
		want  map[string]int
	}{
		{
			name: "50 titles and 50 videos",
			query: `query($reps: [_Any!]!) { _entities(representations: $reps) {
				... on Title { audienceSentiment { label } }
				... on Video { detections(minConfidence: 0.3) { label } } } }`,
			reps: titlesAndVideos(50),
			want: map[string]int{"AudiencesByTitleIDs": 1, "DetectionsByVideoIDs": 1},
		},
		{
			name:  "ids only cost no store call",
			query: `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Title { id } ... on Video { id } } }`,
			reps:  titlesAndVideos(50),
			want:  map[string]int{},
		},
		{
			name: "named fragments select the relations too",
			query: `query($reps: [_Any!]!) { _entities(representations: $reps) { ...T ...V } }
				fragment T on Title { audienceSentiment { messageCount } }
				fragment V on Video { detections(minConfidence: 0.9) { atSeconds } }`,
			reps: titlesAndVideos(50),
			want: map[string]int{"AudiencesByTitleIDs": 1, "DetectionsByVideoIDs": 1},
		},
		{
			name: "1 title and 1 video",
			query: `query($reps: [_Any!]!) { _entities(representations: $reps) {
				... on Title { audienceSentiment { label } }
				... on Video { detections { label } } } }`,
			reps: titlesAndVideos(1),
			want: map[string]int{"AudiencesByTitleIDs": 1, "DetectionsByVideoIDs": 1},
		},
		{
			name: "50 profiles with recommended titles and their audiences",
			query: `query($reps: [_Any!]!) { _entities(representations: $reps) {
				... on Profile { recommendations(first: 50) { score title { id audienceSentiment { label messageCount } } } } } }`,
			reps: profiles(50),
			// The ranking already read the audiences: none is loaded again.
			want: map[string]int{"WatchedTitlesByProfileIDs": 1, "PopularTitles": 1},
		},
	}
	// Sequential: the counts belong to one request at a time.
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			store.reset()
			var resp struct {
				Entities []map[string]any `json:"_entities"`
			}
			if errs := post(t, c, tc.query, &resp, client.Var("reps", tc.reps)); len(errs) > 0 {
				t.Fatalf("errors: %+v", errs)
			}
			if len(resp.Entities) != len(tc.reps) {
				t.Fatalf("got %d entities, want %d", len(resp.Entities), len(tc.reps))
			}
			if got := store.reset(); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("store calls = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestRecommendationsBelongToTheirProfile: recommendations reveal what a
// profile watched, so only that profile (or an operator) reads them; in a
// batch, each profile the viewer may not read fails alone.
func TestRecommendationsBelongToTheirProfile(t *testing.T) {
	t.Parallel()
	sg := open(t, insights.Options{DataDir: t.TempDir()})
	q := `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Profile { id recommendations(first: 3) { title { id } } } } }`
	reps := []map[string]any{{"__typename": "Profile", "id": "profile-1"}, {"__typename": "Profile", "id": "profile-2"}}
	cases := []struct {
		name      string
		as        []client.Option
		wantCodes []string
		readable  []bool
	}{
		{"profile-1 reads its own only", []client.Option{viewertest.As("profile-1")}, []string{"FORBIDDEN"}, []bool{true, false}},
		{"profile-2 reads its own only", []client.Option{viewertest.As("profile-2")}, []string{"FORBIDDEN"}, []bool{false, true}},
		{"operator reads both", []client.Option{viewertest.As("profile-9", viewer.AdminScope)}, []string{}, []bool{true, true}},
		{"anonymous reads none", nil, []string{"UNAUTHENTICATED", "UNAUTHENTICATED"}, []bool{false, false}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var resp struct {
				Entities []*struct {
					ID              string
					Recommendations []struct{ Title struct{ ID string } }
				} `json:"_entities"`
			}
			errs := post(t, viewertest.Client(sg.Handler(), tc.as...), q, &resp, client.Var("reps", reps))
			if got := codes(errs); !reflect.DeepEqual(got, tc.wantCodes) {
				t.Fatalf("codes %v, want %v (%+v)", got, tc.wantCodes, errs)
			}
			for i, want := range tc.readable {
				got := i < len(resp.Entities) && resp.Entities[i] != nil && len(resp.Entities[i].Recommendations) > 0
				if got != want {
					t.Errorf("%s readable = %v, want %v (%+v)", reps[i]["id"], got, want, resp.Entities)
				}
			}
		})
	}
}
