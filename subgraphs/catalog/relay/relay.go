// Package relay publishes the catalog's outbox to the event bus with the
// shared outbox relay: a change and the event announcing it commit together
// in the store, and the event is published afterwards.
package relay

import (
	"log/slog"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/outbox"
)

// Defaults.
const (
	DefaultBatch    = outbox.DefaultBatchSize
	DefaultInterval = outbox.DefaultInterval
)

// Outbox is the store side of the relay.
type Outbox = outbox.Store

// Relay moves events from an Outbox to a Publisher.
type Relay = outbox.Relay

// New returns a relay; interval 0 means DefaultInterval.
func New(store Outbox, pub events.Publisher, logger *slog.Logger, interval time.Duration) *Relay {
	return outbox.New(store, pub, outbox.Options{Name: "catalog", Logger: logger, Interval: interval})
}
