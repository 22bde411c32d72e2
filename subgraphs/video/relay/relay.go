// Package relay moves the video subgraph's outbox to the event bus: it
// publishes events written alongside domain changes, then deletes them.
// Because an event leaves the outbox only after the bus accepted it, and the
// bus drops duplicate ids, a crash at any point loses and duplicates nothing.
package relay

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/subgraphs/video/service"
)

// Defaults for Options left zero.
const (
	DefaultInterval  = time.Second
	DefaultBatchSize = 100
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
type Relay struct {
	outbox service.Outbox
	bus    events.Publisher
	opts   Options
	wake   chan struct{}
}

// New returns a relay from outbox to bus; start it with Run.
func New(outbox service.Outbox, bus events.Publisher, opts Options) *Relay {
	if opts.Interval <= 0 {
		opts.Interval = DefaultInterval
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Relay{outbox: outbox, bus: bus, opts: opts, wake: make(chan struct{}, 1)}
}

// Notify asks the relay to look at the outbox now; it never blocks.
func (r *Relay) Notify() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run publishes pending events until ctx is done, first those left by an
// earlier run, then each time it is notified or the interval passes.
func (r *Relay) Run(ctx context.Context) error {
	ticker := time.NewTicker(r.opts.Interval)
	defer ticker.Stop()
	for {
		if _, err := r.Flush(ctx); err != nil && ctx.Err() == nil {
			r.opts.Logger.WarnContext(ctx, "video outbox relay: publish failed, retrying", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-r.wake:
		case <-ticker.C:
		}
	}
}

// Flush publishes every pending event, batch by batch, and reports how many
// left the outbox.
func (r *Relay) Flush(ctx context.Context) (int, error) {
	sent := 0
	for {
		pending, err := r.outbox.PendingEvents(ctx, r.opts.BatchSize)
		if err != nil {
			return sent, fmt.Errorf("read outbox: %w", err)
		}
		if len(pending) == 0 {
			return sent, nil
		}
		evs := make([]events.Event, len(pending))
		ids := make([]string, len(pending))
		for i, p := range pending {
			evs[i] = events.Event{ID: p.ID, Topic: p.Topic, Key: p.Key, Type: p.Type, Time: p.Time, Payload: p.Payload}
			ids[i] = p.ID
		}
		if err := r.bus.Publish(ctx, evs...); err != nil {
			return sent, fmt.Errorf("publish %d outbox events: %w", len(evs), err)
		}
		if err := r.outbox.DeleteEvents(ctx, ids); err != nil {
			return sent, fmt.Errorf("delete %d published events: %w", len(ids), err)
		}
		sent += len(ids)
		if len(pending) < r.opts.BatchSize {
			return sent, nil
		}
	}
}
