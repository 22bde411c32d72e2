package insights_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"

	"github.com/99designs/gqlgen/client"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/insights"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
	"github.com/cinegraph/cinegraph/subgraphs/insights/sentiment"
)

type audience struct {
	MessageCount int    `json:"messageCount"`
	Positive     int    `json:"positive"`
	Negative     int    `json:"negative"`
	Label        string `json:"label"`
}

func titleAudience(t *testing.T, c *client.Client, titleID string) audience {
	t.Helper()
	var resp struct {
		Entities []struct {
			AudienceSentiment audience `json:"audienceSentiment"`
		} `json:"_entities"`
	}
	errs := post(t, c, `query($reps: [_Any!]!) { _entities(representations: $reps) {
		... on Title { audienceSentiment { messageCount positive negative label } } } }`,
		&resp, client.Var("reps", []map[string]any{{"__typename": "Title", "id": titleID}}))
	if len(errs) > 0 {
		t.Fatalf("errors: %+v", errs)
	}
	return resp.Entities[0].AudienceSentiment
}

type recommendation struct {
	Title  struct{ ID string } `json:"title"`
	Reason string              `json:"reason"`
}

// recommendations reads profileID's recommendations as that profile.
func recommendations(t *testing.T, c *client.Client, profileID string) []recommendation {
	t.Helper()
	var resp struct {
		Entities []struct {
			Recommendations []recommendation `json:"recommendations"`
		} `json:"_entities"`
	}
	errs := post(t, c, `query($reps: [_Any!]!) { _entities(representations: $reps) {
		... on Profile { recommendations(first: 50) { title { id } reason } } } }`,
		&resp, client.Var("reps", []map[string]any{{"__typename": "Profile", "id": profileID}}), viewertest.As(profileID))
	if len(errs) > 0 {
		t.Fatalf("errors: %+v", errs)
	}
	return resp.Entities[0].Recommendations
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func publish(t *testing.T, bus events.Publisher, evs ...events.Event) {
	t.Helper()
	if err := bus.Publish(context.Background(), evs...); err != nil {
		t.Fatalf("publish: %v", err)
	}
}

func TestConsumesChatMessages(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bus := openBus(t, dir)
	sg := open(t, insights.Options{DataDir: dir, Bus: bus})
	c := viewertest.Client(sg.Handler(), viewertest.As("profile-1"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	results, err := bus.Listen(ctx, events.TopicInsights)
	if err != nil {
		t.Fatalf("listen: %v", err)
	}

	// The last titles have no seeded messages.
	f := fixture()
	titleID := f.Titles[len(f.Titles)-1].ID
	room := seed.RoomID(titleID)
	if got := titleAudience(t, c, titleID); got.MessageCount != 0 {
		t.Fatalf("%s starts with %d messages, want none", titleID, got.MessageCount)
	}
	msg := func(id, body string) insightsservice.ChatMessagePosted {
		return insightsservice.ChatMessagePosted{ID: id, RoomID: room, TitleID: titleID, AuthorID: "profile-2", Body: body, SentAt: seed.Epoch()}
	}

	publish(t, bus, chatEvent(t, "live-1", msg("live-1", "What a brilliant, wonderful ending!")))
	eventually(t, "the live message is counted", func() bool { return titleAudience(t, c, titleID).MessageCount == 1 })
	if got := titleAudience(t, c, titleID); got.Positive != 1 || got.Label != "POSITIVE" {
		t.Fatalf("audience = %+v, want one positive message", got)
	}

	select {
	case ev := <-results:
		var payload insightsservice.SentimentScored
		if err := json.Unmarshal(ev.Payload, &payload); err != nil {
			t.Fatalf("decode insight: %v", err)
		}
		want := insightsservice.SentimentScored{MessageID: "live-1", RoomID: room, TitleID: titleID, Label: "POSITIVE", Score: payload.Score, Model: sentiment.ChatName}
		if ev.Key != room || ev.Type != insightsservice.EventTypeSentimentScored || payload != want || payload.Score <= 0 {
			t.Fatalf("insight event %+v with %+v, want key %s and %+v", ev, payload, room, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no insight published")
	}

	// A redelivery (same message under a new event id) and a malformed
	// message are both dropped; the consumer goes on to the next message.
	publish(t, bus,
		chatEvent(t, "live-1-again", msg("live-1", "Awful, I hate it")),
		chatEvent(t, "bad-1", msg("bad-1", "")),
		chatEvent(t, "live-2", msg("live-2", "This is terrible and boring")),
	)
	eventually(t, "the next message is counted", func() bool { return titleAudience(t, c, titleID).MessageCount >= 2 })
	if got := titleAudience(t, c, titleID); got.MessageCount != 2 || got.Positive != 1 || got.Negative != 1 {
		t.Fatalf("audience = %+v, want the two distinct messages only", got)
	}

	closed := make(chan error, 1)
	go func() { closed <- sg.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatalf("Close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not stop the consumers")
	}
}

func TestConsumesVideoProgress(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bus := openBus(t, dir)
	sg := open(t, insights.Options{DataDir: dir, Bus: bus})
	c := viewertest.Client(sg.Handler(), viewertest.As("profile-1"))

	const newcomer, other = "profile-77", "profile-78"
	before := recommendations(t, c, newcomer)
	if len(before) == 0 {
		t.Fatal("no recommendations for a new profile")
	}
	pick := before[len(before)-1]
	reasonFor := func(profile, titleID string) string {
		for _, r := range recommendations(t, c, profile) {
			if r.Title.ID == titleID {
				return r.Reason
			}
		}
		return ""
	}
	publish(t, bus, progressEvent(t, "progress-1", insightsservice.VideoProgress{
		ProfileID: newcomer, VideoID: "v-" + pick.Title.ID + "-feature", TitleID: pick.Title.ID, PositionSeconds: 60, DurationSeconds: 3600,
	}))
	eventually(t, "the watched title leaves the newcomer's recommendations", func() bool {
		return !slices.ContainsFunc(recommendations(t, c, newcomer), func(r recommendation) bool { return r.Title.ID == pick.Title.ID })
	})
	if got := reasonFor(other, pick.Title.ID); got == pick.Reason || got == "" {
		t.Fatalf("reason for %s is %q after a new viewer, was %q: the viewer was not counted", pick.Title.ID, got, pick.Reason)
	}
}

func TestReopenKeepsLiveDataAndReseedKeepsIt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	bus := openBus(t, dir)
	f := fixture()
	talked := f.Titles[0].ID
	seeded := seededAudience(talked)

	first, err := insights.Open(ctx, insights.Options{DataDir: dir, Bus: bus, Logger: quiet})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	c := viewertest.Client(first.Handler(), viewertest.As("profile-1"))
	publish(t, bus, chatEvent(t, "live-x", insightsservice.ChatMessagePosted{
		ID: "live-x", RoomID: seed.RoomID(talked), TitleID: talked, AuthorID: "profile-1", Body: "Starting episode two now", SentAt: seed.Epoch(),
	}))
	eventually(t, "the live message is counted", func() bool {
		return titleAudience(t, c, talked).MessageCount == seeded.MessageCount+1
	})
	if err := first.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	second := open(t, insights.Options{DataDir: dir, Bus: bus})
	c = viewertest.Client(second.Handler(), viewertest.As("profile-1"))
	if got := titleAudience(t, c, talked); got.MessageCount != seeded.MessageCount+1 {
		t.Fatalf("after reopen %d messages, want %d (seed plus the live one)", got.MessageCount, seeded.MessageCount+1)
	}
	for range 2 {
		if err := second.Seed(ctx); err != nil {
			t.Fatalf("Seed: %v", err)
		}
	}
	if got := titleAudience(t, c, talked); got.MessageCount != seeded.MessageCount+1 || got.Positive != seeded.Positive || got.Negative != seeded.Negative {
		t.Fatalf("after reseeding audience = %+v, want the seed %+v plus one neutral live message", got, seeded)
	}
	if err := second.Ready(ctx); err != nil {
		t.Fatalf("Ready: %v", err)
	}
}

// flakyStore fails its first saves of scores, as a store that is briefly
// unreachable would.
type flakyStore struct {
	insightsservice.Store
	mu       sync.Mutex
	failures int
	attempts int
}

func (f *flakyStore) SaveScores(ctx context.Context, scores []insightsservice.MessageScore) (int, error) {
	f.mu.Lock()
	f.attempts++
	fail := f.attempts <= f.failures
	f.mu.Unlock()
	if fail {
		return 0, errors.New("store unreachable")
	}
	return f.Store.SaveScores(ctx, scores)
}

func TestConsumerRetriesAfterStoreFailure(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bus := openBus(t, dir)
	store := &flakyStore{Store: newCountingStore(t), failures: 2}
	sg := open(t, insights.Options{Store: store, Bus: bus})
	c := viewertest.Client(sg.Handler(), viewertest.As("profile-1"))
	f := fixture()
	titleID := f.Titles[len(f.Titles)-2].ID
	publish(t, bus, chatEvent(t, "retry-1", insightsservice.ChatMessagePosted{
		ID: "retry-1", RoomID: seed.RoomID(titleID), TitleID: titleID, AuthorID: "profile-3", Body: "Great acting from the whole cast", SentAt: seed.Epoch(),
	}))
	eventually(t, "the message is stored after the store recovers", func() bool { return titleAudience(t, c, titleID).MessageCount == 1 })
	store.mu.Lock()
	defer store.mu.Unlock()
	if store.attempts != 3 {
		t.Fatalf("%d save attempts, want 2 failures then 1 success", store.attempts)
	}
}
