package router_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/gqlserver"
	"github.com/cinegraph/cinegraph/internal/telemetry"
	"github.com/cinegraph/cinegraph/router"
	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/tracing"
	"github.com/cinegraph/cinegraph/router/wire"
)

// twoSDL is a supergraph of two subgraphs, a and b, each owning one root
// field: { a b } fetches from both in parallel.
const twoSDL = `schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)
{
  query: Query
}

directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION
directive @join__graph(name: String!, url: String!) on ENUM_VALUE
directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA

scalar join__FieldSet
scalar link__Import

enum link__Purpose { SECURITY EXECUTION }

enum join__Graph {
  A @join__graph(name: "a", url: "http://a.invalid/graphql")
  B @join__graph(name: "b", url: "http://b.invalid/graphql")
}

type Query
  @join__type(graph: A)
  @join__type(graph: B)
{
  a: String @join__field(graph: A)
  b: String @join__field(graph: B)
}
`

const bothQuery = `query Both { a b }`

// fieldSchema is a subgraph served by internal/gqlserver answering its
// one field through gqlgen's field middleware, as a generated resolver
// would (IsResolver), so the server's field spans show.
func fieldSchema(field string) graphql.ExecutableSchema {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: `type Query { ` + field + `: String }`})
	def := schema.Query.Fields.ForName(field)
	return &graphql.ExecutableSchemaMock{
		SchemaFunc: func() *ast.Schema { return schema },
		ComplexityFunc: func(context.Context, string, string, int, map[string]any) (int, bool) {
			return 0, false
		},
		ExecFunc: func(ctx context.Context) graphql.ResponseHandler {
			oc := graphql.GetOperationContext(ctx)
			fc := &graphql.FieldContext{Object: "Query", Field: graphql.CollectedField{Field: &ast.Field{Name: field, Alias: field, Definition: def}}, IsResolver: true}
			v, err := oc.ResolverMiddleware(graphql.WithFieldContext(ctx, fc), func(context.Context) (any, error) { return "x", nil })
			if err != nil {
				return graphql.OneShot(graphql.ErrorResponse(ctx, "%s", err))
			}
			data, _ := json.Marshal(map[string]any{field: v})
			return graphql.OneShot(&graphql.Response{Data: data})
		},
	}
}

// traceparents records the traceparent header of every request a
// subgraph receives.
type traceparents struct {
	mu   sync.Mutex
	seen []string
}

func (tp *traceparents) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tp.mu.Lock()
		tp.seen = append(tp.seen, r.Header.Get("Traceparent"))
		tp.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

// tracedSetup is a router in front of two gqlserver subgraphs over HTTP,
// all three tracing with p, as one `serve` process would.
type tracedSetup struct {
	router  *router.Router
	headers *traceparents
}

func newTracedSetup(t *testing.T, p *telemetry.Provider, accept bool) tracedSetup {
	t.Helper()
	headers := &traceparents{}
	urls := map[string]string{}
	for _, name := range []string{"a", "b"} {
		h := gqlserver.New(fieldSchema(name), gqlserver.Options{Name: name, Logger: slog.New(slog.DiscardHandler), Tracing: p})
		srv := httptest.NewServer(headers.wrap(h))
		t.Cleanup(srv.Close)
		urls[name] = srv.URL + "/graphql"
	}
	tr := tracing.New(p.TracerProvider(), p.Propagator(), tracing.Options{AcceptClientContext: accept, RecordDocument: true})
	var mws []fetch.Middleware
	if tr != nil {
		mws = []fetch.Middleware{tr.Fetch, tr.Attempts}
	}
	rt, err := router.New(router.Config{SupergraphSDL: twoSDL, SubgraphURLs: urls, Tracing: tr, FetchMiddleware: mws})
	if err != nil {
		t.Fatal(err)
	}
	return tracedSetup{router: rt, headers: headers}
}

