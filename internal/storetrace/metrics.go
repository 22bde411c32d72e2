package storetrace

import (
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

// Outcomes, as the outcome label names them: a call that returned an error
// (other than an expected not-found) is an error.
const (
	OutcomeOK    = "ok"
	OutcomeError = "error"
)

// DurationBuckets are the store call histogram's, in seconds: finer at the
// bottom than the GraphQL operations' since an embedded read takes tens of
// microseconds.
var DurationBuckets = []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}

// Metrics times store calls (Prometheus):
// cinegraph_store_call_duration_seconds by subgraph, system, operation and
// outcome. One Metrics serves every store of a process.
type Metrics struct {
	durations *prometheus.HistogramVec
}

// NewMetrics makes the store call metrics and registers them with reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		durations: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "cinegraph", Subsystem: "store", Name: "call_duration_seconds",
			Help:    "Time a subgraph's store took to answer a call of its contract (one dataloader batch is one call), by subgraph, system (sqlite, postgresql, cassandra, redis, elasticsearch), operation and outcome (ok or error; a not-found answer is ok).",
			Buckets: DurationBuckets,
		}, []string{"subgraph", "system", "operation", "outcome"}),
	}
	if err := reg.Register(m.durations); err != nil {
		return nil, err
	}
	return m, nil
}

var installed atomic.Pointer[Metrics]

// Install makes m the process's store metrics, which every Instrument made
// without Options.Metrics times its calls into from then on; nil stops
// timing. The composition root installs them when it builds the process's
// registry, which may be after the stores opened.
func Install(m *Metrics) { installed.Store(m) }

// Installed is the Metrics Install installed, or nil.
func Installed() *Metrics { return installed.Load() }
