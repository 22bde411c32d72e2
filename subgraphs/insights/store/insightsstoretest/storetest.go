// Package insightsstoretest is the contract every insights Store implementation
// must pass: run it from the implementation's tests with a function that
// opens a fresh, empty store.
package insightsstoretest

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights/sentiment"
)

// Run runs the contract against stores returned by open; each call must
// return a new, empty store, closed by the test's cleanup.
func Run(t *testing.T, open func(t *testing.T) insightsservice.Store) {
	t.Helper()
	tests := []struct {
		name string
		run  func(t *testing.T, s insightsservice.Store)
	}{
		{"EmptyUntilWritten", testEmpty},
		{"ScoresStoredOncePerMessage", testScoresOnce},
		{"ScoresAllOrNothing", testScoresAtomic},
		{"AudiencesInKeyOrder", testAudiences},
		{"DetectionsInTimeOrder", testDetections},
		{"FrameDetectionsReplacedPerFrame", testFrameDetections},
		{"DetectionsByTitleMostConfidentFirst", testDetectionsByTitle},
		{"ViewsAndWatchedTitles", testViews},
		{"PopularTitlesRanking", testPopular},
		{"ReplaceSeedKeepsLiveData", testReplaceSeed},
		{"BatchesBeyondOneQuery", testLargeBatch},
		{"DuplicateIDsAcrossChunks", testDuplicateIDs},
		{"CoViewsCountedAsViewsArrive", testCoViews},
		{"CoViewsFollowReseeds", testCoViewsReseed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, open(t))
		})
	}
}

var at = time.Date(2026, time.October, 1, 20, 0, 0, 0, time.UTC)

func score(id, titleID string, value float64) insightsservice.MessageScore {
	return insightsservice.MessageScore{
		MessageID: id, RoomID: "room-" + titleID, TitleID: titleID,
		Label: sentiment.LabelFor(value), Score: value, Model: "test", SentAt: at,
	}
}

func mustSaveScores(t *testing.T, s insightsservice.Store, scores ...insightsservice.MessageScore) int {
	t.Helper()
	n, err := s.SaveScores(context.Background(), scores)
	if err != nil {
		t.Fatalf("SaveScores: %v", err)
	}
	return n
}

func audiences(t *testing.T, s insightsservice.Store, ids ...string) []insightsservice.Audience {
	t.Helper()
	got, err := s.AudiencesByTitleIDs(context.Background(), ids)
	if err != nil {
		t.Fatalf("AudiencesByTitleIDs: %v", err)
	}
	if len(got) != len(ids) {
		t.Fatalf("AudiencesByTitleIDs returned %d results for %d ids", len(got), len(ids))
	}
	return got
}

