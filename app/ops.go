package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/cinegraph/cinegraph/graph/ops"
	"github.com/cinegraph/cinegraph/graph/ops/model"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/gqlserver"
	opsresolvers "github.com/cinegraph/cinegraph/resolvers/ops"
	"github.com/cinegraph/cinegraph/router"
	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/slowops"
	"github.com/cinegraph/cinegraph/router/wire"
)

// OpsSource is the router source (config.RouterSources) behind the
// supergraph's Query.ops: the process's own operational report, answered
// in process by the router's fetcher for it and reached by no listener.
// The supergraph's @requiresScopes(scopes: [["admin"]]) keeps it to
// admins; the router enforces it before planning, so a fetch here is
// always an admin's.
//
// The report reads what the process holds: the current router's view of
// its subgraph instances (LiveRouter.Report), its metrics (fetch rates and
// p99 per subgraph, websockets, upstream subscriptions), the event
// pipeline's gauges (outbox backlog, consumer lag), and the slowest recent
// operations with their plans (router/slowops, fed by every router a
// reload builds). What the process cannot measure is null, with the
// section's missing saying why.
const OpsSource = "ops"

// Ops report windows: rates and p99 cover the traffic since the newest
// sample at least opsMinWindow old (samples are taken when the report is
// asked for, and kept opsMaxWindow), or since start without one.
const (
	opsMinWindow = 10 * time.Second
	opsMaxWindow = 5 * time.Minute
)

// Metric names the report reads (router/metrics, internal/events).
const (
	metricFetchDuration = "cinegraph_subgraph_fetch_duration_seconds"
	metricFetchErrors   = "cinegraph_subgraph_fetch_errors_total"
	metricWebsockets    = "cinegraph_router_websockets"
	metricUpstreams     = "cinegraph_router_upstream_subscriptions"
	metricOutboxBacklog = "cinegraph_outbox_backlog"
	metricConsumerLag   = "cinegraph_events_consumer_lag"
)

// opsSource assembles the report for one LiveRouter and answers the
// router's fetches for it.
type opsSource struct {
	live    *LiveRouter
	slow    *slowops.Log
	started time.Time
	now     func() time.Time
	exec    *executor.Executor

	// events gathers the event pipeline's gauges, which are set whether
	// or not metrics are served.
	events *prometheus.Registry

	mu      sync.Mutex
	samples []trafficSample
}

func newOpsSource(l *LiveRouter, logger *slog.Logger) *opsSource {
	s := &opsSource{live: l, slow: slowops.New(0, 0), started: time.Now(), now: time.Now, events: prometheus.NewRegistry()}
	s.events.MustRegister(events.Collectors()...)
	es := ops.NewExecutableSchema(ops.Config{Resolvers: &opsresolvers.Resolver{Report: s.report}})
	s.exec = executor.New(es)
	s.exec.SetErrorPresenter(gqlserver.Presenter(logger))
	s.exec.SetRecoverFunc(gqlserver.Recover(logger))
	return s
}

// routerSources are the fetchers of the router's own sources, for
// router.Config.InProcess. Without a source (a router not built by a
// LiveRouter) the ops report answers an error.
func routerSources(s *opsSource) map[string]fetch.Fetcher {
	if s == nil {
		return map[string]fetch.Fetcher{OpsSource: fetch.Func(func(context.Context, *wire.SubgraphRequest, http.Header) (*wire.SubgraphResponse, error) {
			return nil, errors.New("the ops report is served only by a live router")
		})}
	}
	return map[string]fetch.Fetcher{OpsSource: fetch.Func(s.fetch)}
}

// observe is router.Config.OnOperation: nil without a source.
func (s *opsSource) observe() func(router.OperationRecord) {
	if s == nil {
		return nil
	}
	return s.slow.Observe
}

