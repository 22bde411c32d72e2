package embedded

import (
	"context"
	"maps"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/internal/telemetry"
)

// TestHeadersRoundTrip checks that an event's headers come back from the
// log as they went in, through Consume and Listen, and that an event
// without headers comes back without.
func TestHeadersRoundTrip(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		headers map[string]string
	}{
		{"none", nil},
		{"trace context", map[string]string{
			events.HeaderTraceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
			events.HeaderTracestate:  "congo=t61rcWkgMzE",
		}},
		{"baggage too", map[string]string{
			events.HeaderTraceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00",
			events.HeaderBaggage:     "userId=alice",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := openBus(t, filepath.Join(t.TempDir(), "events.db"))
			defer b.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			live, err := b.Listen(ctx, "t")
			if err != nil {
				t.Fatal(err)
			}
			ev := event(t, "t", "k", 1)
			ev.Headers = tc.headers
			if err := b.Publish(ctx, ev); err != nil {
				t.Fatal(err)
			}
			consumed := collect(t, b, "t", "g", 1)
			var listened events.Event
			select {
			case listened = <-live:
			case <-ctx.Done():
				t.Fatal("nothing listened")
			}
			for how, got := range map[string]events.Event{"consumed": consumed[0], "listened": listened} {
				if !maps.Equal(got.Headers, tc.headers) || (tc.headers == nil && got.Headers != nil) {
					t.Errorf("%s headers %v, want %v", how, got.Headers, tc.headers)
				}
			}
		})
	}
}

// TestMigrationKeepsEventsWithoutHeaders opens a log written before
// events had headers: its events are delivered, without headers.
func TestMigrationKeepsEventsWithoutHeaders(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "events.db")
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlite.Migrate(context.Background(), db, migrations[:2]); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO events (id, topic, key, type, time, payload, appended) VALUES ('old', 't', 'k', 'x', 1, '{"n":1}', 1)`); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	b := openBus(t, path)
	defer b.Close()
	if err := b.Publish(context.Background(), events.Event{ID: "new", Topic: "t", Key: "k", Type: "x", Time: time.Unix(2, 0), Payload: []byte(`{}`),
		Headers: map[string]string{events.HeaderTraceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}}); err != nil {
		t.Fatal(err)
	}
	got := collect(t, b, "t", "g", 2)
	if len(got) != 2 || got[0].ID != "old" || got[0].Headers != nil || string(got[0].Payload) != `{"n":1}` || got[1].ID != "new" || len(got[1].Headers) != 1 {
		t.Fatalf("got %+v", got)
	}
}

// TestTracing publishes and consumes with tracing on: the producer span
// is a child of the publisher's span, the consumer span a child of the
// producer span, all in one trace; an event that already carries trace
// context (from an outbox) is sent in a child of that context, and the
// consumer span is a child of the send.
func TestTracing(t *testing.T) {
	t.Parallel()
	written := trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{9, 9}, SpanID: trace.SpanID{9, 9}, TraceFlags: trace.FlagsSampled})
	cases := []struct {
		name string
		// headers the event has before it is published
		headers map[string]string
		// wantSendParent: "request" for the publisher's span, "written"
		// for the context in the headers
		wantSendParent string
	}{
		{"published in a request", nil, "request"},
		{"relayed from an outbox", map[string]string{events.HeaderTraceparent: "00-" + written.TraceID().String() + "-" + written.SpanID().String() + "-01"}, "written"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := tracetest.NewSpanRecorder()
			p, err := telemetry.New(context.Background(), config.Tracing{Exporter: config.TracingOTLPGRPC, SamplingRatio: 1}, "test", telemetry.WithSpanProcessor(rec))
			if err != nil {
				t.Fatal(err)
			}
			b, err := OpenWith(context.Background(), filepath.Join(t.TempDir(), "events.db"), Options{Tracing: p})
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			ctx, request := p.Tracer().Start(context.Background(), "request")
			ev := event(t, "t", "k", 1)
			ev.Headers = tc.headers
			if err := b.Publish(ctx, ev); err != nil {
				t.Fatal(err)
			}
			request.End()
			cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			var handled trace.SpanContext
			_ = b.Consume(cctx, "t", "g", func(ctx context.Context, _ events.Event) error {
				handled = trace.SpanContextFromContext(ctx)
				cancel()
				return nil
			})

			spans := map[string]trace.SpanKind{}
			var send, process trace.SpanContext
			var sendParent, processParent trace.SpanContext
			for _, s := range rec.Ended() {
				spans[s.Name()] = s.SpanKind()
				switch s.Name() {
				case "send t":
					send, sendParent = s.SpanContext(), s.Parent()
				case "process t":
					process, processParent = s.SpanContext(), s.Parent()
				}
			}
			if spans["send t"] != trace.SpanKindProducer || spans["process t"] != trace.SpanKindConsumer {
				t.Fatalf("spans %v, want a producer send t and a consumer process t", spans)
			}
			if handled.SpanID() != process.SpanID() {
				t.Fatalf("the handler ran in %v, not in the consumer span %v", handled, process)
			}
			parent := request.SpanContext()
			if tc.wantSendParent == "written" {
				parent = written
			}
			if sendParent.SpanID() != parent.SpanID() || processParent.SpanID() != send.SpanID() ||
				send.TraceID() != parent.TraceID() || process.TraceID() != parent.TraceID() {
				t.Fatalf("send %v (parent %v), process %v (parent %v): not %s → send → process", send, sendParent, process, processParent, tc.wantSendParent)
			}
		})
	}
}

// TestConsumerLag checks the lag gauge: the events still to process
// after each commit, none once the group caught up.
func TestConsumerLag(t *testing.T) {
	t.Parallel()
	b := openBus(t, filepath.Join(t.TempDir(), "events.db"))
	defer b.Close()
	n := BatchSize + 10
	evs := make([]events.Event, n)
	for i := range evs {
		evs[i] = event(t, "lag.topic", "k", i)
	}
	if err := b.Publish(context.Background(), evs...); err != nil {
		t.Fatal(err)
	}
	gauge := events.ConsumerLag("lag.topic", "lag-group")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var lags []float64
	seen := 0
	_ = b.Consume(ctx, "lag.topic", "lag-group", func(context.Context, events.Event) error {
		// The gauge is set after each commit: here it says what the
		// previous event left.
		if seen > 0 {
			lags = append(lags, gaugeValue(t, gauge))
		}
		seen++
		if seen == n {
			cancel()
		}
		return nil
	})
	if len(lags) != n-1 || lags[0] != float64(n-1) || lags[BatchSize-1] != float64(n-BatchSize) || lags[len(lags)-1] != 1 {
		t.Fatalf("lags after commits: first %v, at the batch end %v, last %v (%d)", lags[0], lags[BatchSize-1], lags[len(lags)-1], len(lags))
	}
	if got := gaugeValue(t, gauge); got != 0 {
		t.Fatalf("lag %v once caught up, want 0", got)
	}
}

func gaugeValue(t *testing.T, g prometheus.Gauge) float64 {
	t.Helper()
	var m dto.Metric
	if err := g.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetGauge().GetValue()
}
