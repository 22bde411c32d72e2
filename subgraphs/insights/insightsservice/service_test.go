package insightsservice_test

import (
	"context"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights/sentiment"
	"github.com/cinegraph/cinegraph/subgraphs/insights/store/insightssqlite"
)

// recorder is a Publisher that keeps what it is given.
type recorder struct {
	mu  sync.Mutex
	evs []events.Event
}

func (r *recorder) Publish(_ context.Context, evs ...events.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.evs = append(r.evs, evs...)
	return nil
}

func newService(t *testing.T) (*insightsservice.Service, insightsservice.Store, *recorder) {
	t.Helper()
	store, err := insightssqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = store.Close() })
	pub := &recorder{}
	svc := insightsservice.New(store, insightsservice.WithModel(sentiment.NewVader()), insightsservice.WithPublisher(pub))
	return svc, store, pub
}

func wantInvalid(t *testing.T, err error, field string) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Code != errs.BadUserInput || e.Field != field {
		t.Fatalf("err = %v, want BAD_USER_INPUT on %s", err, field)
	}
}

func TestValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		err   error
		field string // empty: valid
	}{
		{"seeded id", insightsservice.CheckID("id", "m-t0001-001"), ""},
		{"uuid", insightsservice.CheckID("id", "0b6c4a8e-6a43-4b39-9d3c-2f1f3c3a9e10"), ""},
		{"empty id", insightsservice.CheckID("id", ""), "id"},
		{"id with space", insightsservice.CheckID("id", "t 1"), "id"},
		{"id too long", insightsservice.CheckID("id", strings.Repeat("a", 129)), "id"},
		{"too many ids", insightsservice.CheckIDs("titleId", make([]string, insightsservice.MaxBatch+1)), "titleId"},
		{"body", insightsservice.CheckBody("hello"), ""},
		{"empty body", insightsservice.CheckBody(""), "body"},
		{"oversized body", insightsservice.CheckBody(strings.Repeat("é", insightsservice.MaxBodyRunes+1)), "body"},
		{"body at the limit", insightsservice.CheckBody(strings.Repeat("é", insightsservice.MaxBodyRunes)), ""},
		{"invalid utf-8", insightsservice.CheckBody("\xff\xfe"), "body"},
		{"confidence 0", insightsservice.CheckMinConfidence(0), ""},
		{"confidence 1", insightsservice.CheckMinConfidence(1), ""},
		{"confidence above 1", insightsservice.CheckMinConfidence(1.01), "minConfidence"},
		{"negative confidence", insightsservice.CheckMinConfidence(-0.01), "minConfidence"},
		{"NaN confidence", insightsservice.CheckMinConfidence(math.NaN()), "minConfidence"},
		{"duration", insightsservice.CheckDuration(1), ""},
		{"zero duration", insightsservice.CheckDuration(0), "durationSeconds"},
		{"first 1", insightsservice.CheckRecommendationsFirst(1), ""},
		{"first 50", insightsservice.CheckRecommendationsFirst(50), ""},
		{"first 0", insightsservice.CheckRecommendationsFirst(0), "first"},
		{"first 51", insightsservice.CheckRecommendationsFirst(51), "first"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.field == "" {
				if tc.err != nil {
					t.Fatalf("unexpected error: %v", tc.err)
				}
				return
			}
			wantInvalid(t, tc.err, tc.field)
		})
	}
}

func TestFilterDetections(t *testing.T) {
	t.Parallel()
	ds := []insightsservice.Detection{
		{Label: "a", Confidence: 0.4, AtSeconds: 1},
		{Label: "b", Confidence: 0.5, AtSeconds: 2},
		{Label: "c", Confidence: 0.9, AtSeconds: 10},
		{Label: "d", Confidence: 0.95, AtSeconds: 10.5},
	}
	labels := func(ds []insightsservice.Detection) string {
		var out []string
		for _, d := range ds {
			out = append(out, d.Label)
		}
		return strings.Join(out, "")
	}
	cases := []struct {
		name     string
		floor    float64
		duration int
		want     string
	}{
		{"floor is inclusive", 0.5, 100, "bcd"},
		{"everything", 0, 100, "abcd"},
		{"beyond the duration is dropped", 0, 10, "abc"},
		{"nothing confident enough", 0.99, 100, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := insightsservice.FilterDetections(ds, tc.floor, tc.duration)
			if err != nil || labels(got) != tc.want {
				t.Fatalf("FilterDetections = %q, %v; want %q", labels(got), err, tc.want)
			}
		})
	}
	if _, err := insightsservice.FilterDetections(ds, 2, 100); err == nil {
		t.Fatal("a floor above 1 was accepted")
	}
}