// fetch runs one of the router's requests on the ops schema in process.
func (s *opsSource) fetch(ctx context.Context, req *wire.SubgraphRequest, _ http.Header) (*wire.SubgraphResponse, error) {
	ctx = graphql.StartOperationTrace(ctx)
	params := &graphql.RawParams{Query: req.Query, OperationName: req.OperationName, Variables: req.Variables}
	var resp *graphql.Response
	opCtx, errs := s.exec.CreateOperationContext(ctx, params)
	if errs != nil {
		resp = s.exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), errs)
	} else {
		handle, rctx := s.exec.DispatchOperation(ctx, opCtx)
		resp = handle(rctx)
	}
	raw, err := json.Marshal(resp)
	if err != nil {
		return nil, fmt.Errorf("ops: encode response: %w", err)
	}
	return wire.DecodeResponse(raw)
}

// report assembles the ops report now.
func (s *opsSource) report(context.Context) (*model.OpsReport, error) {
	now := s.now().UTC()
	cfg := s.live.Config()
	out := &model.OpsReport{
		GeneratedAt:    now.Format(time.RFC3339),
		StorageMode:    string(cfg.Storage.Mode),
		Subgraphs:      s.subgraphs(),
		Traffic:        &model.OpsTraffic{Subgraphs: []*model.OpsSubgraphTraffic{}},
		Realtime:       &model.OpsRealtime{},
		Events:         s.eventsReport(),
		SlowOperations: s.slowOperations(),
	}
	reg := s.live.Metrics().Registry()
	if reg == nil {
		off := "not measured in this mode: metrics.enabled is off"
		out.Traffic.Missing = &off
		out.Realtime.Missing = &off
		return out, nil
	}
	families, err := reg.Gather()
	if err != nil && len(families) == 0 {
		return nil, fmt.Errorf("ops: gather metrics: %w", err)
	}
	byName := map[string]*dto.MetricFamily{}
	for _, f := range families {
		byName[f.GetName()] = f
	}
	out.Traffic = s.traffic(now, byName)
	out.Realtime = realtime(byName)
	return out, nil
}

