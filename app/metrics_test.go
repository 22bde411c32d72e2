package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/events/embedded"
	"github.com/cinegraph/cinegraph/internal/health"
	"github.com/cinegraph/cinegraph/internal/viewer"
)

// metricsSupergraph has three subgraphs with one root field each: good
// answers, failing answers HTTP 500 without GraphQL, slow never answers.
const metricsSupergraph = `schema
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

enum link__Purpose {
  SECURITY
  EXECUTION
}

enum join__Graph {
  GOOD @join__graph(name: "good", url: "http://good.invalid/graphql")
  FAILING @join__graph(name: "failing", url: "http://failing.invalid/graphql")
  SLOW @join__graph(name: "slow", url: "http://slow.invalid/graphql")
}

type Query
  @join__type(graph: GOOD)
  @join__type(graph: FAILING)
  @join__type(graph: SLOW)
{
  good: String @join__field(graph: GOOD)
  failing: String @join__field(graph: FAILING)
  slow: String @join__field(graph: SLOW)
}
`

// scrape gets /metrics from an admin handler and flattens it: each series
// as name{label="value",...} with its labels sorted; a histogram as its
// _count and _sum.
func scrape(t *testing.T, admin http.Handler) map[string]float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	admin.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, MetricsPath, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", rec.Code, rec.Body)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatalf("parse the scrape: %v", err)
	}
	out := map[string]float64{}
	for name, f := range fams {
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+`"`+l.GetValue()+`"`)
			}
			sort.Strings(labels)
			key := "{" + strings.Join(labels, ",") + "}"
			switch {
			case m.GetCounter() != nil:
				out[name+key] = m.GetCounter().GetValue()
			case m.GetGauge() != nil:
				out[name+key] = m.GetGauge().GetValue()
			case m.GetHistogram() != nil:
				out[name+"_count"+key] = float64(m.GetHistogram().GetSampleCount())
				out[name+"_sum"+key] = m.GetHistogram().GetSampleSum()
			default:
				out[name+key] = m.GetUntyped().GetValue()
			}
		}
	}
	return out
}

func postTo(t *testing.T, h http.Handler, body string) int {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

func TestRouterMetrics(t *testing.T) {
	good := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"data":{"good":"yes"}}`)
	}))
	defer good.Close()
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	}))
	defer failing.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(time.Second):
		}
	}))
	defer slow.Close()

	dir := t.TempDir()
	sdl := filepath.Join(dir, "supergraph.graphql")
	if err := os.WriteFile(sdl, []byte(metricsSupergraph), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.DataDir = dir
	cfg.Router.AuthToken = "metrics-test"
	cfg.Router.Supergraph = sdl
	cfg.Router.FetchTimeout = 150 * time.Millisecond
	cfg.Router.SubgraphURLs = map[string]string{"good": good.URL, "failing": failing.URL, "slow": slow.URL}
	cfg.Metrics.MaxOperationNames = 3
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	checker := health.New()
	urls := func(cfg config.Config) map[string]string { return cfg.Router.SubgraphURLs }
	rt, err := NewLiveRouter(ctx, cfg, urls, checker, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	admin := AdminHandler(rt, checker)

	requests := []string{
		`{"query":"query Good { good }"}`,
		`{"query":"query Good { good }"}`,
		`{"query":"query Failing { failing }"}`,
		`{"query":"query Slow { slow }"}`,
		`{"query":"query Typo { nope }"}`,                      // refused: validation
		`{"query":"query Third { good }"}`,                     // the third name: the last of its own
		`{"query":"query Fourth { good }"}`,                    // past metrics.max_operation_names
		`{"query":"query Junk { nope }"}`,                      // refused, a name never seen running
		`{"query":"query Good { good","operationName":"Good"}`, // refused, a name seen running
	}
	for _, body := range requests {
		postTo(t, rt, body)
	}
	// Counters go on across a reload: the registry is the process's. The
	// new router's plan cache starts empty.
	next := cfg
	next.Router.FetchTimeout = 200 * time.Millisecond
	if err := rt.Reload(next); err != nil {
		t.Fatal(err)
	}
	postTo(t, rt, `{"query":"query Good { good }"}`)

	got := scrape(t, admin)
	cases := []struct {
		name, series string
		want         float64
	}{
		{"ok", `cinegraph_router_requests_total{operation_name="Good",operation_type="query",outcome="ok"}`, 3},
		{"subgraph failing", `cinegraph_router_requests_total{operation_name="Failing",operation_type="query",outcome="graphql_error"}`, 1},
		{"subgraph timing out", `cinegraph_router_requests_total{operation_name="Slow",operation_type="query",outcome="graphql_error"}`, 1},
		{"names past the bound", `cinegraph_router_requests_total{operation_name="other",operation_type="query",outcome="ok"}`, 2},
		{"refused under an unknown name", `cinegraph_router_requests_total{operation_name="other",operation_type="unknown",outcome="rejected"}`, 2},
		{"refused under a known name", `cinegraph_router_requests_total{operation_name="Good",operation_type="unknown",outcome="rejected"}`, 1},
		{"durations", `cinegraph_router_request_duration_seconds_count{operation_type="query",outcome="ok"}`, 5},
		{"nothing in flight", `cinegraph_router_inflight_requests{}`, 0},
		{"good fetches timed", `cinegraph_subgraph_fetch_duration_seconds_count{subgraph="good"}`, 5},
		{"good fetches never failed", `cinegraph_subgraph_fetch_errors_total{reason="transport",subgraph="good"}`, 0},
		{"HTTP 500", `cinegraph_subgraph_fetch_errors_total{reason="http_status",subgraph="failing"}`, 1},
		{"timeout", `cinegraph_subgraph_fetch_errors_total{reason="timeout",subgraph="slow"}`, 1},
		{"no fetch in flight", `cinegraph_subgraph_inflight_fetches{subgraph="slow"}`, 0},
		{"plan cache hits", `cinegraph_router_plan_cache_requests_total{result="hit"}`, 1},
		{"plan cache misses", `cinegraph_router_plan_cache_requests_total{result="miss"}`, 9},
		{"breaker closed", `cinegraph_subgraph_breaker_state{instance="` + good.URL + `",state="closed",subgraph="good"}`, 1},
		{"breaker not open", `cinegraph_subgraph_breaker_state{instance="` + good.URL + `",state="open",subgraph="good"}`, 0},
		{"fetches sent, across the reload", `cinegraph_router_dedupe_fetches_sent_total{}`, 7},
		{"queries executed, across the reload", `cinegraph_router_dedupe_operations_executed_total{}`, 7},
		{"websockets", `cinegraph_router_websockets{}`, 0},
		{"upstream subscriptions", `cinegraph_router_upstream_subscriptions{}`, 0},
		{"events delivered", `cinegraph_router_subscription_events_delivered_total{}`, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, ok := got[tc.series]
			if !ok {
				t.Fatalf("no series %s", tc.series)
			}
			if v != tc.want {
				t.Fatalf("%s = %v, want %v", tc.series, v, tc.want)
			}
		})
	}
	t.Run("Go runtime and process", func(t *testing.T) {
		for _, s := range []string{"go_goroutines{}", "process_start_time_seconds{}"} {
			if _, ok := got[s]; !ok {
				t.Errorf("no series %s", s)
			}
		}
	})
	t.Run("operation names bounded", func(t *testing.T) {
		names := map[string]bool{}
		for s := range got {
			if strings.HasPrefix(s, "cinegraph_router_requests_total{") {
				_, rest, _ := strings.Cut(s, `operation_name="`)
				name, _, _ := strings.Cut(rest, `"`)
				names[name] = true
			}
		}
		// Good, Failing, Slow, then other: Typo was refused before it ran.
		if len(names) != 4 || !names["other"] || names["Typo"] || names["Third"] {
			t.Fatalf("operation names %v", names)
		}
	})
	t.Run("read-only", func(t *testing.T) {
		rec := httptest.NewRecorder()
		admin.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, MetricsPath, nil))
		if rec.Code != http.StatusMethodNotAllowed {
			t.Fatalf("POST /metrics: %d", rec.Code)
		}
	})
}

