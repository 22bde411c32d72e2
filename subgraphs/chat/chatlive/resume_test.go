package chatlive

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/telemetry"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
)

// TestStreamAfterQueuesTraces resumes a subscription with tracing on:
// each value sent has one delivery queued, in order: none for the
// backlog's messages, which no event brought, the event's trace for a
// live one, and nothing for a live message the backlog already held.
func TestStreamAfterQueuesTraces(t *testing.T) {
	t.Parallel()
	rec := tracetest.NewSpanRecorder()
	p, err := telemetry.New(context.Background(), config.Tracing{Exporter: config.TracingOTLPGRPC, SamplingRatio: 1}, "test", telemetry.WithSpanProcessor(rec))
	if err != nil {
		t.Fatal(err)
	}
	bus := make(chanBus, 4)
	h := New(4, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	run, err := h.Listen(ctx, bus)
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = run() }()

	traced := func(id string, tid trace.TraceID) events.Event {
		ev := posted(t, id, "room-a")
		ev.Headers = map[string]string{events.HeaderTraceparent: "00-" + tid.String() + "-0102030405060708-01"}
		return ev
	}
	msg := func(id string) chatservice.Message {
		return chatservice.Message{ID: id, RoomID: "room-a", AuthorID: "profile-1", Body: "b " + id, SentAt: time.Unix(100, 0).UTC()}
	}
	d := events.NewDeliveries(p.Tracer(), "messageAdded")
	sctx := events.ContextWithDeliveries(ctx, d)
	out := StreamAfter(sctx, h.Subscribe("room-a"), chatservice.Cursor{}, []chatservice.Message{msg("m1"), msg("m2")}, nil)

	bus <- traced("m2", trace.TraceID{2}) // the backlog had it
	bus <- traced("m3", trace.TraceID{3})
	want := []struct {
		id    string
		trace trace.TraceID
	}{{"m1", trace.TraceID{}}, {"m2", trace.TraceID{}}, {"m3", trace.TraceID{3}}}
	for i, w := range want {
		var m *chatservice.Message
		select {
		case m = <-out:
		case <-time.After(5 * time.Second):
			t.Fatalf("value %d never came", i)
		}
		span := d.Next()
		switch {
		case m.ID != w.id:
			t.Fatalf("value %d is %s, want %s", i, m.ID, w.id)
		case !w.trace.IsValid() && span != nil:
			t.Fatalf("%s: a delivery span for a backlog message", m.ID)
		case w.trace.IsValid() && (span == nil || span.SpanContext().TraceID() != w.trace):
			t.Fatalf("%s: delivery span %v, want one in trace %s", m.ID, span, w.trace)
		}
	}
	// The skipped duplicate's span was ended, not queued.
	ended := 0
	for _, s := range rec.Ended() {
		if s.SpanContext().TraceID() == (trace.TraceID{2}) {
			ended++
		}
	}
	if ended != 1 || d.Next() != nil {
		t.Fatalf("%d spans of the skipped duplicate ended, want 1; queue not empty: %v", ended, d.Next() != nil)
	}
}
