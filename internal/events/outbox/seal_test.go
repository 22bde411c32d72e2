package outbox_test

import (
	"context"
	"maps"
	"testing"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/outbox"
)

// columnsOutbox keeps what the stores' outbox tables keep: id, topic,
// key, type, time and payload, and no headers.
type columnsOutbox struct{ memOutbox }

func (o *columnsOutbox) write(ev events.Event) {
	o.mu.Lock()
	defer o.mu.Unlock()
	ev.Headers = nil
	o.evs = append(o.evs, ev)
}

// headersBus records the events published, headers included.
type headersBus struct{ got []events.Event }

func (b *headersBus) Publish(_ context.Context, evs ...events.Event) error {
	for _, ev := range evs {
		if err := ev.Validate(); err != nil {
			return err
		}
	}
	b.got = append(b.got, evs...)
	return nil
}

// TestSealedHeadersSurviveTheOutbox writes events through a store that
// keeps no headers and relays them: a sealed event leaves with the
// headers of the request that wrote it and its payload as it was; an
// event written without trace context, or a row from before sealing
// existed, leaves as it was stored.
func TestSealedHeadersSurviveTheOutbox(t *testing.T) {
	t.Parallel()
	request := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{1, 2, 3}, SpanID: trace.SpanID{4, 5, 6}, TraceFlags: trace.FlagsSampled,
	})
	traced := trace.ContextWithSpanContext(context.Background(), request)
	cases := []struct {
		name        string
		ctx         context.Context
		seal        bool
		payload     string
		wantHeaders map[string]string
	}{
		{"sealed in a traced request", traced, true, `{"n":1}`,
			map[string]string{events.HeaderTraceparent: "00-01020300000000000000000000000000-0405060000000000-01"}},
		{"sealed without trace context", context.Background(), true, `{"n":2}`, nil},
		{"a row written before sealing", traced, false, `{"n":3}`, nil},
		{"a payload that is not an object", traced, true, `[1,2]`,
			map[string]string{events.HeaderTraceparent: "00-01020300000000000000000000000000-0405060000000000-01"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ev := events.Event{ID: "e", Topic: "t", Key: "k", Type: "x", Time: time.Unix(1, 0), Payload: []byte(tc.payload)}
			if tc.seal {
				ev = outbox.Seal(tc.ctx, ev)
			}
			if !tc.seal || tc.wantHeaders == nil {
				if string(ev.Payload) != tc.payload {
					t.Fatalf("stored payload %s, want %s untouched", ev.Payload, tc.payload)
				}
			}
			out := &columnsOutbox{}
			out.write(ev)
			bus := &headersBus{}
			if _, err := outbox.New(out, bus, outbox.Options{Name: "seal-" + tc.name, Logger: quiet}).Flush(context.Background()); err != nil {
				t.Fatal(err)
			}
			if len(bus.got) != 1 {
				t.Fatalf("published %d events", len(bus.got))
			}
			got := bus.got[0]
			if string(got.Payload) != tc.payload {
				t.Fatalf("published payload %s, want %s", got.Payload, tc.payload)
			}
			if !maps.Equal(got.Headers, tc.wantHeaders) {
				t.Fatalf("published headers %v, want %v", got.Headers, tc.wantHeaders)
			}
		})
	}
}

// TestSealCostsNothingUntraced: with no trace context, sealing allocates
// nothing and leaves the event alone.
func TestSealCostsNothingUntraced(t *testing.T) {
	ev := events.Event{ID: "e", Topic: "t", Key: "k", Type: "x", Time: time.Unix(1, 0), Payload: []byte(`{}`)}
	ctx := context.Background()
	if n := testing.AllocsPerRun(100, func() { ev = outbox.Seal(ctx, ev) }); n != 0 {
		t.Fatalf("Seal allocates %v times without trace context", n)
	}
	if n := testing.AllocsPerRun(100, func() { ev = outbox.Unseal(ev) }); n != 0 {
		t.Fatalf("Unseal allocates %v times on an unsealed event", n)
	}
}