func TestRecordMessage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	valid := insightsservice.ChatMessagePosted{ID: "m-live-1", RoomID: "room-t0001", TitleID: "t0001", AuthorID: "profile-1", Body: "I love this soundtrack so much", SentAt: seed.Epoch()}

	t.Run("rejected messages store and publish nothing", func(t *testing.T) {
		t.Parallel()
		cases := []struct {
			name   string
			mutate func(*insightsservice.ChatMessagePosted)
			field  string
		}{
			{"empty body", func(m *insightsservice.ChatMessagePosted) { m.Body = "" }, "body"},
			{"oversized body", func(m *insightsservice.ChatMessagePosted) {
				m.Body = strings.Repeat("x", insightsservice.MaxBodyRunes+1)
			}, "body"},
			{"missing title", func(m *insightsservice.ChatMessagePosted) { m.TitleID = "" }, "titleId"},
			{"malformed room", func(m *insightsservice.ChatMessagePosted) { m.RoomID = "room one" }, "roomId"},
			{"malformed id", func(m *insightsservice.ChatMessagePosted) { m.ID = "m/1" }, "id"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				svc, store, pub := newService(t)
				m := valid
				tc.mutate(&m)
				_, err := svc.RecordMessage(ctx, m)
				wantInvalid(t, err, tc.field)
				if empty, err := store.Empty(ctx); err != nil || !empty {
					t.Fatalf("store empty = %v, %v after a rejected message; want nothing stored", empty, err)
				}
				if len(pub.evs) != 0 {
					t.Fatalf("published %d events for a rejected message", len(pub.evs))
				}
			})
		}
	})

	t.Run("stored once, published under one id", func(t *testing.T) {
		t.Parallel()
		svc, store, pub := newService(t)
		for range 2 {
			got, err := svc.RecordMessage(ctx, valid)
			if err != nil {
				t.Fatalf("RecordMessage: %v", err)
			}
			if got.Label != sentiment.Positive || got.Model != sentiment.VaderName || got.TitleID != "t0001" {
				t.Fatalf("score = %+v", got)
			}
		}
		aud, err := store.AudiencesByTitleIDs(ctx, []string{"t0001"})
		if err != nil || aud[0].MessageCount != 1 {
			t.Fatalf("audience = %+v, %v; want the message once", aud, err)
		}
		if len(pub.evs) != 2 || pub.evs[0].ID != pub.evs[1].ID || pub.evs[0].ID != "sentiment-m-live-1" {
			t.Fatalf("published %+v; want the same event id twice, for the bus to drop", pub.evs)
		}
		ev := pub.evs[0]
		if ev.Topic != events.TopicInsights || ev.Key != "room-t0001" || ev.Type != insightsservice.EventTypeSentimentScored || ev.Validate() != nil {
			t.Fatalf("event = %+v", ev)
		}
	})
}

func TestRecordViewingRejectsMalformedIDs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, store, _ := newService(t)
	err := svc.RecordViewing(ctx, insightsservice.VideoProgress{ProfileID: "profile-1", VideoID: "", TitleID: "t0001"})
	wantInvalid(t, err, "videoId")
	if empty, _ := store.Empty(ctx); !empty {
		t.Fatal("a rejected view was stored")
	}
}

