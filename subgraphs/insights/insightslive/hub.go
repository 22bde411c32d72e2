// Package insightslive fans scored chat messages out to live subscribers with the
// shared fan-out hub: one bus listener per process feeds every
// subscription, routed by room.
package insightslive

import (
	"log/slog"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/fanout"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
)

// Scored is one live message's sentiment, as subscribers receive it.
type Scored = insightsservice.SentimentScored

// Hub routes insights.sentiment.scored events to subscriptions by room.
type Hub = fanout.Hub[string, Scored]

// Subscription receives the scores of one room's messages.
type Subscription = fanout.Subscription[string, Scored]

// New returns a hub; buffer <= 0 means fanout.DefaultBuffer.
func New(buffer int, logger *slog.Logger) *Hub {
	return fanout.New(fanout.Config[string, Scored]{
		Name:   "insights hub",
		Topic:  events.TopicInsights,
		Type:   insightsservice.EventTypeSentimentScored,
		Decode: fanout.JSON[Scored],
		Key:    func(sc Scored) string { return sc.RoomID },
		Buffer: buffer,
		Logger: logger,
	})
}
