// Package outbox publishes events that were committed to a store's outbox
// together with the domain change they announce. The relay hands them to
// the bus afterwards and deletes them only once the bus has them, so a crash
// between the two writes delays an event but never loses it; the bus and
// consumers drop a duplicate by event id if one is published twice.
//
// An event written with Seal keeps the trace context of the request that
// wrote it, inside the stored payload (seal.go); the relay publishes it
// with those headers, so the trace goes on from that request however
// late the event leaves. The relay reports its backlog as
// cinegraph_outbox_backlog (events.OutboxBacklog).
package outbox

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cinegraph/cinegraph/internal/events"
)

// Defaults for Options left zero.
const (
	// DefaultBatchSize is how many events one publish carries at most.
	DefaultBatchSize = 100
	// DefaultInterval is how often the outbox is checked without a wake-up,
	// and so the retry delay after a failure.
	DefaultInterval = time.Second
)

// Store is the outbox side of a store: pending events, oldest first.
type Store interface {
	PendingEvents(ctx context.Context, limit int) ([]events.Event, error)
	DeleteEvents(ctx context.Context, ids []string) error
}

// Counter is a Store that can count its pending events, which makes the
// backlog gauge exact while the bus refuses events; without it the gauge
// shows at most one batch then.
type Counter interface {
	PendingCount(ctx context.Context) (int, error)
}

// Options tune a Relay.
type Options struct {
	// Name says whose outbox this is, in log lines and as the outbox label
	// of the backlog gauge.
	Name      string
	Interval  time.Duration
	BatchSize int
	Logger    *slog.Logger
}

// Relay moves events from a Store's outbox to a Publisher.
type Relay struct {
	store Store
	pub   events.Publisher
	opts  Options
	wake  chan struct{}
	// backlog is the events read and not yet published, as of the
	// latest pass.
	backlog prometheus.Gauge
}

// New returns a relay from store to pub; start it with Run.
func New(store Store, pub events.Publisher, opts Options) *Relay {
	if opts.Interval <= 0 {
		opts.Interval = DefaultInterval
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Relay{store: store, pub: pub, opts: opts, wake: make(chan struct{}, 1), backlog: events.OutboxBacklog(opts.Name)}
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
func (r *Relay) Run(ctx context.Context) error {
	ticker := time.NewTicker(r.opts.Interval)
	defer ticker.Stop()
	for {
		if _, err := r.Flush(ctx); err != nil && ctx.Err() == nil {
			r.opts.Logger.WarnContext(ctx, "outbox relay: publish failed, will retry", "outbox", r.opts.Name, "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-r.wake:
		case <-ticker.C:
		}
	}
}

// Flush publishes every pending event, batch by batch in outbox order, and
// reports how many left the outbox.
func (r *Relay) Flush(ctx context.Context) (int, error) {
	sent := 0
	for {
		pending, err := r.store.PendingEvents(ctx, r.opts.BatchSize)
		if err != nil {
			return sent, fmt.Errorf("read outbox: %w", err)
		}
		if len(pending) == 0 {
			r.backlog.Set(0)
			return sent, nil
		}
		r.backlog.Set(float64(len(pending)))
		for i := range pending {
			pending[i] = Unseal(pending[i])
		}
		if err := r.pub.Publish(ctx, pending...); err != nil {
			r.countBacklog(ctx)
			return sent, fmt.Errorf("publish %d events: %w", len(pending), err)
		}
		ids := make([]string, len(pending))
		for i, ev := range pending {
			ids[i] = ev.ID
		}
		// The bus has the events now: a delete lost here only means they are
		// published again, which the bus ignores by id. It must land even if
		// ctx ends meanwhile.
		if err := r.store.DeleteEvents(context.WithoutCancel(ctx), ids); err != nil {
			return sent, fmt.Errorf("trim outbox: %w", err)
		}
		sent += len(pending)
		if len(pending) < r.opts.BatchSize {
			r.backlog.Set(0)
			return sent, nil
		}
	}
}

// countBacklog sets the backlog gauge after a failed publish to the exact
// count when the store can tell it; otherwise it stays at the batch that
// failed, which is what is known to wait.
func (r *Relay) countBacklog(ctx context.Context) {
	c, ok := r.store.(Counter)
	if !ok {
		return
	}
	n, err := c.PendingCount(ctx)
	if err != nil {
		return
	}
	r.backlog.Set(float64(n))
}