// subgraphs is the router's view of every subgraph instance, by subgraph
// name, names and URLs in order.
func (s *opsSource) subgraphs() []*model.OpsSubgraph {
	bySubgraph := map[string]*model.OpsSubgraph{}
	for key, r := range s.live.Report() {
		// Report names a subgraph's second and later instances name@url.
		name, _, _ := strings.Cut(key, "@")
		sg := bySubgraph[name]
		if sg == nil {
			sg = &model.OpsSubgraph{Name: name, Instances: []*model.OpsInstance{}}
			bySubgraph[name] = sg
		}
		in := &model.OpsInstance{URL: r.URL, Status: r.Status, Breaker: r.Breaker, Required: r.Required, Breakers: []*model.OpsBreaker{}}
		if r.Error != "" {
			e := r.Error
			in.Error = &e
		}
		if r.CheckedAt != nil {
			at := r.CheckedAt.UTC().Format(time.RFC3339Nano)
			in.CheckedAt = &at
		}
		for _, b := range r.Breakers {
			in.Breakers = append(in.Breakers, &model.OpsBreaker{
				Rule: b.Rule, State: b.State, Executions: int(b.Executions), Failures: int(b.Failures), Successes: int(b.Successes),
			})
		}
		sg.Instances = append(sg.Instances, in)
	}
	out := make([]*model.OpsSubgraph, 0, len(bySubgraph))
	for _, sg := range bySubgraph {
		slices.SortFunc(sg.Instances, func(a, b *model.OpsInstance) int { return strings.Compare(a.URL, b.URL) })
		out = append(out, sg)
	}
	slices.SortFunc(out, func(a, b *model.OpsSubgraph) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// trafficSample is the fetch metrics of every subgraph at one time.
type trafficSample struct {
	at        time.Time
	subgraphs map[string]fetchCounts
}

// fetchCounts are one subgraph's cumulative fetch counts: the histogram's
// buckets (upper bounds and cumulative counts), its count and the errors.
type fetchCounts struct {
	bounds  []float64
	buckets []uint64
	count   uint64
	errors  float64
}

// minus is c's counts since earlier's (zero when the counts went back,
// after a restart of the metrics).
func (c fetchCounts) minus(earlier fetchCounts) fetchCounts {
	if c.count < earlier.count || len(earlier.buckets) != len(c.buckets) {
		return c
	}
	d := fetchCounts{bounds: c.bounds, buckets: make([]uint64, len(c.buckets)), count: c.count - earlier.count, errors: math.Max(0, c.errors-earlier.errors)}
	for i := range c.buckets {
		if c.buckets[i] >= earlier.buckets[i] {
			d.buckets[i] = c.buckets[i] - earlier.buckets[i]
		}
	}
	return d
}

// sampleTraffic reads the fetch metrics out of families.
func sampleTraffic(at time.Time, families map[string]*dto.MetricFamily) trafficSample {
	s := trafficSample{at: at, subgraphs: map[string]fetchCounts{}}
	if f := families[metricFetchDuration]; f != nil {
		for _, m := range f.GetMetric() {
			name := label(m, "subgraph")
			h := m.GetHistogram()
			c := fetchCounts{count: h.GetSampleCount()}
			for _, b := range h.GetBucket() {
				if math.IsInf(b.GetUpperBound(), 1) {
					continue
				}
				c.bounds = append(c.bounds, b.GetUpperBound())
				c.buckets = append(c.buckets, b.GetCumulativeCount())
			}
			s.subgraphs[name] = c
		}
	}
	if f := families[metricFetchErrors]; f != nil {
		for _, m := range f.GetMetric() {
			name := label(m, "subgraph")
			c := s.subgraphs[name]
			c.errors += m.GetCounter().GetValue()
			s.subgraphs[name] = c
		}
	}
	return s
}

// traffic is each subgraph's fetch rate, error rate and p99 over the
// window: since the newest sample at least opsMinWindow old, else since
// start.
func (s *opsSource) traffic(now time.Time, families map[string]*dto.MetricFamily) *model.OpsTraffic {
	cur := sampleTraffic(now, families)
	s.mu.Lock()
	base := trafficSample{at: s.started}
	for _, old := range s.samples {
		if now.Sub(old.at) >= opsMinWindow {
			base = old
		}
	}
	s.samples = append(s.samples, cur)
	s.samples = slices.DeleteFunc(s.samples, func(x trafficSample) bool { return now.Sub(x.at) > opsMaxWindow })
	s.mu.Unlock()

	seconds := now.Sub(base.at).Seconds()
	window := "since start"
	if base.subgraphs != nil {
		window = fmt.Sprintf("last %ds", int(math.Round(seconds)))
	}
	out := &model.OpsTraffic{Window: &window, WindowSeconds: &seconds, Subgraphs: []*model.OpsSubgraphTraffic{}}
	names := make([]string, 0, len(cur.subgraphs))
	for name := range cur.subgraphs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		d := cur.subgraphs[name].minus(base.subgraphs[name])
		t := &model.OpsSubgraphTraffic{Subgraph: name}
		if seconds > 0 {
			t.RequestsPerSecond = float64(d.count) / seconds
			t.ErrorsPerSecond = d.errors / seconds
		}
		if p, ok := quantile(0.99, d.bounds, d.buckets, d.count); ok {
			ms := p * 1000
			t.P99Ms = &ms
		}
		out.Subgraphs = append(out.Subgraphs, t)
	}
	if len(out.Subgraphs) == 0 {
		none := "no subgraph fetch measured yet"
		out.Missing = &none
	}
	return out
}

// quantile estimates the q quantile of a histogram from its cumulative
// buckets (upper bounds in order, the +Inf bucket left out, count
// covering it), interpolating linearly inside the bucket it falls in as
// Prometheus' histogram_quantile does; beyond the last bound it is that
// bound. False without observations.
func quantile(q float64, bounds []float64, cumulative []uint64, count uint64) (float64, bool) {
	if count == 0 || len(bounds) == 0 {
		return 0, false
	}
	rank := q * float64(count)
	lower, below := 0.0, uint64(0)
	for i, bound := range bounds {
		if float64(cumulative[i]) >= rank {
			in := cumulative[i] - below
			if in == 0 {
				return bound, true
			}
			return lower + (bound-lower)*(rank-float64(below))/float64(in), true
		}
		lower, below = bound, cumulative[i]
	}
	return bounds[len(bounds)-1], true
}

// realtime reads the router's websocket and upstream subscription gauges.
func realtime(families map[string]*dto.MetricFamily) *model.OpsRealtime {
	out := &model.OpsRealtime{}
	if v, ok := gauge(families[metricWebsockets]); ok {
		n := int(v)
		out.WebsocketConnections = &n
	}
	if v, ok := gauge(families[metricUpstreams]); ok {
		n := int(v)
		out.ActiveSubscriptions = &n
	}
	if out.WebsocketConnections == nil && out.ActiveSubscriptions == nil {
		none := "not measured yet: the router has not counted a websocket or subscription"
		out.Missing = &none
	}
	return out
}

// eventsReport reads the outbox relays' backlog and the consumers' lag
// this process reported.
func (s *opsSource) eventsReport() *model.OpsEvents {
	out := &model.OpsEvents{Outboxes: []*model.OpsOutbox{}, Consumers: []*model.OpsConsumer{}}
	families, _ := s.events.Gather()
	for _, f := range families {
		for _, m := range f.GetMetric() {
			switch f.GetName() {
			case metricOutboxBacklog:
				out.Outboxes = append(out.Outboxes, &model.OpsOutbox{Name: label(m, "outbox"), Backlog: m.GetGauge().GetValue()})
			case metricConsumerLag:
				out.Consumers = append(out.Consumers, &model.OpsConsumer{Topic: label(m, "topic"), Group: label(m, "group"), Lag: m.GetGauge().GetValue()})
			}
		}
	}
	slices.SortFunc(out.Outboxes, func(a, b *model.OpsOutbox) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(out.Consumers, func(a, b *model.OpsConsumer) int {
		return strings.Compare(a.Topic+"\x00"+a.Group, b.Topic+"\x00"+b.Group)
	})
	if len(out.Outboxes) == 0 && len(out.Consumers) == 0 {
		none := "not measured in this process: no outbox relay or event consumer here has reported (subgraphs running as their own processes report on their own /metrics)"
		out.Missing = &none
	}
	return out
}

// slowOperations is the slowest recent operations, slowest first.
func (s *opsSource) slowOperations() *model.OpsSlowOperations {
	out := &model.OpsSlowOperations{
		WindowSeconds: s.slow.Window().Seconds(),
		Capacity:      s.slow.Capacity(),
		Operations:    []*model.OpsOperation{},
	}
	for _, op := range s.slow.Slowest() {
		o := &model.OpsOperation{
			Kind: op.Kind, DurationMs: float64(op.Duration.Microseconds()) / 1000,
			FinishedAt: op.FinishedAt.UTC().Format(time.RFC3339Nano), Outcome: op.Outcome, Plan: string(op.Plan),
		}
		if op.Name != "" {
			name := op.Name
			o.Name = &name
		}
		out.Operations = append(out.Operations, o)
	}
	if len(out.Operations) == 0 {
		none := "no query or mutation has finished in the window yet"
		out.Missing = &none
	}
	return out
}

// label is the value of m's label called name.
func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// gauge is the value of an unlabelled gauge family.
func gauge(f *dto.MetricFamily) (float64, bool) {
	if f == nil || len(f.GetMetric()) == 0 {
		return 0, false
	}
	return f.GetMetric()[0].GetGauge().GetValue(), true
}