func TestMetricsOff(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Router.AuthToken = "metrics-test"
	cfg.Metrics.Enabled = false
	checker := health.New()
	urls := func(cfg config.Config) map[string]string { return cfg.Router.SubgraphURLs }
	rt, err := NewLiveRouter(context.Background(), cfg, urls, checker, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	for _, h := range []http.Handler{AdminHandler(rt, checker), SubgraphAdminHandler(checker, NewMetrics(cfg))} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, MetricsPath, nil))
		if rec.Code != http.StatusNotFound {
			t.Fatalf("GET /metrics with metrics.enabled off: %d", rec.Code)
		}
	}
}

// TestSubgraphMetrics: a subgraph process (`cinegraph subgraph chat`)
// counts the operations it serves and shows them on its admin handler.
func TestSubgraphMetrics(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logger := slog.New(slog.DiscardHandler)
	bus, err := embedded.Open(ctx, filepath.Join(cfg.DataDir, "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Close()
	sg, err := OpenSubgraph(ctx, "chat", cfg, bus, logger)
	if err != nil {
		t.Fatal(err)
	}
	defer sg.Close()
	checker := health.New()
	checker.Add("chat", sg.Ready)
	m := NewMetrics(cfg)
	h := m.Subgraph("chat", SubgraphHandler(sg, "router-token"))
	admin := SubgraphAdminHandler(checker, m)

	for _, body := range []string{
		`{"query":"{ activeRooms { id } }"}`,
		`{"query":"{ activeRooms { id } }"}`,
		`{"query":"{ nope }"}`,
		`{"query":"mutation { postMessage(roomId: \"r1\", body: \"hi\") { id } }"}`, // anonymous: refused by @authenticated
	} {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(viewer.RouterTokenHeader, "router-token")
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	got := scrape(t, admin)
	cases := []struct {
		name, series string
		want         float64
	}{
		{"queries", `cinegraph_graphql_operations_total{operation_type="query",outcome="ok",subgraph="chat"}`, 2},
		{"timed", `cinegraph_graphql_operation_duration_seconds_count{operation_type="query",outcome="ok",subgraph="chat"}`, 2},
		{"rejected", `cinegraph_graphql_operations_total{operation_type="unknown",outcome="rejected",subgraph="chat"}`, 1},
		{"failed mutation", `cinegraph_graphql_operations_total{operation_type="mutation",outcome="error",subgraph="chat"}`, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if v, ok := got[tc.series]; !ok || v != tc.want {
				t.Fatalf("%s = %v (present: %v), want %v", tc.series, v, ok, tc.want)
			}
		})
	}
	t.Run("no router metrics", func(t *testing.T) {
		for s := range got {
			if strings.HasPrefix(s, "cinegraph_router_") || strings.HasPrefix(s, "cinegraph_subgraph_") {
				t.Fatalf("a subgraph process shows %s", s)
			}
		}
	})
	t.Run("health", func(t *testing.T) {
		rec := httptest.NewRecorder()
		admin.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/health/live", nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("/health/live: %d", rec.Code)
		}
	})
}
