package gqlserver

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/telemetry"
)

// resolverSchema resolves Query.title through the field middleware as a
// resolver of its own (IsResolver), and Title.name and Title.year as
// struct field reads, as generated code would.
func resolverSchema() graphql.ExecutableSchema {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: `type Query { title: Title } type Title { name: String year: Int }`})
	field := func(ctx context.Context, object, name string, isResolver bool) context.Context {
		return graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: object, Field: graphql.CollectedField{Field: &ast.Field{Name: name, Alias: name}}, IsResolver: isResolver})
	}
	return &graphql.ExecutableSchemaMock{
		SchemaFunc: func() *ast.Schema { return schema },
		ComplexityFunc: func(context.Context, string, string, int, map[string]any) (int, bool) {
			return 0, false
		},
		ExecFunc: func(ctx context.Context) graphql.ResponseHandler {
			oc := graphql.GetOperationContext(ctx)
			resolve := func(ctx context.Context) (any, error) { return "x", nil }
			tctx := field(ctx, "Query", "title", true)
			_, _ = oc.ResolverMiddleware(tctx, resolve)
			_, _ = oc.ResolverMiddleware(field(tctx, "Title", "name", false), resolve)
			_, _ = oc.ResolverMiddleware(field(tctx, "Title", "year", false), resolve)
			data, _ := json.Marshal(map[string]any{"title": map[string]any{"name": "x", "year": 1}})
			return graphql.OneShot(&graphql.Response{Data: data})
		},
	}
}

func TestTracing(t *testing.T) {
	t.Parallel()
	router := trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{7}, SpanID: trace.SpanID{7}, TraceFlags: trace.FlagsSampled, Remote: true})
	unsampled := trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{8}, SpanID: trace.SpanID{8}, Remote: true})
	tests := []struct {
		name     string
		exporter string
		fields   []string
		parent   trace.SpanContext
		// want are the names of the spans recorded, sorted.
		want []string
	}{
		{name: "resolvers only", exporter: config.TracingOTLPGRPC, parent: router,
			want: []string{"POST /graphql", "Query.title", "query Q"}},
		{name: "allowlist", exporter: config.TracingOTLPGRPC, parent: router, fields: []string{"Title.year"},
			want: []string{"POST /graphql", "Title.year", "query Q"}},
		{name: "no incoming context: a trace of its own", exporter: config.TracingOTLPGRPC,
			want: []string{"POST /graphql", "Query.title", "query Q"}},
		{name: "the router did not sample", exporter: config.TracingOTLPGRPC, parent: unsampled},
		{name: "exporter none", exporter: config.TracingNone, parent: router},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := tracetest.NewSpanRecorder()
			p, err := telemetry.New(context.Background(), config.Tracing{Exporter: tc.exporter, SamplingRatio: 1, Fields: tc.fields}, "test", telemetry.WithSpanProcessor(rec))
			if err != nil {
				t.Fatal(err)
			}
			h := New(resolverSchema(), Options{Name: "test", Logger: slog.New(slog.DiscardHandler), Tracing: p})
			req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"query Q { title { name year } }"}`))
			req.Header.Set("Content-Type", "application/json")
			if tc.parent.IsValid() {
				telemetry.Propagator().Inject(trace.ContextWithRemoteSpanContext(context.Background(), tc.parent), propagation.HeaderCarrier(req.Header))
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			spans := rec.Ended()
			var names []string
			byName := map[string]trace.SpanContext{}
			parents := map[string]trace.SpanContext{}
			for _, s := range spans {
				names = append(names, s.Name())
				byName[s.Name()] = s.SpanContext()
				parents[s.Name()] = s.Parent()
			}
			slices.Sort(names)
			if !slices.Equal(names, tc.want) {
				t.Fatalf("spans %v, want %v", names, tc.want)
			}
			if len(names) == 0 {
				return
			}
			if tc.parent.IsValid() && parents["POST /graphql"].SpanID() != tc.parent.SpanID() {
				t.Errorf("server span's parent %v, want the router's", parents["POST /graphql"])
			}
			if parents["query Q"].SpanID() != byName["POST /graphql"].SpanID() {
				t.Errorf("operation span is not the server span's child")
			}
			for _, n := range names {
				if strings.Contains(n, ".") && parents[n].SpanID() != byName["query Q"].SpanID() {
					t.Errorf("field span %s is not the operation's child", n)
				}
			}
		})
	}
}
