package events

import (
	"context"
	"maps"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/telemetry"
)

// Trace context headers an event carries (Event.Headers): the W3C trace
// context and baggage fields, under the names the W3C gives them, which are
// also the Kafka message header keys.
const (
	HeaderTraceparent = "traceparent"
	HeaderTracestate  = "tracestate"
	HeaderBaggage     = "baggage"
)

// Messaging systems, the messaging.system attribute of the bus spans.
const (
	// SystemKafka is the Kafka bus (the conventions' own name).
	SystemKafka = "kafka"
	// SystemEmbedded is the embedded SQLite log, which the conventions do
	// not name.
	SystemEmbedded = "cinegraph_embedded"
)

// WithTrace returns ev carrying the trace context of ctx in its Headers,
// written with the process's propagator, so that whoever handles the
// event continues the trace. Without a span context in ctx (tracing off,
// or a context no request started) ev is returned as is, at no cost.
// Headers ev already has are kept.
func WithTrace(ctx context.Context, ev Event) Event {
	if len(ev.Headers) > 0 || !trace.SpanContextFromContext(ctx).IsValid() {
		return ev
	}
	h := make(map[string]string, 3)
	telemetry.Current().Propagator().Inject(ctx, propagation.MapCarrier(h))
	if len(h) > 0 {
		ev.Headers = h
	}
	return ev
}

// TraceContext returns ctx with the trace context (and baggage) ev's
// Headers carry; ctx itself when they carry none.
func (e Event) TraceContext(ctx context.Context) context.Context {
	if len(e.Headers) == 0 {
		return ctx
	}
	return telemetry.Propagator().Extract(ctx, propagation.MapCarrier(e.Headers))
}

// Tracing is a bus's OpenTelemetry instrumentation, following the
// messaging conventions: a producer span ("send <topic>") per event
// published and a consumer span ("process <topic>") around each handler
// call. A nil *Tracing (tracing off) does nothing and costs nothing.
type Tracing struct {
	tracer trace.Tracer
	prop   propagation.TextMapPropagator
	system attribute.KeyValue
}

// NewTracing is the instrumentation of a bus of system (SystemKafka,
// SystemEmbedded) over p, the process's provider when nil; nil when p
// records nothing.
func NewTracing(p *telemetry.Provider, system string) *Tracing {
	if p == nil {
		p = telemetry.Current()
	}
	if !telemetry.Recording(p.TracerProvider()) {
		return nil
	}
	return &Tracing{tracer: p.Tracer(), prop: p.Propagator(), system: semconv.MessagingSystemKey.String(system)}
}

// noEnd is what a nil Tracing hands back: a static function, so that the
// untraced path allocates nothing.
func noEnd(error) {}

// Publish starts the producer span of each event of evs and returns the
// events to write, and the function that ends the spans with the
// publish's outcome. An event that carries trace context already (written
// to an outbox by the request that made it) is sent in a span continuing
// that context; any other event's span is a child of ctx. Either way the
// span's context goes into the event's headers (other headers, baggage
// among them, kept), so each consumer's span is a child of the send, one
// hop further along the request's trace. evs itself is not modified.
func (t *Tracing) Publish(ctx context.Context, evs []Event) ([]Event, func(error)) {
	if t == nil || len(evs) == 0 {
		return evs, noEnd
	}
	out := make([]Event, len(evs))
	spans := make([]trace.Span, len(evs))
	for i, ev := range evs {
		parent := ctx
		if len(ev.Headers) > 0 {
			parent = t.prop.Extract(ctx, propagation.MapCarrier(ev.Headers))
		}
		attrs := []attribute.KeyValue{
			t.system,
			semconv.MessagingDestinationName(ev.Topic),
			semconv.MessagingOperationTypeSend,
			semconv.MessagingOperationName("send"),
			semconv.MessagingMessageID(ev.ID),
		}
		if len(evs) > 1 {
			attrs = append(attrs, semconv.MessagingBatchMessageCount(len(evs)))
		}
		sctx, span := t.tracer.Start(parent, "send "+ev.Topic, trace.WithSpanKind(trace.SpanKindProducer), trace.WithAttributes(attrs...))
		h := make(map[string]string, max(3, len(ev.Headers)))
		maps.Copy(h, ev.Headers)
		t.prop.Inject(sctx, propagation.MapCarrier(h))
		if len(h) > 0 {
			ev.Headers = h
		}
		out[i], spans[i] = ev, span
	}
	return out, func(err error) {
		for _, span := range spans {
			if err != nil {
				span.RecordError(err)
				span.SetStatus(codes.Error, err.Error())
			}
			span.End()
		}
	}
}

// Process starts the consumer span of ev's handling by group: a child of
// the trace context ev carries, or the root of a trace of its own when it
// carries none. It returns the context to call the handler with and the
// function that ends the span with the handler's outcome.
func (t *Tracing) Process(ctx context.Context, group string, ev Event) (context.Context, func(error)) {
	if t == nil {
		return ctx, noEnd
	}
	opts := []trace.SpanStartOption{
		trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithAttributes(
			t.system,
			semconv.MessagingDestinationName(ev.Topic),
			semconv.MessagingOperationTypeProcess,
			semconv.MessagingOperationName("process"),
			semconv.MessagingConsumerGroupName(group),
			semconv.MessagingMessageID(ev.ID),
		),
	}
	parent := ctx
	if len(ev.Headers) > 0 {
		parent = t.prop.Extract(ctx, propagation.MapCarrier(ev.Headers))
	} else {
		// The consume loop's own context may carry a span (the one that
		// started the loop): an event without trace context is no part of it.
		opts = append(opts, trace.WithNewRoot())
	}
	ctx, span := t.tracer.Start(parent, "process "+ev.Topic, opts...)
	return ctx, func(err error) {
		if err != nil {
			span.RecordError(err)
			span.SetStatus(codes.Error, err.Error())
		}
		span.End()
	}
}
