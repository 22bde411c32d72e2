package outbox

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/cinegraph/cinegraph/internal/events"
)

// sealPrefix starts every sealed payload: encoding/json writes a struct's
// fields in order, so the envelope always begins so, and no domain
// payload has this key.
const sealPrefix = `{"cinegraph.outbox":1,`

// envelope is a sealed payload: the event's headers beside its payload.
// The stores' outbox tables keep an event's id, topic, key, type, time
// and payload; the headers ride in the payload column rather than in a
// column of their own, so every store (SQLite, PostgreSQL, Cassandra)
// keeps them without a schema change, and rows written before (or with
// tracing off) read as they always did.
type envelope struct {
	Version int               `json:"cinegraph.outbox"`
	Headers map[string]string `json:"headers"`
	Payload json.RawMessage   `json:"payload"`
}

// Seal prepares ev for a store's outbox: with the trace context of ctx
// (events.WithTrace) sealed into its payload, so that the relay publishes
// it, however much later, with the headers of the request that wrote it.
// Without trace context (tracing off) ev is returned as is, at no cost.
func Seal(ctx context.Context, ev events.Event) events.Event {
	ev = events.WithTrace(ctx, ev)
	if len(ev.Headers) == 0 {
		return ev
	}
	raw, err := json.Marshal(envelope{Version: 1, Headers: ev.Headers, Payload: ev.Payload})
	if err != nil {
		// The payload is not valid JSON: left as is, for the store and
		// Validate to refuse with their own errors.
		return ev
	}
	ev.Payload = raw
	ev.Headers = nil
	return ev
}

// Unseal undoes Seal on an event read back from an outbox: its payload as
// it was and its headers restored. Any other event (one written without
// trace context, or before tracing existed) is returned as is.
func Unseal(ev events.Event) events.Event {
	if !bytes.HasPrefix(ev.Payload, []byte(sealPrefix)) {
		return ev
	}
	var env envelope
	if err := json.Unmarshal(ev.Payload, &env); err != nil || env.Version != 1 || len(env.Payload) == 0 {
		return ev
	}
	ev.Payload = env.Payload
	if len(env.Headers) > 0 {
		ev.Headers = env.Headers
	}
	return ev
}
