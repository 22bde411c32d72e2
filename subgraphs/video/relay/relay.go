// Package relay moves the video subgraph's outbox to the event bus with the
// shared outbox relay: events written alongside domain changes are published
// afterwards, then deleted.
package relay

import (
	"context"
	"log/slog"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/outbox"
	"github.com/cinegraph/cinegraph/subgraphs/video/service"
)

// Defaults for Options left zero.
const (
	DefaultInterval  = outbox.DefaultInterval
	DefaultBatchSize = outbox.DefaultBatchSize
)

// Options tune a Relay.
type Options struct {
	// Interval is how often the outbox is polled when nothing wakes the
	// relay, and how long it backs off after a failure.
	Interval time.Duration
	// BatchSize bounds the events published per bus call.
	BatchSize int
	Logger    *slog.Logger
}

// Relay publishes outbox events to a bus.
type Relay = outbox.Relay

// New returns a relay from the video outbox to bus; start it with Run.
func New(store service.Outbox, bus events.Publisher, opts Options) *Relay {
	return outbox.New(eventOutbox{store}, bus, outbox.Options{
		Name: "video", Interval: opts.Interval, BatchSize: opts.BatchSize, Logger: opts.Logger,
	})
}

// eventOutbox presents the video store's outbox rows as bus events.
type eventOutbox struct{ service.Outbox }

func (o eventOutbox) PendingEvents(ctx context.Context, limit int) ([]events.Event, error) {
	pending, err := o.Outbox.PendingEvents(ctx, limit)
	if err != nil {
		return nil, err
	}
	evs := make([]events.Event, len(pending))
	for i, p := range pending {
		evs[i] = events.Event{ID: p.ID, Topic: p.Topic, Key: p.Key, Type: p.Type, Time: p.Time, Payload: p.Payload}
	}
	return evs, nil
}
