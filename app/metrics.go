package app

import (
	"net/http"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/gqlserver"
	"github.com/cinegraph/cinegraph/internal/storetrace"
	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/metrics"
)

// MetricsPath is where the admin listener serves the process's metrics.
const MetricsPath = "/metrics"

// Metrics is one process's Prometheus registry (its own, never the global
// one) and what counts into it: the Go runtime, the process and the event
// pipeline (outbox backlog, consumer lag) always, the
// router's metrics once a router is built, the subgraph servers' once a
// subgraph is served. A nil *Metrics (metrics.enabled off) counts nothing
// and serves nothing.
type Metrics struct {
	cfg config.Metrics
	reg *prometheus.Registry

	routerOnce sync.Once
	router     *metrics.Router

	subgraphsOnce sync.Once
	subgraphs     *gqlserver.Metrics
}

// NewMetrics returns the process's metrics, or nil with metrics.enabled
// off.
func NewMetrics(cfg config.Config) *Metrics {
	if !cfg.Metrics.Enabled {
		return nil
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	// The outbox relays' backlog and the bus consumers' lag, which they
	// set wherever they run in this process.
	reg.MustRegister(events.Collectors()...)
	// Every store call of every subgraph in this process, timed by the
	// stores' instruments from now on.
	sm, err := storetrace.NewMetrics(reg)
	if err != nil {
		panic(err) // a fresh registry: a clash is a programming error
	}
	storetrace.Install(sm)
	return &Metrics{cfg: cfg.Metrics, reg: reg}
}

// Handler serves the metrics in Prometheus' text format (or another
// format the scraper negotiates); nil when m is.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return nil
	}
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Registry is the process's registry; nil when m is.
func (m *Metrics) Registry() *prometheus.Registry {
	if m == nil {
		return nil
	}
	return m.reg
}

// Router is the router's metrics, registered on first use and shared by
// every router a reload builds; nil when m is.
func (m *Metrics) Router() *metrics.Router {
	if m == nil {
		return nil
	}
	m.routerOnce.Do(func() {
		max := m.cfg.MaxOperationNames
		if max == 0 {
			max = -1 // none gets a name of its own
		}
		r, err := metrics.New(m.reg, metrics.Options{MaxOperationNames: max})
		if err != nil {
			panic("router metrics: " + err.Error()) // a fresh registry refuses nothing
		}
		m.router = r
	})
	return m.router
}

// Subgraph counts the operations h, the server of the subgraph called
// name, answers; h as it is when m is nil.
func (m *Metrics) Subgraph(name string, h http.Handler) http.Handler {
	if m == nil {
		return h
	}
	m.subgraphsOnce.Do(func() {
		s, err := gqlserver.NewMetrics(m.reg)
		if err != nil {
			panic("subgraph metrics: " + err.Error())
		}
		m.subgraphs = s
	})
	return m.subgraphs.Handler(name, h)
}

// fetchMiddleware puts the fetch metrics (when on) outside guard, so that
// they see its refusals and time fetches with their retries.
func fetchMiddleware(m *metrics.Router, guard fetch.Middleware) []fetch.Middleware {
	if m == nil {
		return []fetch.Middleware{guard}
	}
	return []fetch.Middleware{m.Fetch, guard}
}

// watch adds what l reports to the metrics, read at each scrape: the
// state of every subgraph instance's breakers, and the fetches and
// queries shared in flight.
func (m *Metrics) watch(l *LiveRouter) {
	if m == nil {
		return
	}
	m.reg.MustRegister(&routerCollector{l: l})
}

var (
	breakerStateDesc = prometheus.NewDesc("cinegraph_subgraph_breaker_state",
		"State of each subgraph instance's circuit breakers taken together: 1 for the state it is in (closed, open, half-open), 0 for the others.",
		[]string{"subgraph", "instance", "state"}, nil)
	dedupeFetchesSentDesc = prometheus.NewDesc("cinegraph_router_dedupe_fetches_sent_total",
		"Subgraph fetches that made a round trip with router.dedupe on.", nil, nil)
	dedupeFetchesSharedDesc = prometheus.NewDesc("cinegraph_router_dedupe_fetches_shared_total",
		"Subgraph fetches answered by an identical fetch's round trip.", nil, nil)
	dedupeOperationsExecutedDesc = prometheus.NewDesc("cinegraph_router_dedupe_operations_executed_total",
		"Client queries executed with router.dedupe.operations on.", nil, nil)
	dedupeOperationsMergedDesc = prometheus.NewDesc("cinegraph_router_dedupe_operations_merged_total",
		"Client queries answered by an identical query's execution.", nil, nil)
)

// breakerStates are the values of the state label.
var breakerStates = []string{"closed", "open", "half-open"}

// routerCollector reads the live router's reports when scraped; it polls
// nothing in between.
type routerCollector struct{ l *LiveRouter }

func (c *routerCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{breakerStateDesc, dedupeFetchesSentDesc, dedupeFetchesSharedDesc, dedupeOperationsExecutedDesc, dedupeOperationsMergedDesc} {
		ch <- d
	}
}

func (c *routerCollector) Collect(ch chan<- prometheus.Metric) {
	for key, r := range c.l.Report() {
		// Report names a subgraph's second and later instances name@url.
		subgraph, _, _ := strings.Cut(key, "@")
		for _, state := range breakerStates {
			v := 0.0
			if r.Breaker == state {
				v = 1
			}
			ch <- prometheus.MustNewConstMetric(breakerStateDesc, prometheus.GaugeValue, v, subgraph, r.URL, state)
		}
	}
	d := c.l.dedupeTotals()
	ch <- prometheus.MustNewConstMetric(dedupeFetchesSentDesc, prometheus.CounterValue, float64(d.fetchesSent))
	ch <- prometheus.MustNewConstMetric(dedupeFetchesSharedDesc, prometheus.CounterValue, float64(d.fetchesShared))
	ch <- prometheus.MustNewConstMetric(dedupeOperationsExecutedDesc, prometheus.CounterValue, float64(d.operationsExecuted))
	ch <- prometheus.MustNewConstMetric(dedupeOperationsMergedDesc, prometheus.CounterValue, float64(d.operationsMerged))
}
