package insights_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"

	"github.com/99designs/gqlgen/client"

	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/insights"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
)

type insightJSON struct {
	InsightAdded struct {
		Message   struct{ ID string }
		Sentiment struct {
			Label string
			Score float64
			Model string
		}
	}
}

// next reads one subscription payload, failing the test after a timeout.
func next(t *testing.T, sub *client.Subscription, out any) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- sub.Next(out) }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("timed out waiting for a subscription message")
		return nil
	}
}

func TestInsightAddedOverWebsocket(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bus := openBus(t, dir)
	sg := open(t, insights.Options{DataDir: dir, Bus: bus})
	c := viewertest.Client(sg.Handler(), viewertest.As("profile-1"))

	f := fixture()
	titleID, otherID := f.Titles[len(f.Titles)-1].ID, f.Titles[len(f.Titles)-2].ID
	room, other := seed.RoomID(titleID), seed.RoomID(otherID)
	sub := c.Websocket(`subscription($room: ID!) {
		insightAdded(roomId: $room) { message { id } sentiment { label score model } }
	}`, client.Var("room", room))
	defer sub.Close()
	eventually(t, "the subscription to reach the hub", func() bool { return sg.LiveSubscribers(room) == 1 })

	msg := func(id, room, titleID, body string) insightsservice.ChatMessagePosted {
		return insightsservice.ChatMessagePosted{ID: id, RoomID: room, TitleID: titleID, AuthorID: "profile-2", Body: body, SentAt: seed.Epoch()}
	}
	publish(t, bus, chatEvent(t, "live-elsewhere", msg("live-elsewhere", other, otherID, "Elsewhere, fine.")))
	tests := []struct{ id, body, label string }{
		{"live-good", "What a brilliant, wonderful ending!", "POSITIVE"},
		{"live-bad", "Terrible dialogue, I hate it", "NEGATIVE"},
	}
	for _, tc := range tests {
		publish(t, bus, chatEvent(t, tc.id, msg(tc.id, room, titleID, tc.body)))
		var got insightJSON
		if err := next(t, sub, &got); err != nil {
			t.Fatalf("next: %v", err)
		}
		// The room's events arrive in order; the other room's never do.
		in := got.InsightAdded
		if in.Message.ID != tc.id || in.Sentiment.Label != tc.label || in.Sentiment.Model == "" ||
			(tc.label == "POSITIVE") != (in.Sentiment.Score > 0) {
			t.Fatalf("insight %+v, want %s scored %s", in, tc.id, tc.label)
		}
	}

	_ = sub.Close()
	eventually(t, "the hub to drop the closed subscription", func() bool { return sg.LiveSubscribers(room) == 0 })
}

func TestInsightAddedRejects(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name string
		opts insights.Options
		room string
		want string
	}{
		{"malformed room", insights.Options{DataDir: dir, Bus: openBus(t, dir)}, "room t1", "BAD_USER_INPUT"},
		{"no bus", insights.Options{DataDir: t.TempDir()}, "room-t0001", "without an event bus"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sg := open(t, tc.opts)
			sub := viewertest.Client(sg.Handler(), viewertest.As("profile-1")).Websocket(`subscription($room: ID!) { insightAdded(roomId: $room) { message { id } } }`, client.Var("room", tc.room))
			defer sub.Close()
			var got insightJSON
			if err := next(t, sub, &got); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}