func testEmpty(t *testing.T, s insightsservice.Store) {
	ctx := context.Background()
	empty, err := s.Empty(ctx)
	if err != nil || !empty {
		t.Fatalf("Empty() on a new store = %v, %v; want true", empty, err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	if err := s.SaveViews(ctx, []insightsservice.View{{ProfileID: "profile-1", TitleID: "t0001", VideoID: "v-t0001-feature"}}); err != nil {
		t.Fatalf("SaveViews: %v", err)
	}
	if empty, err := s.Empty(ctx); err != nil || empty {
		t.Fatalf("Empty() after a write = %v, %v; want false", empty, err)
	}
}

func testScoresOnce(t *testing.T, s insightsservice.Store) {
	if n := mustSaveScores(t, s, score("m1", "t0001", 0.8), score("m2", "t0001", -0.6)); n != 2 {
		t.Fatalf("first save stored %d, want 2", n)
	}
	// A redelivery carries the same message id, whatever its score.
	if n := mustSaveScores(t, s, score("m1", "t0001", -0.9)); n != 0 {
		t.Fatalf("redelivered save stored %d, want 0", n)
	}
	got := audiences(t, s, "t0001")[0]
	want := insightsservice.Audience{TitleID: "t0001", MessageCount: 2, Positive: 1, Negative: 1, ScoreSum: 0.8 - 0.6}
	if !audienceEqual(got, want) {
		t.Fatalf("audience = %+v, want %+v", got, want)
	}
}

func testScoresAtomic(t *testing.T, s insightsservice.Store) {
	bad := score("m2", "t0002", 0.5)
	bad.Label = "DELIGHTED"
	if _, err := s.SaveScores(context.Background(), []insightsservice.MessageScore{score("m1", "t0002", 0.5), bad}); err == nil {
		t.Fatal("SaveScores with an invalid label succeeded")
	}
	if got := audiences(t, s, "t0002")[0]; got.MessageCount != 0 {
		t.Fatalf("a rejected batch stored %d messages, want none", got.MessageCount)
	}
}

func testAudiences(t *testing.T, s insightsservice.Store) {
	mustSaveScores(t, s,
		score("a1", "t0001", 0.5), score("a2", "t0001", 0.7), score("a3", "t0001", 0),
		score("b1", "t0002", -0.4),
	)
	got := audiences(t, s, "t0002", "t9999", "t0001", "t0002")
	want := []insightsservice.Audience{
		{TitleID: "t0002", MessageCount: 1, Negative: 1, ScoreSum: -0.4},
		{TitleID: "t9999"},
		{TitleID: "t0001", MessageCount: 3, Positive: 2, Neutral: 1, ScoreSum: 1.2},
		{TitleID: "t0002", MessageCount: 1, Negative: 1, ScoreSum: -0.4},
	}
	for i := range want {
		if !audienceEqual(got[i], want[i]) {
			t.Errorf("audience[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	if got := audiences(t, s); len(got) != 0 {
		t.Errorf("no ids gave %d audiences", len(got))
	}
}

func audienceEqual(a, b insightsservice.Audience) bool {
	const eps = 1e-9
	d := a.ScoreSum - b.ScoreSum
	a.ScoreSum, b.ScoreSum = 0, 0
	return a == b && d < eps && d > -eps
}

func testDetections(t *testing.T, s insightsservice.Store) {
	ctx := context.Background()
	det := func(video, label string, atSeconds float64) insightsservice.Detection {
		return insightsservice.Detection{VideoID: video, TitleID: "t-" + video, Label: label, Confidence: 0.9, AtSeconds: atSeconds, X: 0.1, Y: 0.2, W: 0.3, H: 0.4, Source: "test", Seeded: true}
	}
	data := insightsservice.SeedData{Detections: []insightsservice.Detection{
		det("v1", "car", 30), det("v2", "dog", 5), det("v1", "person", 10), det("v1", "cat", 20),
	}}
	if err := s.ReplaceSeed(ctx, data); err != nil {
		t.Fatalf("ReplaceSeed: %v", err)
	}
	got, err := s.DetectionsByVideoIDs(ctx, []string{"v1", "v-none", "v2"})
	if err != nil {
		t.Fatalf("DetectionsByVideoIDs: %v", err)
	}
	want := [][]insightsservice.Detection{
		{det("v1", "person", 10), det("v1", "cat", 20), det("v1", "car", 30)},
		{},
		{det("v2", "dog", 5)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("detections = %+v\nwant %+v", got, want)
	}
}

func testViews(t *testing.T, s insightsservice.Store) {
	ctx := context.Background()
	views := []insightsservice.View{
		{ProfileID: "profile-2", TitleID: "t0003", VideoID: "v-t0003-feature"},
		{ProfileID: "profile-2", TitleID: "t0001", VideoID: "v-t0001-feature"},
		{ProfileID: "profile-1", TitleID: "t0001", VideoID: "v-t0001-feature"},
	}
	for range 2 { // saving twice changes nothing
		if err := s.SaveViews(ctx, views); err != nil {
			t.Fatalf("SaveViews: %v", err)
		}
	}
	got, err := s.WatchedTitlesByProfileIDs(ctx, []string{"profile-2", "profile-9", "profile-1"})
	if err != nil {
		t.Fatalf("WatchedTitlesByProfileIDs: %v", err)
	}
	want := [][]string{{"t0001", "t0003"}, {}, {"t0001"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("watched = %v, want %v", got, want)
	}
	popular, err := s.PopularTitles(ctx, 10)
	if err != nil {
		t.Fatalf("PopularTitles: %v", err)
	}
	if len(popular) != 2 || popular[0].TitleID != "t0001" || popular[0].Viewers != 2 || popular[1].Viewers != 1 {
		t.Fatalf("popular after repeated views = %+v, want t0001 with 2 viewers then t0003 with 1", popular)
	}
}

func testPopular(t *testing.T, s insightsservice.Store) {
	ctx := context.Background()
	var views []insightsservice.View
	for p := 1; p <= 3; p++ {
		views = append(views, insightsservice.View{ProfileID: fmt.Sprintf("profile-%d", p), TitleID: "t0005", VideoID: "v5"})
	}
	views = append(views, insightsservice.View{ProfileID: "profile-1", TitleID: "t0002", VideoID: "v2"})
	if err := s.SaveViews(ctx, views); err != nil {
		t.Fatalf("SaveViews: %v", err)
	}
	mustSaveScores(t, s, score("x1", "t0009", 0.6), score("x2", "t0009", 0.2), score("x3", "t0008", -0.3), score("x4", "t0002", 0.4))
	got, err := s.PopularTitles(ctx, 10)
	if err != nil {
		t.Fatalf("PopularTitles: %v", err)
	}
	want := []insightsservice.TitleStat{
		{TitleID: "t0005", Viewers: 3, Audience: insightsservice.Audience{TitleID: "t0005"}},
		{TitleID: "t0002", Viewers: 1, Audience: insightsservice.Audience{TitleID: "t0002", MessageCount: 1, Positive: 1, ScoreSum: 0.4}},
		{TitleID: "t0009", Audience: insightsservice.Audience{TitleID: "t0009", MessageCount: 2, Positive: 2, ScoreSum: 0.8}},
		{TitleID: "t0008", Audience: insightsservice.Audience{TitleID: "t0008", MessageCount: 1, Negative: 1, ScoreSum: -0.3}},
	}
	if len(got) != len(want) {
		t.Fatalf("PopularTitles = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].TitleID != want[i].TitleID || got[i].Viewers != want[i].Viewers || !audienceEqual(got[i].Audience, want[i].Audience) {
			t.Errorf("popular[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	limited, err := s.PopularTitles(ctx, 2)
	if err != nil || len(limited) != 2 || limited[1].TitleID != "t0002" {
		t.Fatalf("PopularTitles(2) = %+v, %v", limited, err)
	}
}

func testReplaceSeed(t *testing.T, s insightsservice.Store) {
	ctx := context.Background()
	seeded := func(sc insightsservice.MessageScore) insightsservice.MessageScore { sc.Seeded = true; return sc }
	first := insightsservice.SeedData{
		Scores:     []insightsservice.MessageScore{seeded(score("s1", "t0001", 0.5)), seeded(score("s2", "t0001", 0.5))},
		Detections: []insightsservice.Detection{{VideoID: "v1", Label: "car", Confidence: 0.5, AtSeconds: 1, Source: "seed"}},
		Views:      []insightsservice.View{{ProfileID: "profile-1", TitleID: "t0001", VideoID: "v1", Seeded: true}},
	}
	if err := s.ReplaceSeed(ctx, first); err != nil {
		t.Fatalf("ReplaceSeed: %v", err)
	}
	mustSaveScores(t, s, score("live-1", "t0001", -0.5))
	if err := s.SaveViews(ctx, []insightsservice.View{{ProfileID: "profile-2", TitleID: "t0001", VideoID: "v1"}}); err != nil {
		t.Fatalf("SaveViews: %v", err)
	}
	second := insightsservice.SeedData{
		Scores:     []insightsservice.MessageScore{seeded(score("s1", "t0001", 0.5))},
		Detections: []insightsservice.Detection{{VideoID: "v1", Label: "dog", Confidence: 0.5, AtSeconds: 2, Source: "seed"}},
	}
	for range 2 { // reseeding is repeatable
		if err := s.ReplaceSeed(ctx, second); err != nil {
			t.Fatalf("ReplaceSeed: %v", err)
		}
	}
	if got := audiences(t, s, "t0001")[0]; got.MessageCount != 2 || got.Positive != 1 || got.Negative != 1 {
		t.Fatalf("after reseed audience = %+v, want the seeded s1 and the live message", got)
	}
	dets, err := s.DetectionsByVideoIDs(ctx, []string{"v1"})
	if err != nil || len(dets[0]) != 1 || dets[0][0].Label != "dog" {
		t.Fatalf("after reseed detections = %+v, %v; want only the new seed's", dets, err)
	}
	watched, err := s.WatchedTitlesByProfileIDs(ctx, []string{"profile-1", "profile-2"})
	if err != nil || len(watched[0]) != 0 || len(watched[1]) != 1 {
		t.Fatalf("after reseed watched = %v, %v; want the seeded view gone and the live one kept", watched, err)
	}
}

func testLargeBatch(t *testing.T, s insightsservice.Store) {
	ctx := context.Background()
	const n = 1234
	ids := make([]string, n)
	var scores []insightsservice.MessageScore
	for i := range ids {
		ids[i] = fmt.Sprintf("t%05d", i)
		scores = append(scores, score(fmt.Sprintf("m%05d", i), ids[i], 0.5))
	}
	if got := mustSaveScores(t, s, scores...); got != n {
		t.Fatalf("stored %d scores, want %d", got, n)
	}
	got := audiences(t, s, ids...)
	for i, a := range got {
		if a.TitleID != ids[i] || a.MessageCount != 1 {
			t.Fatalf("audience[%d] = %+v, want one message of %s", i, a, ids[i])
		}
	}
	dets, err := s.DetectionsByVideoIDs(ctx, ids)
	if err != nil || len(dets) != n {
		t.Fatalf("DetectionsByVideoIDs(%d ids) = %d results, %v", n, len(dets), err)
	}
	watched, err := s.WatchedTitlesByProfileIDs(ctx, ids)
	if err != nil || len(watched) != n {
		t.Fatalf("WatchedTitlesByProfileIDs(%d ids) = %d results, %v", n, len(watched), err)
	}
}

// copies is id repeated beyond one SQL IN list (500 keys), so that copies
// fall into different chunks of a batch read.
func copies(id string) []string {
	const n = 501
	out := make([]string, n)
	for i := range out {
		out[i] = id
	}
	return out
}

// testDuplicateIDs asks for the same ids many times in one batch, as a page
// of identical entity representations does: each answer must count a
// title's messages, a video's detections and a profile's titles once.
func testDuplicateIDs(t *testing.T, s insightsservice.Store) {
	ctx := context.Background()
	var scores []insightsservice.MessageScore
	for i := range 9 {
		scores = append(scores, score(fmt.Sprintf("dup-%d", i), "t0001", 0.5))
	}
	mustSaveScores(t, s, scores...)
	det := insightsservice.Detection{VideoID: "v1", Label: "car", Confidence: 0.9, AtSeconds: 1, Source: "test"}
	if err := s.ReplaceSeed(ctx, insightsservice.SeedData{Detections: []insightsservice.Detection{det, det, det}}); err != nil {
		t.Fatalf("ReplaceSeed: %v", err)
	}
	if err := s.SaveViews(ctx, []insightsservice.View{
		{ProfileID: "profile-1", TitleID: "t0001", VideoID: "v1"},
		{ProfileID: "profile-1", TitleID: "t0002", VideoID: "v2"},
	}); err != nil {
		t.Fatalf("SaveViews: %v", err)
	}

	titles := append(copies("t0001"), "t0002", "t0001")
	for i, a := range audiences(t, s, titles...) {
		want := 9
		if titles[i] == "t0002" {
			want = 0
		}
		if a.TitleID != titles[i] || a.MessageCount != want || a.Positive != want {
			t.Fatalf("audience[%d] = %+v, want %d positive messages of %s", i, a, want, titles[i])
		}
	}
	videos := append(copies("v1"), "v1")
	dets, err := s.DetectionsByVideoIDs(ctx, videos)
	if err != nil || len(dets) != len(videos) {
		t.Fatalf("DetectionsByVideoIDs = %d results, %v; want %d", len(dets), err, len(videos))
	}
	for i, d := range dets {
		if len(d) != 3 {
			t.Fatalf("detections[%d] = %d, want the video's 3", i, len(d))
		}
	}
	profiles := append(copies("profile-1"), "profile-1")
	watched, err := s.WatchedTitlesByProfileIDs(ctx, profiles)
	if err != nil || len(watched) != len(profiles) {
		t.Fatalf("WatchedTitlesByProfileIDs = %d results, %v; want %d", len(watched), err, len(profiles))
	}
	for i, w := range watched {
		if !reflect.DeepEqual(w, []string{"t0001", "t0002"}) {
			t.Fatalf("watched[%d] = %v, want [t0001 t0002]", i, w)
		}
	}
}

func testFrameDetections(t *testing.T, s insightsservice.Store) {
	ctx := context.Background()
	det := func(label string, at, confidence float64, seeded bool) insightsservice.Detection {
		return insightsservice.Detection{VideoID: "v1", TitleID: "t1", Label: label, Confidence: confidence, AtSeconds: at, X: 0.1, Y: 0.2, W: 0.3, H: 0.4, Source: "m@1", Seeded: seeded}
	}
	if err := s.ReplaceSeed(ctx, insightsservice.SeedData{Detections: []insightsservice.Detection{det("seed", 10, 0.5, true)}}); err != nil {
		t.Fatalf("ReplaceSeed: %v", err)
	}
	frames := []insightsservice.FrameAt{{VideoID: "v1", AtSeconds: 10}, {VideoID: "v1", AtSeconds: 20}}
	first := []insightsservice.Detection{det("a", 10, 0.9, false), det("b", 20, 0.8, false)}
	// The same frames detected again (a redelivered event, a newer model)
	// replace the first answer; the seed's detection at 10 s stays.
	again := []insightsservice.Detection{det("c", 10, 0.7, false)}
	for _, ds := range [][]insightsservice.Detection{first, again} {
		if err := s.ReplaceFrameDetections(ctx, frames, ds); err != nil {
			t.Fatalf("ReplaceFrameDetections: %v", err)
		}
	}
	want := []insightsservice.Detection{det("seed", 10, 0.5, true), det("c", 10, 0.7, false)}
	got, err := s.DetectionsByVideoIDs(ctx, []string{"v1"})
	if err != nil || !reflect.DeepEqual(got[0], want) {
		t.Fatalf("detections = %+v, %v\nwant %+v", got, err, want)
	}
	// A reseed replaces the seed's detections and keeps the live ones.
	if err := s.ReplaceSeed(ctx, insightsservice.SeedData{}); err != nil {
		t.Fatalf("ReplaceSeed: %v", err)
	}
	got, err = s.DetectionsByVideoIDs(ctx, []string{"v1"})
	if err != nil || !reflect.DeepEqual(got[0], want[1:]) {
		t.Fatalf("after reseed detections = %+v, %v\nwant %+v", got, err, want[1:])
	}
}

func testDetectionsByTitle(t *testing.T, s insightsservice.Store) {
	ctx := context.Background()
	det := func(video, title string, confidence float64) insightsservice.Detection {
		return insightsservice.Detection{VideoID: video, TitleID: title, Label: "FACE", Confidence: confidence, AtSeconds: confidence * 10, Source: "m@1", Seeded: true}
	}
	data := insightsservice.SeedData{Detections: []insightsservice.Detection{
		det("v1", "t1", 0.6), det("v2", "t1", 0.9), det("v1", "t1", 0.3), det("v3", "t2", 0.7),
	}}
	if err := s.ReplaceSeed(ctx, data); err != nil {
		t.Fatalf("ReplaceSeed: %v", err)
	}
	got, err := s.DetectionsByTitleIDs(ctx, []string{"t2", "t-none", "t1"}, 0.5)
	if err != nil {
		t.Fatalf("DetectionsByTitleIDs: %v", err)
	}
	want := [][]insightsservice.Detection{
		{det("v3", "t2", 0.7)},
		{},
		{det("v2", "t1", 0.9), det("v1", "t1", 0.6)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("detections = %+v\nwant %+v", got, want)
	}
}
