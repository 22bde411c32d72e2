package tracing

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/wire"
)

// retrying stands in for the resilience guard: it tries up to n times
// while the fetch fails, or refuses at once.
func retrying(n int, refuse bool) fetch.Middleware {
	return func(subgraph, _ string, next fetch.Fetcher) fetch.Fetcher {
		return fetch.Func(func(ctx context.Context, req *wire.SubgraphRequest, h http.Header) (*wire.SubgraphResponse, error) {
			if refuse {
				return nil, &fetch.Error{Subgraph: subgraph, Reason: fetch.CircuitOpen, Err: errors.New("open")}
			}
			var resp *wire.SubgraphResponse
			var err error
			for range n {
				if resp, err = next.Fetch(ctx, req, h); err == nil {
					return resp, nil
				}
			}
			return resp, err
		})
	}
}

func TestFetchSpan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		failures int // the subgraph fails this many times first
		tries    int
		refuse   bool
		attempts int64
		errType  string
	}{
		{name: "one attempt", tries: 3, attempts: 1},
		{name: "retried", failures: 2, tries: 3, attempts: 3},
		{name: "every attempt failed", failures: 5, tries: 2, attempts: 2, errType: "_OTHER"},
		{name: "refused by the breaker", tries: 1, refuse: true, attempts: 1, errType: "CIRCUIT_OPEN"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := tracetest.NewSpanRecorder()
			tr := New(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec)), nil, Options{})
			calls := 0
			var sent http.Header
			subgraph := fetch.Func(func(_ context.Context, _ *wire.SubgraphRequest, h http.Header) (*wire.SubgraphResponse, error) {
				calls++
				sent = h
				if calls <= tc.failures {
					return nil, errors.New("connection reset")
				}
				return &wire.SubgraphResponse{Bytes: 42, Errors: []wire.SubgraphError{{Message: "partial"}}}, nil
			})
			guard := retrying(tc.tries, tc.refuse)
			f := tr.Fetch("catalog", "http://catalog:4001/graphql", guard("catalog", "http://catalog:4001/graphql", tr.Attempts("catalog", "", subgraph)))
			header := http.Header{"X-Request-Id": {"r1"}}
			_, _ = f.Fetch(context.Background(), &wire.SubgraphRequest{OperationKind: "query", OperationName: "Q__catalog__0"}, header)
			if header.Get("Traceparent") != "" {
				t.Errorf("the request's own header was written to")
			}
			spans := rec.Ended()
			if len(spans) != 1 {
				t.Fatalf("%d spans", len(spans))
			}
			s := spans[0]
			attrs := map[attribute.Key]attribute.Value{}
			for _, kv := range s.Attributes() {
				attrs[kv.Key] = kv.Value
			}
			if s.Name() != "fetch catalog" || s.SpanKind() != trace.SpanKindClient || attrs[AttrAttempts].AsInt64() != tc.attempts ||
				attrs["server.address"].AsString() != "catalog" || attrs["server.port"].AsInt64() != 4001 ||
				attrs["graphql.operation.name"].AsString() != "Q__catalog__0" || attrs[AttrSubgraph].AsString() != "catalog" {
				t.Errorf("span %s %v", s.Name(), s.Attributes())
			}
			if got := attrs["error.type"].AsString(); got != tc.errType {
				t.Errorf("error.type %q, want %q", got, tc.errType)
			}
			if (s.Status().Code == codes.Error) != (tc.errType != "") {
				t.Errorf("status %v", s.Status())
			}
			if tc.errType == "" {
				if attrs["http.response.body.size"].AsInt64() != 42 || attrs[AttrSubgraphErrors].AsInt64() != 1 {
					t.Errorf("response attributes %v", s.Attributes())
				}
			}
			if !tc.refuse {
				want := "00-" + s.SpanContext().TraceID().String() + "-" + s.SpanContext().SpanID().String() + "-01"
				if sent.Get("Traceparent") != want || sent.Get("X-Request-Id") != "r1" {
					t.Errorf("sent headers %v, want traceparent %s", sent, want)
				}
			}
		})
	}
}

func TestNewOff(t *testing.T) {
	t.Parallel()
	for _, tp := range []trace.TracerProvider{nil, noop.NewTracerProvider()} {
		tr := New(tp, nil, Options{})
		if tr != nil {
			t.Fatalf("tracing over %T", tp)
		}
		next := fetch.Func(func(context.Context, *wire.SubgraphRequest, http.Header) (*wire.SubgraphResponse, error) {
			return nil, nil
		})
		if f := tr.Fetch("a", "http://a", next); f == nil {
			t.Fatal("nil fetcher")
		}
		ctx := context.Background()
		if got, span := tr.Start(ctx, "x"); got != ctx || span.IsRecording() {
			t.Errorf("a span started with tracing off")
		}
	}
}
