package events

import (
	"context"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/telemetry"
)

// Deliveries hands the trace of each event a GraphQL subscription delivers
// from the stream that sends it to the server that writes it out.
//
// A subscription resolver returns a channel, and the server builds each
// response from a value read off it, without the context the value came
// with. So the server (internal/gqlserver, with tracing on) puts a
// Deliveries in the subscription's context, and whatever sends the values
// on the channel it returned calls Begin just before each send, in order,
// one call per value: a "deliver <field>" span, child of the event's trace
// context, or nil for a value without one. The server takes one with Next
// per response it builds, puts the span's trace context into that
// response's extensions and ends it. Without tracing there is no
// Deliveries in the context, and every method of a nil *Deliveries does
// nothing.
type Deliveries struct {
	tracer trace.Tracer
	name   string
	field  attribute.KeyValue

	mu    sync.Mutex
	spans []trace.Span // FIFO; nil for a value without trace context
}

type deliveriesKey struct{}

// NewDeliveries is the queue of one subscription to field ("messageAdded"),
// whose spans tracer starts.
func NewDeliveries(tracer trace.Tracer, field string) *Deliveries {
	return &Deliveries{tracer: tracer, name: "deliver " + field, field: attribute.String("graphql.field.name", field)}
}

// ContextWithDeliveries returns ctx carrying d.
func ContextWithDeliveries(ctx context.Context, d *Deliveries) context.Context {
	return context.WithValue(ctx, deliveriesKey{}, d)
}

// DeliveriesFrom is the Deliveries in ctx, nil when none (tracing off, or
// not a subscription).
func DeliveriesFrom(ctx context.Context) *Deliveries {
	d, _ := ctx.Value(deliveriesKey{}).(*Deliveries)
	return d
}

// Begin records that the next value sent is the event of topic whose
// headers are given: it starts the value's delivery span as a child of
// their trace context and queues it (nil, queued as well, when they carry
// none). Call it once per value, just before the send; it returns the span
// so that a sender that gives up (its context done) can end it.
func (d *Deliveries) Begin(topic string, headers map[string]string) trace.Span {
	if d == nil {
		return nil
	}
	var span trace.Span
	if len(headers) > 0 {
		parent := telemetry.Propagator().Extract(context.Background(), propagation.MapCarrier(headers))
		if trace.SpanContextFromContext(parent).IsValid() {
			_, span = d.tracer.Start(parent, d.name, trace.WithSpanKind(trace.SpanKindConsumer), trace.WithAttributes(
				semconv.MessagingDestinationName(topic),
				semconv.MessagingOperationTypeProcess,
				d.field,
			))
		}
	}
	d.Push(span)
	return span
}

// Push queues span (nil for none) for the next value sent: for a sender
// that relays values of a stream of its own, with the spans it took from
// that stream's Deliveries (Fork).
func (d *Deliveries) Push(span trace.Span) {
	if d == nil {
		return
	}
	d.mu.Lock()
	d.spans = append(d.spans, span)
	d.mu.Unlock()
}

// Next takes the span of the value delivered earliest and not taken yet;
// nil when that value had no trace context or nothing is queued.
func (d *Deliveries) Next() trace.Span {
	if d == nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.spans) == 0 {
		return nil
	}
	span := d.spans[0]
	d.spans[0] = nil
	d.spans = d.spans[1:]
	return span
}

// Fork is a Deliveries of the same subscription for an inner stream whose
// values a relaying sender takes with Next and passes on with Push (or
// ends, when it drops one); nil when d is.
func (d *Deliveries) Fork() *Deliveries {
	if d == nil {
		return nil
	}
	return &Deliveries{tracer: d.tracer, name: d.name, field: d.field}
}
