package events_test

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/telemetry"
)

// TestUntracedCostsNothing: with tracing off (no provider recording, no
// span context) the instrumentation adds no headers and allocates nothing.
func TestUntracedCostsNothing(t *testing.T) {
	ev := events.Event{ID: "e", Topic: "t", Key: "k", Type: "x", Time: time.Unix(1, 0), Payload: []byte(`{}`)}
	evs := []events.Event{ev}
	ctx := context.Background()
	off := events.NewTracing(telemetry.Disabled(), events.SystemEmbedded)
	if off != nil {
		t.Fatal("a Tracing over the disabled provider")
	}
	var d *events.Deliveries
	cases := []struct {
		name string
		run  func()
	}{
		{"WithTrace", func() { ev = events.WithTrace(ctx, ev) }},
		{"Publish", func() { _, end := off.Publish(ctx, evs); end(nil) }},
		{"Process", func() { _, end := off.Process(ctx, "g", ev); end(nil) }},
		{"TraceContext", func() { _ = ev.TraceContext(ctx) }},
		{"Deliveries", func() { d = events.DeliveriesFrom(ctx); _ = d.Begin("t", nil); _ = d.Next() }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if n := testing.AllocsPerRun(100, tc.run); n != 0 {
				t.Fatalf("%v allocations", n)
			}
		})
	}
	if ev.Headers != nil {
		t.Fatalf("headers %v added without trace context", ev.Headers)
	}
}

// TestDeliveriesKeepOrder: the spans come out in the order the values
// went in, nil for a value without trace context, each a child of its
// event's context.
func TestDeliveriesKeepOrder(t *testing.T) {
	t.Parallel()
	rec := tracetest.NewSpanRecorder()
	p, err := telemetry.New(context.Background(), config.Tracing{Exporter: config.TracingOTLPGRPC, SamplingRatio: 1}, "test", telemetry.WithSpanProcessor(rec))
	if err != nil {
		t.Fatal(err)
	}
	d := events.NewDeliveries(p.Tracer(), "messageAdded")
	parents := []trace.TraceID{{1}, {}, {3}}
	for _, id := range parents {
		var h map[string]string
		if id.IsValid() {
			h = map[string]string{events.HeaderTraceparent: "00-" + id.String() + "-0102030405060708-01"}
		}
		d.Begin("t", h)
	}
	for i, id := range parents {
		span := d.Next()
		switch {
		case !id.IsValid() && span != nil:
			t.Fatalf("value %d: a span without trace context", i)
		case id.IsValid() && (span == nil || span.SpanContext().TraceID() != id):
			t.Fatalf("value %d: span %v, want one in trace %s", i, span, id)
		}
		if span != nil {
			span.End()
		}
	}
	if d.Next() != nil {
		t.Fatal("a span beyond the values sent")
	}
	for _, s := range rec.Ended() {
		if s.Name() != "deliver messageAdded" || s.Parent().SpanID() != (trace.SpanID{1, 2, 3, 4, 5, 6, 7, 8}) {
			t.Fatalf("span %s with parent %v", s.Name(), s.Parent())
		}
	}
}

// TestPublishPassesOnTheSendSpan: an event written under a request's span
// (to an outbox) is sent in a span that is the request span's child, and
// carries that send span on, its baggage kept, so its consumer's span is
// the send's child; an event without context is sent under ctx's span.
func TestPublishPassesOnTheSendSpan(t *testing.T) {
	t.Parallel()
	rec := tracetest.NewSpanRecorder()
	p, err := telemetry.New(context.Background(), config.Tracing{Exporter: config.TracingOTLPGRPC, SamplingRatio: 1}, "test", telemetry.WithSpanProcessor(rec))
	if err != nil {
		t.Fatal(err)
	}
	tracer := p.Tracer()
	reqCtx, req := tracer.Start(context.Background(), "request")
	sealed := events.Event{ID: "sealed", Topic: "chat.messages", Headers: map[string]string{
		events.HeaderTraceparent: "00-" + req.SpanContext().TraceID().String() + "-" + req.SpanContext().SpanID().String() + "-01",
		events.HeaderBaggage:     "tenant=t1",
	}}
	relayCtx, relay := tracer.Start(context.Background(), "relay")
	bare := events.Event{ID: "bare", Topic: "chat.messages"}

	tr := events.NewTracing(p, events.SystemEmbedded)
	out, end := tr.Publish(relayCtx, []events.Event{sealed, bare})
	end(nil)
	relay.End()
	req.End()
	if sealed.Headers[events.HeaderTraceparent] == out[0].Headers[events.HeaderTraceparent] || bare.Headers != nil {
		t.Fatal("Publish modified the events it was given")
	}
	for i, parent := range []trace.Span{req, relay} {
		_, done := tr.Process(context.Background(), "insights", out[i])
		done(nil)
		spans := rec.Ended()
		consumer := spans[len(spans)-1]
		var send trace.SpanContext
		for _, s := range spans {
			if s.Name() == "send chat.messages" && s.Parent().SpanID() == parent.SpanContext().SpanID() {
				send = s.SpanContext()
			}
		}
		if !send.IsValid() {
			t.Fatalf("event %s: no send span under %v", out[i].ID, parent.SpanContext().SpanID())
		}
		if consumer.Parent().SpanID() != send.SpanID() || consumer.SpanContext().TraceID() != parent.SpanContext().TraceID() {
			t.Errorf("event %s: consumer's parent %v, want the send span %v", out[i].ID, consumer.Parent().SpanID(), send.SpanID())
		}
	}
	if out[0].Headers[events.HeaderBaggage] != "tenant=t1" {
		t.Errorf("baggage lost: %v", out[0].Headers)
	}
	_ = reqCtx
}