func TestRecommendations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, store, _ := newService(t)
	var views []insightsservice.View
	for _, p := range []string{"p1", "p2", "p3"} {
		views = append(views, insightsservice.View{ProfileID: p, TitleID: "t1", VideoID: "v1"})
	}
	views = append(views, insightsservice.View{ProfileID: "p1", TitleID: "t2", VideoID: "v2"})
	if err := store.SaveViews(ctx, views); err != nil {
		t.Fatal(err)
	}
	score := func(id, title string, v float64) insightsservice.MessageScore {
		return insightsservice.MessageScore{MessageID: id, RoomID: "room-" + title, TitleID: title, Label: sentiment.LabelFor(v), Score: v, Model: "test", SentAt: seed.Epoch()}
	}
	if _, err := store.SaveScores(ctx, []insightsservice.MessageScore{score("a", "t3", 0.9), score("b", "t3", 0.7), score("c", "t4", -0.6)}); err != nil {
		t.Fatal(err)
	}

	got, err := svc.Recommendations(ctx, []string{"p2", "p9", "p1"})
	if err != nil {
		t.Fatalf("Recommendations: %v", err)
	}
	type rec struct {
		TitleID string
		Score   float64
		Reason  string
	}
	simplify := func(rs []insightsservice.Recommendation) []rec {
		out := make([]rec, len(rs))
		for i, r := range rs {
			out[i] = rec{r.TitleID, r.Score, r.Reason}
		}
		return out
	}
	// Popular titles: score = 0.7 * viewers/3 + 0.3 * (average + 1) / 2,
	// rounded to 4 places, halved after personal picks.
	t1 := rec{"t1", 0.85, "Watched by 3 viewers; no audience reactions yet"}
	t2 := rec{"t2", 0.3833, "Watched by 1 viewer; no audience reactions yet"}
	t3 := rec{"t3", 0.27, "Not watched by anyone yet; audiences are positive"}
	t4 := rec{"t4", 0.06, "Not watched by anyone yet; audiences are negative"}
	// p2 watched t1, as did p1, who also watched t2: t2 is a personal pick
	// for p2, scored 0.5 + cosine(1 both, 3 and 1 viewers) / 2.
	t2For2 := rec{"t2", 0.7887, "Viewers who watched one of your titles also watched this; no audience reactions yet"}
	want := [][]rec{{t2For2, {"t3", 0.135, t3.Reason}, {"t4", 0.03, t4.Reason}}, {t1, t2, t3, t4}, {t3, t4}}
	for i := range want {
		if g := simplify(got[i]); !reflect.DeepEqual(g, want[i]) {
			t.Errorf("recommendations[%d] = %+v\nwant %+v", i, g, want[i])
		}
	}
	if got[1][2].Audience.MessageCount != 2 || got[1][2].Audience.Positive != 2 {
		t.Errorf("t3 carries audience %+v, want its two positive messages", got[1][2].Audience)
	}

	top, err := insightsservice.TopRecommendations(got[1], 2)
	if err != nil || len(top) != 2 || top[0].TitleID != "t1" {
		t.Fatalf("TopRecommendations(2) = %+v, %v", top, err)
	}
	if all, err := insightsservice.TopRecommendations(got[1], 50); err != nil || len(all) != 4 {
		t.Fatalf("TopRecommendations(50) = %d, %v; want all 4", len(all), err)
	}
	if _, err := insightsservice.TopRecommendations(got[1], 0); err == nil {
		t.Fatal("first 0 accepted")
	}
	if _, err := svc.Recommendations(ctx, []string{"bad id"}); err == nil {
		t.Fatal("malformed profile id accepted")
	}
}

func TestBuildSeed(t *testing.T) {
	t.Parallel()
	f := seed.Generate()
	data := insightsservice.BuildSeed(f, sentiment.NewVader())
	if len(data.Scores) != len(f.Messages) || len(data.Detections) != 0 || len(data.Views) != len(f.Viewing) {
		t.Fatalf("seed has %d scores, %d detections, %d views; fixture has %d messages, %d viewings (detections come from the detector)",
			len(data.Scores), len(data.Detections), len(data.Views), len(f.Messages), len(f.Viewing))
	}
	labels := map[sentiment.Label]int{}
	for _, sc := range data.Scores {
		if !sc.Seeded || sc.TitleID == "" || "room-"+sc.TitleID != sc.RoomID {
			t.Fatalf("score %+v is not tied to its room's title", sc)
		}
		labels[sc.Label]++
	}
	// Seeded rooms lean positive, negative or neutral: all three must show.
	for _, l := range []sentiment.Label{sentiment.Positive, sentiment.Neutral, sentiment.Negative} {
		if labels[l] == 0 {
			t.Errorf("no seeded message scored %s", l)
		}
	}
}

func TestNewRequiresAStore(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Fatal("New without a store succeeded")
		}
	}()
	insightsservice.New(nil)
}

func TestNewDefaultsToTheChatModel(t *testing.T) {
	t.Parallel()
	store, err := insightssqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	got, err := insightsservice.New(store).Sentiment("I love this, it is wonderful")
	if err != nil || got.Model != sentiment.ChatName || got.Label != sentiment.Positive {
		t.Fatalf("Sentiment = %+v, %v; want a positive %s score", got, err, sentiment.ChatName)
	}
}
