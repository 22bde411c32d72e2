// Package relay publishes the catalog's outbox to the event bus: a change
// and the event announcing it commit together in the store, and the relay
// hands the event to the bus afterwards, deleting it only once published.
// A crash between the two delays the event; it is never lost, and the bus
// drops a duplicate by event id.
package relay

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
)

// Defaults.
const (
	// DefaultBatch is how many events one publish carries at most.
	DefaultBatch = 100
	// DefaultInterval is how often the outbox is checked without a wake-up,
	// and so the retry delay after a failure.
	DefaultInterval = time.Second
)

// Outbox is the store side of the relay.
type Outbox interface {
	PendingEvents(ctx context.Context, limit int) ([]events.Event, error)
	DeleteEvents(ctx context.Context, ids []string) error
}

// Relay moves events from an Outbox to a Publisher.
type Relay struct {
	outbox   Outbox
	pub      events.Publisher
	logger   *slog.Logger
	interval time.Duration
	wake     chan struct{}
}

// New returns a relay; interval 0 means DefaultInterval.
func New(outbox Outbox, pub events.Publisher, logger *slog.Logger, interval time.Duration) *Relay {
	if logger == nil {
		logger = slog.Default()
	}
	if interval <= 0 {
		interval = DefaultInterval
	}
	return &Relay{outbox: outbox, pub: pub, logger: logger, interval: interval, wake: make(chan struct{}, 1)}
}

// Wake asks for a pass now; it never blocks, and wake-ups coalesce.
func (r *Relay) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run relays until ctx is done: once at start (events an earlier run left),
// then on every Wake and every interval.
func (r *Relay) Run(ctx context.Context) {
	ticker := time.NewTicker(r.interval)
	defer ticker.Stop()
	for {
		if _, err := r.Flush(ctx); err != nil && ctx.Err() == nil {
			r.logger.WarnContext(ctx, "catalog relay: will retry", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-r.wake:
		case <-ticker.C:
		}
	}
}

// Flush publishes every pending event, batch by batch, and reports how
// many it published.
func (r *Relay) Flush(ctx context.Context) (int, error) {
	sent := 0
	for {
		evs, err := r.outbox.PendingEvents(ctx, DefaultBatch)
		if err != nil {
			return sent, fmt.Errorf("read outbox: %w", err)
		}
		if len(evs) == 0 {
			return sent, nil
		}
		if err := r.pub.Publish(ctx, evs...); err != nil {
			return sent, fmt.Errorf("publish %d events: %w", len(evs), err)
		}
		ids := make([]string, len(evs))
		for i, ev := range evs {
			ids[i] = ev.ID
		}
		if err := r.outbox.DeleteEvents(ctx, ids); err != nil {
			// Published but kept: the next pass republishes them, and the
			// bus skips ids it already has.
			return sent, fmt.Errorf("trim outbox: %w", err)
		}
		sent += len(evs)
	}
}
