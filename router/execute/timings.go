package execute

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/wire"
)

// Timings records when each subgraph fetch of one execution started and
// how long it took, for the response's extensions.timings. An execution
// records them only when its context carries a Timings (WithTimings); one
// without costs a context lookup per execution and a nil check per fetch.
type Timings struct {
	start time.Time
	mu    sync.Mutex
	// fetches are in the order the fetches started.
	fetches []*FetchTiming
}

// FetchTiming is one subgraph fetch, as extensions.timings.fetches shows
// it. Times are milliseconds, fractional, from the start of the execution.
type FetchTiming struct {
	Subgraph string `json:"subgraph"`
	// Path is where the fetch's data goes in the response: empty for a
	// root fetch, the plan's flatten path ("@" for every item of a list)
	// for an entity fetch.
	Path       []string `json:"path"`
	StartMs    float64  `json:"start_ms"`
	DurationMs float64  `json:"duration_ms"`
	// Attempts counts the requests sent, retries included; 0 when none
	// was sent (a circuit breaker or bulkhead refused the fetch).
	Attempts int `json:"attempts"`
	// Error is set when the fetch got no answer.
	Error bool `json:"error,omitempty"`

	began    time.Time
	attempts atomic.Int32
}

// TimingsJSON is the shape of extensions.timings.
type TimingsJSON struct {
	TotalMs float64        `json:"total_ms"`
	Fetches []*FetchTiming `json:"fetches"`
}

type timingsKey struct{}

// WithTimings returns ctx asking the executions under it to record their
// fetches into the Timings returned; its clock starts now.
func WithTimings(ctx context.Context) (context.Context, *Timings) {
	t := &Timings{start: time.Now()}
	return context.WithValue(ctx, timingsKey{}, t), t
}

// timingsFrom returns the Timings ctx asks for, or nil.
func timingsFrom(ctx context.Context) *Timings {
	t, _ := ctx.Value(timingsKey{}).(*Timings)
	return t
}

// begin records the start of a fetch from subgraph into path and returns
// the context its attempts are counted in.
func (t *Timings) begin(ctx context.Context, subgraph string, path []string) (context.Context, *FetchTiming) {
	if path == nil {
		path = []string{}
	}
	ft := &FetchTiming{Subgraph: subgraph, Path: path, began: time.Now()}
	ft.StartMs = millis(ft.began.Sub(t.start))
	t.mu.Lock()
	t.fetches = append(t.fetches, ft)
	t.mu.Unlock()
	return fetch.WithAttempts(ctx, &ft.attempts), ft
}

// end records the end of ft.
func (t *Timings) end(ft *FetchTiming, err error) {
	d := time.Since(ft.began)
	t.mu.Lock()
	ft.DurationMs = millis(d)
	ft.Attempts = int(ft.attempts.Load())
	ft.Error = err != nil
	t.mu.Unlock()
}

// Report is the timings so far, total_ms ending now.
func (t *Timings) Report() *TimingsJSON {
	t.mu.Lock()
	defer t.mu.Unlock()
	return &TimingsJSON{TotalMs: millis(time.Since(t.start)), Fetches: append([]*FetchTiming{}, t.fetches...)}
}

// millis is d in milliseconds, to the microsecond.
func millis(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}

// fetchTimed sends one fetch, timing it when the execution records
// timings.
func (r *run) fetchTimed(subgraph string, path []string, req *wire.SubgraphRequest) (*wire.SubgraphResponse, error) {
	if r.timings == nil {
		return r.e.Fetchers.Fetch(r.ctx, subgraph, req, r.header)
	}
	ctx, ft := r.timings.begin(r.ctx, subgraph, path)
	resp, err := r.e.Fetchers.Fetch(ctx, subgraph, req, r.header)
	r.timings.end(ft, err)
	return resp, err
}
