// Package relay moves chat events from the store's outbox to the event bus
// with the shared outbox relay: a message and its event are committed
// together, and the event is published afterwards.
package relay

import (
	"log/slog"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/outbox"
)

// BatchSize is how many outbox events one publish carries.
const BatchSize = outbox.DefaultBatchSize

// Outbox is the part of the store the relay reads and trims.
type Outbox = outbox.Store

// Relay publishes outbox events to a bus.
type Relay = outbox.Relay

// New returns a relay from the chat outbox to pub.
func New(store Outbox, pub events.Publisher, logger *slog.Logger) *Relay {
	return outbox.New(store, pub, outbox.Options{Name: "chat", Logger: logger})
}
