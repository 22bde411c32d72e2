// Package events defines the event bus Cinegraph's subgraphs publish domain
// events to and consume them from: an append-only log per topic, ordered per
// key, with consumer groups that commit after processing. The embedded bus
// (package events/embedded) keeps the log in a local SQLite file; the Kafka
// bus implements the same interface for cluster mode.
//
// Events carry the trace context of whoever made them (Event.Headers, W3C
// traceparent, tracestate and baggage; WithTrace), which both buses store
// and return; with tracing on they span each publish and each handler call
// by the OpenTelemetry messaging conventions (Tracing, trace.go), and
// Deliveries (delivery.go) takes an event's trace on to the GraphQL
// subscription response that delivers it. With tracing off none of it adds
// headers or allocates. The pipeline's gauges (metrics.go) are the outbox
// backlog and the consumer lag.
package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Topics every Cinegraph deployment has.
const (
	TopicCatalogChanges = "catalog.changes"
	TopicChatMessages   = "chat.messages"
	TopicVideoEvents    = "video.events"
	TopicInsights       = "insights.results"
	// TopicVideoFrames carries keyframes the media pipeline extracted, for
	// the insights subgraph's object detector.
	TopicVideoFrames = "video.frames"
)

// Event is one record in a topic.
type Event struct {
	// ID is unique per event; publishing the same ID twice stores it once,
	// and consumers may use it to drop redeliveries.
	ID string `json:"id"`
	// Topic the event belongs to.
	Topic string `json:"topic"`
	// Key orders events: events with the same key are delivered in the order
	// they were published. Usually the entity id.
	Key string `json:"key"`
	// Type names the payload's shape, e.g. "chat.message.posted".
	Type string `json:"type"`
	// Time is when the event happened.
	Time time.Time `json:"time"`
	// Payload is the event body, JSON.
	Payload json.RawMessage `json:"payload"`
	// Offset is the event's position in its topic, set by the bus on delivery.
	Offset int64 `json:"offset,omitempty"`
	// Headers carry the trace context of whoever made the event (the W3C
	// traceparent, tracestate and baggage fields: WithTrace), so its
	// consumers continue that trace. Nil when tracing is off; the buses and
	// the outbox store and return them unchanged.
	Headers map[string]string `json:"headers,omitempty"`
}

// Validate reports what is missing from an event about to be published.
func (e Event) Validate() error {
	var problems []error
	if e.ID == "" {
		problems = append(problems, errors.New("id is empty"))
	}
	if e.Topic == "" {
		problems = append(problems, errors.New("topic is empty"))
	}
	if e.Type == "" {
		problems = append(problems, errors.New("type is empty"))
	}
	if e.Time.IsZero() {
		problems = append(problems, errors.New("time is zero"))
	}
	if len(e.Payload) == 0 || !json.Valid(e.Payload) {
		problems = append(problems, errors.New("payload is not valid JSON"))
	}
	if len(problems) > 0 {
		return fmt.Errorf("event %q: %w", e.ID, errors.Join(problems...))
	}
	return nil
}

// New builds an event with payload encoded as JSON.
func New(topic, key, typ, id string, at time.Time, payload any) (Event, error) {
	raw, err := json.Marshal(payload)
	if err != nil {
		return Event{}, fmt.Errorf("encode %s payload: %w", typ, err)
	}
	return Event{ID: id, Topic: topic, Key: key, Type: typ, Time: at.UTC(), Payload: raw}, nil
}

// Handler processes one event. Returning an error stops the consumer without
// committing the event, so it is delivered again on the next start.
type Handler func(ctx context.Context, ev Event) error

// Publisher appends events to their topics.
type Publisher interface {
	// Publish stores every event or none; an ID already stored is skipped.
	Publish(ctx context.Context, evs ...Event) error
}

// Bus is the whole event bus.
type Bus interface {
	Publisher
	// Consume delivers each event of topic to h, at least once, for the
	// consumer group: a group resumes after its last committed event.
	// It blocks until ctx is done (returning nil) or h fails.
	Consume(ctx context.Context, topic, group string, h Handler) error
	// Listen streams events published to topic after the call, for live fan-out
	// inside this process (subscriptions). The channel closes when ctx is done.
	Listen(ctx context.Context, topic string) (<-chan Event, error)
	// Close releases the bus.
	Close() error
}
