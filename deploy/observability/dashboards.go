package observability

import (
	"encoding/json"
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
)

// GrafanaDir is where the generated dashboards are committed, relative to
// this package.
const GrafanaDir = "grafana"

// Dashboard is one generated dashboard: File is its name under
// GrafanaDir, JSON what Grafana imports.
type Dashboard struct {
	File string
	JSON []byte
}

// Dashboards builds every dashboard, in a fixed order, as indented JSON
// ending in a newline (so that the committed files diff cleanly).
func Dashboards() ([]Dashboard, error) {
	builders := []struct {
		file string
		b    *dashboard.DashboardBuilder
	}{
		{"router.json", routerDashboard()},
		{"subgraphs.json", subgraphsDashboard()},
		{"subscriptions.json", subscriptionsDashboard()},
		{"stores.json", storesDashboard()},
		{"runtime.json", runtimeDashboard()},
	}
	out := make([]Dashboard, 0, len(builders))
	for _, d := range builders {
		built, err := d.b.Build()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.file, err)
		}
		raw, err := json.MarshalIndent(built, "", "  ")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.file, err)
		}
		out = append(out, Dashboard{File: d.file, JSON: append(raw, '\n')})
	}
	return out, nil
}

// Exprs returns every PromQL expression of a built dashboard's panels, for
// the metric-name check.
func Exprs(raw []byte) ([]string, error) {
	var d struct {
		Panels []panelJSON `json:"panels"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, err
	}
	var exprs []string
	var walk func([]panelJSON)
	walk = func(panels []panelJSON) {
		for _, p := range panels {
			for _, t := range p.Targets {
				if t.Expr != "" {
					exprs = append(exprs, t.Expr)
				}
			}
			// A collapsed row keeps its panels inside it.
			walk(p.Panels)
		}
	}
	walk(d.Panels)
	return exprs, nil
}

type panelJSON struct {
	Targets []struct {
		Expr string `json:"expr"`
	} `json:"targets"`
	Panels []panelJSON `json:"panels"`
}

// datasource is the dashboards' one variable: which Prometheus to read,
// so that the JSON imports into any Grafana without editing.
var datasource = common.DataSourceRef{Type: cog.ToPtr("prometheus"), Uid: cog.ToPtr("${datasource}")}

// rate is the range every rate() uses: Grafana's $__rate_interval stays at
// least four scrape intervals, whatever the zoom.
const rate = "$__rate_interval"

func newDashboard(uid, title, description string) *dashboard.DashboardBuilder {
	return dashboard.NewDashboardBuilder(title).
		Uid(uid).
		Description(description).
		Tags([]string{"cinegraph", "generated"}).
		Refresh("30s").
		Time("now-1h", "now").
		Timezone(common.TimeZoneBrowser).
		Tooltip(dashboard.DashboardCursorSyncCrosshair).
		// Edits made in Grafana would be lost at the next generation: the
		// Go code is the source.
		Readonly().
		WithVariable(dashboard.NewDatasourceVariableBuilder("datasource").
			Label("Prometheus").
			Type("prometheus"))
}

// query is one PromQL target and its legend.
type query struct{ expr, legend string }

func q(expr, legend string) query { return query{expr, legend} }

func target(x query) *prometheus.DataqueryBuilder {
	return prometheus.NewDataqueryBuilder().
		Datasource(datasource).
		Expr(x.expr).
		LegendFormat(x.legend)
}

// graph is a time series panel of queries in unit.
func graph(title, description, unit string, width uint32, queries ...query) *timeseries.PanelBuilder {
	p := timeseries.NewPanelBuilder().
		Title(title).
		Description(description).
		Datasource(datasource).
		Unit(unit).
		Min(0).
		FillOpacity(10).
		Height(8).
		Span(width)
	for _, x := range queries {
		p.WithTarget(target(x))
	}
	return p
}

// single is a stat panel showing the latest value of one query.
func single(title, description, unit string, x query) *stat.PanelBuilder {
	return stat.NewPanelBuilder().
		Title(title).
		Description(description).
		Datasource(datasource).
		Unit(unit).
		Height(4).
		Span(6).
		WithTarget(target(x))
}

// quantiles are p50, p95 and p99 of a histogram, summed by the labels in
// by (besides le).
func quantiles(histogram, selector, by, legendPrefix string) []query {
	var out []query
	for _, p := range []string{"0.5", "0.95", "0.99"} {
		group := "le"
		if by != "" {
			group = by + ", le"
		}
		out = append(out, q(
			fmt.Sprintf("histogram_quantile(%s, sum by (%s) (rate(%s_bucket%s[%s])))", p, group, histogram, selector, rate),
			legendPrefix+"p"+p[2:]))
	}
	return out
}

func routerDashboard() *dashboard.DashboardBuilder {
	return newDashboard("cinegraph-router", "Cinegraph / Router",
		"The router's GraphQL traffic: requests by operation and outcome, latency, requests in flight, the plan cache and request deduplication.").
		WithRow(dashboard.NewRowBuilder("Overview")).
		WithPanel(single("Requests/s", "GraphQL operations answered per second, every outcome.", "reqps",
			q(fmt.Sprintf("sum(rate(cinegraph_router_requests_total[%s]))", rate), "requests/s"))).
		WithPanel(single("Error ratio", "Share of operations answered with errors and no data (outcome error).", "percentunit",
			q(fmt.Sprintf(`sum(rate(cinegraph_router_requests_total{outcome="error"}[%[1]s])) / sum(rate(cinegraph_router_requests_total[%[1]s]))`, rate), "errors"))).
		WithPanel(single("In flight", "Operations being answered now, all routers (what the autoscaler reads).", "short",
			q("sum(cinegraph_router_inflight_requests)", "in flight"))).
		WithPanel(single("Plan cache hit ratio", "Share of operations whose parsed and validated plan was cached.", "percentunit",
			q(fmt.Sprintf(`sum(rate(cinegraph_router_plan_cache_requests_total{result="hit"}[%[1]s])) / sum(rate(cinegraph_router_plan_cache_requests_total[%[1]s]))`, rate), "hit ratio"))).
		WithRow(dashboard.NewRowBuilder("Requests")).
		WithPanel(graph("Requests/s by operation and outcome",
			"Operation names are bounded by metrics.max_operation_names; later names count as other.", "reqps", 12,
			q(fmt.Sprintf("sum by (operation_name, outcome) (rate(cinegraph_router_requests_total[%s]))", rate), "{{operation_name}} {{outcome}}"))).
		WithPanel(graph("Requests/s by type and outcome",
			"Refusals (rejected, not_allowed, blocked, limited, unauthenticated) say why the router answered without executing.", "reqps", 12,
			q(fmt.Sprintf("sum by (operation_type, outcome) (rate(cinegraph_router_requests_total[%s]))", rate), "{{operation_type}} {{outcome}}"))).
		WithPanel(graph("Latency", "Time from arrival to answer; subscriptions are not timed.", "s", 12,
			quantiles("cinegraph_router_request_duration_seconds", "", "", "")...)).
		WithPanel(graph("p99 latency by type and outcome", "", "s", 12,
			q(fmt.Sprintf("histogram_quantile(0.99, sum by (operation_type, outcome, le) (rate(cinegraph_router_request_duration_seconds_bucket[%s])))", rate), "{{operation_type}} {{outcome}}"))).
		WithPanel(graph("In flight by instance", "", "short", 12,
			q("sum by (instance) (cinegraph_router_inflight_requests)", "{{instance}}"))).
		WithRow(dashboard.NewRowBuilder("Plan cache and deduplication")).
		WithPanel(graph("Plan cache lookups/s", "", "ops", 12,
			q(fmt.Sprintf("sum by (result) (rate(cinegraph_router_plan_cache_requests_total[%s]))", rate), "{{result}}"))).
		WithPanel(graph("Deduplication", "Fetches and queries answered by an identical one in flight (router.dedupe).", "ops", 12,
			q(fmt.Sprintf("sum(rate(cinegraph_router_dedupe_fetches_sent_total[%s]))", rate), "fetches sent"),
			q(fmt.Sprintf("sum(rate(cinegraph_router_dedupe_fetches_shared_total[%s]))", rate), "fetches shared"),
			q(fmt.Sprintf("sum(rate(cinegraph_router_dedupe_operations_executed_total[%s]))", rate), "queries executed"),
			q(fmt.Sprintf("sum(rate(cinegraph_router_dedupe_operations_merged_total[%s]))", rate), "queries merged")))
}

func subgraphsDashboard() *dashboard.DashboardBuilder {
	return newDashboard("cinegraph-subgraphs", "Cinegraph / Subgraphs",
		"Subgraph health as the router sees it (fetches, errors, breakers) and as the subgraph servers count it (gqlgen operations).").
		WithRow(dashboard.NewRowBuilder("Router fetches")).
		WithPanel(graph("Fetch p99 latency by subgraph", "Retries included, whatever the outcome.", "s", 12,
			q(fmt.Sprintf("histogram_quantile(0.99, sum by (subgraph, le) (rate(cinegraph_subgraph_fetch_duration_seconds_bucket[%s])))", rate), "{{subgraph}}"))).
		WithPanel(graph("Fetch p50 latency by subgraph", "", "s", 12,
			q(fmt.Sprintf("histogram_quantile(0.5, sum by (subgraph, le) (rate(cinegraph_subgraph_fetch_duration_seconds_bucket[%s])))", rate), "{{subgraph}}"))).
		WithPanel(graph("Fetches/s by subgraph", "", "ops", 12,
			q(fmt.Sprintf("sum by (subgraph) (rate(cinegraph_subgraph_fetch_duration_seconds_count[%s]))", rate), "{{subgraph}}"))).
		WithPanel(graph("Fetch errors/s by reason", "timeout, circuit_open and bulkhead_full come from the guard; canceled fetches are the client's doing.", "ops", 12,
			q(fmt.Sprintf("sum by (subgraph, reason) (rate(cinegraph_subgraph_fetch_errors_total[%s])) > 0", rate), "{{subgraph}} {{reason}}"))).
		WithPanel(graph("Fetches in flight by subgraph", "", "short", 12,
			q("sum by (subgraph) (cinegraph_subgraph_inflight_fetches)", "{{subgraph}}"))).
		WithPanel(graph("Breaker states", "Instances in each breaker state, as every router reports them; anything but closed means fetches are refused or probed.", "short", 12,
			q("sum by (subgraph, state) (cinegraph_subgraph_breaker_state)", "{{subgraph}} {{state}}"))).
		WithRow(dashboard.NewRowBuilder("Subgraph servers")).
		WithPanel(graph("Operations/s by subgraph and outcome", "Counted by each subgraph's gqlgen server.", "ops", 12,
			q(fmt.Sprintf("sum by (subgraph, outcome) (rate(cinegraph_graphql_operations_total[%s]))", rate), "{{subgraph}} {{outcome}}"))).
		WithPanel(graph("Operation p99 latency by subgraph", "From reading the request to the response, in the subgraph server.", "s", 12,
			q(fmt.Sprintf("histogram_quantile(0.99, sum by (subgraph, le) (rate(cinegraph_graphql_operation_duration_seconds_bucket[%s])))", rate), "{{subgraph}}")))
}

func subscriptionsDashboard() *dashboard.DashboardBuilder {
	return newDashboard("cinegraph-subscriptions", "Cinegraph / Subscriptions and Kafka",
		"Client websockets and subscriptions on the routers, the events handed to clients, and in cluster mode the Kafka consumers' lag and the outbox backlog.").
		WithRow(dashboard.NewRowBuilder("Subscriptions")).
		WithPanel(graph("Client websockets", "", "short", 8,
			q("sum by (instance) (cinegraph_router_websockets)", "{{instance}}"))).
		WithPanel(graph("Upstream subscriptions", "Subscriptions open on subgraphs; identical client subscriptions share one.", "short", 8,
			q("sum by (instance) (cinegraph_router_upstream_subscriptions)", "{{instance}}"))).
		WithPanel(graph("Subscriptions started/s", "", "ops", 8,
			q(fmt.Sprintf(`sum by (outcome) (rate(cinegraph_router_requests_total{operation_type="subscription"}[%s]))`, rate), "{{outcome}}"))).
		WithPanel(graph("Events/s", "Results handed to clients, and those a client lagging too far behind missed (its subscription ends).", "ops", 24,
			q(fmt.Sprintf("sum(rate(cinegraph_router_subscription_events_delivered_total[%s]))", rate), "delivered"),
			q(fmt.Sprintf("sum(rate(cinegraph_router_subscription_events_dropped_total[%s]))", rate), "dropped"))).
		WithRow(dashboard.NewRowBuilder("Kafka")).
		WithPanel(graph("Consumer lag by topic and group", "Messages behind the end of each topic; growing lag delays subscription events.", "short", 12,
			q("max by (topic, group) (cinegraph_events_consumer_lag)", "{{topic}} {{group}}"))).
		WithPanel(graph("Outbox backlog", "Events committed to each subgraph's outbox and not yet published to the bus.", "short", 12,
			q("max by (outbox) (cinegraph_outbox_backlog)", "{{outbox}}")))
}

func storesDashboard() *dashboard.DashboardBuilder {
	const h = "cinegraph_store_call_duration_seconds"
	return newDashboard("cinegraph-stores", "Cinegraph / Stores",
		"Calls from the subgraphs to their stores (sqlite when embedded; PostgreSQL, Cassandra, Redis, Elasticsearch in cluster mode) by subgraph, system and operation.").
		WithPanel(graph("Calls/s by subgraph and system", "", "ops", 12,
			q(fmt.Sprintf("sum by (subgraph, system) (rate(%s_count[%s]))", h, rate), "{{subgraph}} {{system}}"))).
		WithPanel(graph("Failed calls/s by subgraph, system and operation", "Calls whose outcome is error (a not-found answer is ok).", "ops", 12,
			q(fmt.Sprintf(`sum by (subgraph, system, operation) (rate(%s_count{outcome!="ok"}[%s])) > 0`, h, rate), "{{subgraph}} {{system}} {{operation}}"))).
		WithPanel(graph("p99 latency by subgraph, system and operation", "", "s", 12,
			q(fmt.Sprintf("histogram_quantile(0.99, sum by (subgraph, system, operation, le) (rate(%s_bucket[%s])))", h, rate), "{{subgraph}} {{system}} {{operation}}"))).
		WithPanel(graph("Latency by system", "", "s", 12,
			quantiles(h, "", "system", "{{system}} ")...))
}

func runtimeDashboard() *dashboard.DashboardBuilder {
	return newDashboard("cinegraph-runtime", "Cinegraph / Go runtime",
		"Every Cinegraph process's Go runtime and process figures, by scrape target.").
		WithPanel(graph("Goroutines", "", "short", 12, q("go_goroutines", "{{job}} {{instance}}"))).
		WithPanel(graph("Heap in use", "", "bytes", 12, q("go_memstats_heap_inuse_bytes", "{{job}} {{instance}}"))).
		WithPanel(graph("Resident memory", "", "bytes", 12, q("process_resident_memory_bytes", "{{job}} {{instance}}"))).
		WithPanel(graph("CPU", "CPU seconds per second.", "short", 12,
			q(fmt.Sprintf("rate(process_cpu_seconds_total[%s])", rate), "{{job}} {{instance}}"))).
		WithPanel(graph("GC pause (mean)", "", "s", 12,
			q(fmt.Sprintf("rate(go_gc_duration_seconds_sum[%[1]s]) / rate(go_gc_duration_seconds_count[%[1]s])", rate), "{{job}} {{instance}}"))).
		WithPanel(graph("Open file descriptors", "Against the process's limit.", "percentunit", 12,
			q("process_open_fds / process_max_fds", "{{job}} {{instance}}")))
}
