// Package relay moves chat events from the store's outbox to the event bus:
// a message and its event are committed together, and the relay publishes
// the event afterwards and deletes it only once the bus has it. A crash in
// between only delays the event; the bus drops the duplicate by event id
// if it is published twice.
package relay

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
)

// Tuning.
const (
	// BatchSize is how many outbox events one publish carries.
	BatchSize = 100
	// PollInterval bounds how long an event waits when no wake-up comes,
	// and the retry delay after a failed publish.
	PollInterval = time.Second
)

// Outbox is the part of the store the relay reads and trims.
type Outbox interface {
	PendingEvents(ctx context.Context, limit int) ([]events.Event, error)
	DeleteEvents(ctx context.Context, ids []string) error
}

// Relay publishes outbox events to a bus.
type Relay struct {
	outbox Outbox
	pub    events.Publisher
	logger *slog.Logger
	wake   chan struct{}
}

// New returns a relay from outbox to pub.
func New(outbox Outbox, pub events.Publisher, logger *slog.Logger) *Relay {
	if logger == nil {
		logger = slog.Default()
	}
	return &Relay{outbox: outbox, pub: pub, logger: logger, wake: make(chan struct{}, 1)}
}

// Notify asks the relay to look at the outbox now; it never blocks.
func (r *Relay) Notify() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run relays until ctx is done, draining the outbox on start (events left
// by an earlier run), on every Notify and every PollInterval.
func (r *Relay) Run(ctx context.Context) {
	ticker := time.NewTicker(PollInterval)
	defer ticker.Stop()
	for {
		if _, err := r.Drain(ctx); err != nil && ctx.Err() == nil {
			r.logger.Warn("chat relay: will retry", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-r.wake:
		case <-ticker.C:
		}
	}
}

// Drain publishes every pending event, in outbox order, and returns how
// many it relayed.
func (r *Relay) Drain(ctx context.Context) (int, error) {
	total := 0
	for {
		pending, err := r.outbox.PendingEvents(ctx, BatchSize)
		if err != nil {
			return total, fmt.Errorf("read outbox: %w", err)
		}
		if len(pending) == 0 {
			return total, nil
		}
		if err := r.pub.Publish(ctx, pending...); err != nil {
			return total, fmt.Errorf("publish %d events: %w", len(pending), err)
		}
		ids := make([]string, len(pending))
		for i, ev := range pending {
			ids[i] = ev.ID
		}
		// The bus has the events now: a delete lost here only means they
		// are published again, which the bus ignores by id.
		if err := r.outbox.DeleteEvents(context.WithoutCancel(ctx), ids); err != nil {
			return total, fmt.Errorf("trim outbox: %w", err)
		}
		total += len(pending)
		if len(pending) < BatchSize {
			return total, nil
		}
	}
}
