package kafka_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/enginetest"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/bustest"
	"github.com/cinegraph/cinegraph/internal/events/kafka"
	"github.com/cinegraph/cinegraph/internal/telemetry"
)

// TestTracingAndLag publishes within a span and consumes with tracing on:
// the trace context travels as message headers, the consumer span is the
// producer span's child, both say messaging.system kafka; the lag gauge
// counts down to zero as the group commits.
func TestTracingAndLag(t *testing.T) {
	t.Parallel()
	rec := tracetest.NewSpanRecorder()
	p, err := telemetry.New(context.Background(), config.Tracing{Exporter: config.TracingOTLPGRPC, SamplingRatio: 1}, "test", telemetry.WithSpanProcessor(rec))
	if err != nil {
		t.Fatal(err)
	}
	cfg := enginetest.Storage(t).Kafka
	cfg.Brokers = enginetest.Kafka(t)
	cfg.Partitions = 1
	prefix := fmt.Sprintf("test-%d-%d.", time.Now().UnixNano(), runSeq.Add(1))
	deleteTopicsAtEnd(t, prefix)
	octx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := kafka.Open(octx, cfg, kafka.Options{TopicPrefix: prefix, Tracing: p})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })

	ctx, request := p.Tracer().Start(context.Background(), "request")
	const n = 3
	for i := 1; i <= n; i++ {
		if err := b.Publish(ctx, bustest.Event(t, events.TopicVideoEvents, "video-1", i)); err != nil {
			t.Fatal(err)
		}
	}
	request.End()
	lag := events.ConsumerLag(events.TopicVideoEvents, "traced")
	var got []events.Event
	var lags []float64 // the gauge as each handler call finds it
	cctx, stop := context.WithTimeout(context.Background(), bustest.Wait)
	defer stop()
	err = b.Consume(cctx, events.TopicVideoEvents, "traced", func(_ context.Context, ev events.Event) error {
		got = append(got, ev)
		lags = append(lags, gaugeValue(t, lag))
		if len(got) == n {
			stop()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n || got[0].Headers[events.HeaderTraceparent] == "" {
		t.Fatalf("consumed %d events, the first with headers %v", len(got), got[0].Headers)
	}
	// The gauge is set at each commit: the second call finds what the
	// first left, n-1.
	if lags[1] != n-1 || lags[2] != n-2 {
		t.Fatalf("lag as the handler found it: %v, want [_ %d %d]", lags, n-1, n-2)
	}

	sends, processes := map[trace.SpanID]bool{}, 0
	for _, s := range rec.Ended() {
		system := ""
		for _, a := range s.Attributes() {
			if a.Key == attribute.Key("messaging.system") {
				system = a.Value.AsString()
			}
		}
		switch s.Name() {
		case "send " + events.TopicVideoEvents:
			if s.SpanKind() != trace.SpanKindProducer || system != "kafka" || s.Parent().SpanID() != request.SpanContext().SpanID() {
				t.Fatalf("send span: kind %v system %q parent %v", s.SpanKind(), system, s.Parent())
			}
			sends[s.SpanContext().SpanID()] = true
		}
	}
	for _, s := range rec.Ended() {
		if s.Name() == "process "+events.TopicVideoEvents {
			processes++
			if s.SpanKind() != trace.SpanKindConsumer || !sends[s.Parent().SpanID()] || s.SpanContext().TraceID() != request.SpanContext().TraceID() {
				t.Fatalf("process span: kind %v parent %v, not a send span of the request's trace", s.SpanKind(), s.Parent())
			}
		}
	}
	if len(sends) != n || processes != n {
		t.Fatalf("%d send and %d process spans, want %d each", len(sends), processes, n)
	}
	if v := gaugeValue(t, lag); v != 0 {
		t.Fatalf("lag %v after consuming everything, want 0", v)
	}
}

func gaugeValue(t *testing.T, g interface{ Write(*dto.Metric) error }) float64 {
	t.Helper()
	var m dto.Metric
	if err := g.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetGauge().GetValue()
}