func (s tracedSetup) query(t testing.TB, header http.Header) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": bothQuery})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	w := httptest.NewRecorder()
	s.router.ServeHTTP(w, req)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"a":"x"`) || !strings.Contains(w.Body.String(), `"b":"x"`) {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
}

func provider(t *testing.T, exporter string, ratio float64, rec sdktrace.SpanProcessor) *telemetry.Provider {
	t.Helper()
	p, err := telemetry.New(context.Background(), config.Tracing{Exporter: exporter, SamplingRatio: ratio}, "test", telemetry.WithSpanProcessor(rec))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Shutdown(context.Background()) })
	return p
}

// spanTree indexes recorded spans for the assertions.
type spanTree struct {
	t     *testing.T
	spans []sdktrace.ReadOnlySpan
}

func (s spanTree) all(name string) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, sp := range s.spans {
		if sp.Name() == name {
			out = append(out, sp)
		}
	}
	return out
}

func (s spanTree) one(name string) sdktrace.ReadOnlySpan {
	s.t.Helper()
	got := s.all(name)
	if len(got) != 1 {
		s.t.Fatalf("%d spans named %q, want 1; have %v", len(got), name, s.names())
	}
	return got[0]
}

func (s spanTree) names() []string {
	var out []string
	for _, sp := range s.spans {
		out = append(out, sp.Name())
	}
	return out
}

func (s spanTree) childOf(child, parent sdktrace.ReadOnlySpan) {
	s.t.Helper()
	if child.Parent().SpanID() != parent.SpanContext().SpanID() || child.SpanContext().TraceID() != parent.SpanContext().TraceID() {
		s.t.Errorf("%s is not a child of %s", child.Name(), parent.Name())
	}
}

func attr(sp sdktrace.ReadOnlySpan, key attribute.Key) attribute.Value {
	for _, kv := range sp.Attributes() {
		if kv.Key == key {
			return kv.Value
		}
	}
	return attribute.Value{}
}

// One federated query makes one trace: the router's request span, its
// stages, the execution with a client span per fetch, and each subgraph's
// server span under the fetch that called it (traceparent).
func TestTracingTree(t *testing.T) {
	t.Parallel()
	clientSpan := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{1, 2, 3}, SpanID: trace.SpanID{4, 5, 6}, TraceFlags: trace.FlagsSampled, Remote: true,
	})
	clientHeader := http.Header{"Traceparent": {"00-" + clientSpan.TraceID().String() + "-" + clientSpan.SpanID().String() + "-01"}}
	tests := []struct {
		name   string
		accept bool
		header http.Header
		// check inspects the root: the router's server span.
		check func(t *testing.T, root sdktrace.ReadOnlySpan)
	}{
		{name: "new trace", check: func(t *testing.T, root sdktrace.ReadOnlySpan) {
			if root.Parent().IsValid() {
				t.Errorf("the request span has parent %v", root.Parent())
			}
		}},
		{name: "client context linked, not continued", header: clientHeader, check: func(t *testing.T, root sdktrace.ReadOnlySpan) {
			if root.Parent().IsValid() || root.SpanContext().TraceID() == clientSpan.TraceID() {
				t.Errorf("the router continued the client's trace")
			}
			if links := root.Links(); len(links) != 1 || links[0].SpanContext.SpanID() != clientSpan.SpanID() {
				t.Errorf("links %v, want the client's span", links)
			}
		}},
		{name: "client context accepted", accept: true, header: clientHeader, check: func(t *testing.T, root sdktrace.ReadOnlySpan) {
			if root.Parent().SpanID() != clientSpan.SpanID() || root.SpanContext().TraceID() != clientSpan.TraceID() {
				t.Errorf("parent %v, want the client's span", root.Parent())
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := tracetest.NewSpanRecorder()
			s := newTracedSetup(t, provider(t, config.TracingOTLPHTTP, 1, rec), tc.accept)
			s.query(t, tc.header)
			tree := spanTree{t: t, spans: rec.Ended()}

			var root sdktrace.ReadOnlySpan
			for _, sp := range tree.all("POST /graphql") {
				if attr(sp, tracing.AttrSubgraph).AsString() == "" {
					root = sp
				}
			}
			if root == nil {
				t.Fatalf("no request span in %v", tree.names())
			}
			tc.check(t, root)
			if root.SpanKind() != trace.SpanKindServer || attr(root, "graphql.operation.name").AsString() != "Both" ||
				attr(root, "graphql.operation.type").AsString() != "query" || attr(root, "http.response.status_code").AsInt64() != 200 ||
				attr(root, "graphql.document").AsString() != bothQuery {
				t.Errorf("request span %v", root.Attributes())
			}
			for _, stage := range []string{tracing.SpanParse, tracing.SpanValidate, tracing.SpanPlan} {
				tree.childOf(tree.one(stage), root)
			}
			plan := tree.one(tracing.SpanPlan)
			if v := attr(plan, tracing.AttrPlanCacheHit); v.Type() != attribute.BOOL || v.AsBool() {
				t.Errorf("plan cache_hit %v, want false", v.Emit())
			}
			tree.childOf(tree.one(tracing.SpanNormalize), plan)
			exec := tree.one("query Both")
			tree.childOf(exec, root)

			for _, name := range []string{"a", "b"} {
				f := tree.one("fetch " + name)
				tree.childOf(f, exec) // the two fetches are siblings
				if f.SpanKind() != trace.SpanKindClient || attr(f, tracing.AttrSubgraph).AsString() != name ||
					!strings.HasSuffix(attr(f, "url.full").AsString(), "/graphql") || attr(f, tracing.AttrAttempts).AsInt64() != 1 ||
					attr(f, "http.response.body.size").AsInt64() == 0 {
					t.Errorf("fetch span %v", f.Attributes())
				}
				var server sdktrace.ReadOnlySpan
				for _, sp := range tree.all("POST /graphql") {
					if attr(sp, tracing.AttrSubgraph).AsString() == name {
						server = sp
					}
				}
				if server == nil {
					t.Fatalf("no server span of subgraph %s in %v", name, tree.names())
				}
				tree.childOf(server, f)
				var op sdktrace.ReadOnlySpan
				for _, sp := range tree.spans {
					if strings.HasPrefix(sp.Name(), "query") && sp.Parent().SpanID() == server.SpanContext().SpanID() {
						op = sp
					}
				}
				if op == nil {
					t.Fatalf("no operation span under subgraph %s's server span in %v", name, tree.names())
				}
				tree.childOf(tree.one("Query."+name), op)
			}

			// Again: the document and plan are cached now.
			rec2 := len(rec.Ended())
			s.query(t, tc.header)
			again := spanTree{t: t, spans: rec.Ended()[rec2:]}
			if len(again.all(tracing.SpanParse)) != 0 {
				t.Errorf("parsed a cached document")
			}
			if v := attr(again.one(tracing.SpanPlan), tracing.AttrPlanCacheHit); !v.AsBool() {
				t.Errorf("plan cache_hit %v, want true", v.Emit())
			}
		})
	}
}

// Nothing is recorded when sampling says no or no exporter is set; with
// none, the router and subgraphs start no span at all and send no
// traceparent.
func TestTracingOff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		exporter string
		ratio    float64
		// parents: whether subgraphs still receive a traceparent (an
		// unsampled one when sampling said no).
		parents bool
	}{
		{name: "sampling ratio 0", exporter: config.TracingOTLPGRPC, ratio: 0, parents: true},
		{name: "exporter none", exporter: config.TracingNone, ratio: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := tracetest.NewSpanRecorder()
			p := provider(t, tc.exporter, tc.ratio, rec)
			s := newTracedSetup(t, p, false)
			s.query(t, nil)
			if got := rec.Ended(); len(got) != 0 {
				t.Errorf("%d spans recorded: %v", len(got), spanTree{t: t, spans: got}.names())
			}
			if got := rec.Started(); len(got) != 0 {
				t.Errorf("%d spans started", len(got))
			}
			for _, h := range s.headers.seen {
				if (h != "") != tc.parents {
					t.Errorf("subgraph got traceparent %q", h)
				}
				if strings.HasSuffix(h, "-01") {
					t.Errorf("subgraph got a sampled traceparent %q", h)
				}
			}
			if tc.exporter == config.TracingNone {
				if tracing.New(p.TracerProvider(), p.Propagator(), tracing.Options{}) != nil {
					t.Errorf("tracing over the no-op provider")
				}
				_, span := p.Tracer().Start(context.Background(), "x")
				if span.IsRecording() {
					t.Errorf("the provider of none records")
				}
			}
		})
	}
}

// discardExporter exports nowhere: the cost measured is the spans'.
type discardExporter struct{}

func (discardExporter) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return nil }
func (discardExporter) Shutdown(context.Context) error                             { return nil }

// staticSubgraphs answers every fetch from memory.
type staticSubgraphs struct{}

func (staticSubgraphs) Fetch(_ context.Context, subgraph string, _ *wire.SubgraphRequest, _ http.Header) (*wire.SubgraphResponse, error) {
	return wire.DecodeResponse([]byte(`{"data":{"` + subgraph + `":"x"}}`))
}

// BenchmarkTracing measures the router's request path (the HTTP handler,
// two parallel fetches answered from memory) with tracing off, with the
// no-op provider of tracing.exporter none, on (every request sampled, its
// spans batched to an exporter that drops them), and unsampled (what the
// requests a sampling ratio leaves out cost).
func BenchmarkTracing(b *testing.B) {
	on, err := telemetry.New(context.Background(), config.Tracing{Exporter: config.TracingOTLPGRPC, SamplingRatio: 1}, "bench",
		telemetry.WithSpanProcessor(sdktrace.NewBatchSpanProcessor(discardExporter{})))
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = on.Shutdown(context.Background()) }()
	unsampled, err := telemetry.New(context.Background(), config.Tracing{Exporter: config.TracingOTLPGRPC, SamplingRatio: 0}, "bench",
		telemetry.WithSpanProcessor(sdktrace.NewBatchSpanProcessor(discardExporter{})))
	if err != nil {
		b.Fatal(err)
	}
	none, err := telemetry.New(context.Background(), config.Tracing{Exporter: config.TracingNone}, "bench")
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name string
		tr   *tracing.Tracing
	}{
		{"off", nil},
		{"none", tracing.New(none.TracerProvider(), none.Propagator(), tracing.Options{})},
		{"on", tracing.New(on.TracerProvider(), on.Propagator(), tracing.Options{})},
		{"unsampled", tracing.New(unsampled.TracerProvider(), unsampled.Propagator(), tracing.Options{})},
	}
	body, _ := json.Marshal(map[string]string{"query": bothQuery})
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			var mws []fetch.Middleware
			if bc.tr != nil {
				mws = []fetch.Middleware{bc.tr.Fetch, bc.tr.Attempts}
			}
			rt, err := router.New(router.Config{SupergraphSDL: twoSDL, Fetcher: staticSubgraphs{}, Tracing: bc.tr, FetchMiddleware: mws})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				rt.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatal(w.Body.String())
				}
			}
		})
	}
}
