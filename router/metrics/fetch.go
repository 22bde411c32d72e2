package metrics

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/wire"
)

// FetchReason is the reason label of a failed fetch.
type FetchReason uint8

// The reasons a fetch failed: refused or cut short by the guard
// (Timeout, CircuitOpen, BulkheadFull), no answer (Transport), a non-GraphQL
// answer with an HTTP error status (HTTPStatus), an answer with GraphQL
// errors (GraphQL), an answer longer than the request allowed
// (TooLarge), or the fetch cancelled because its client left or its plan
// no longer needed it (Canceled).
const (
	Timeout FetchReason = iota
	CircuitOpen
	BulkheadFull
	Transport
	HTTPStatus
	GraphQL
	TooLarge
	Canceled
	numReasons
)

var reasonNames = [numReasons]string{"timeout", "circuit_open", "bulkhead_full", "transport", "http_status", "graphql", "response_too_large", "canceled"}

func (r FetchReason) String() string { return reasonNames[r] }

// FetchFailure classifies a fetch's result: the reason it failed, and
// false when it did not.
func FetchFailure(resp *wire.SubgraphResponse, err error) (FetchReason, bool) {
	if err == nil {
		if resp != nil && len(resp.Errors) > 0 {
			return GraphQL, true
		}
		return 0, false
	}
	var fe *fetch.Error
	if errors.As(err, &fe) {
		switch fe.Reason {
		case fetch.Timeout:
			return Timeout, true
		case fetch.CircuitOpen:
			return CircuitOpen, true
		case fetch.BulkheadFull:
			return BulkheadFull, true
		}
	}
	var se *fetch.StatusError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return Timeout, true
	case errors.Is(err, context.Canceled):
		return Canceled, true
	case errors.Is(err, fetch.ErrOverAllowance):
		return TooLarge, true
	case errors.As(err, &se):
		return HTTPStatus, true
	}
	return Transport, true
}

// Fetch is a fetch.Middleware timing every fetch from subgraph's instance
// and counting those in flight and those that failed. It goes first in
// the chain, outside the guard, so that it sees the guard's refusals; a
// fetch's time includes its retries.
func (m *Router) Fetch(subgraph, _ string, next fetch.Fetcher) fetch.Fetcher {
	if m == nil {
		return next
	}
	f := &fetcher{
		next:     next,
		duration: m.fetchDuration.WithLabelValues(subgraph),
		inflight: m.fetchInflight.WithLabelValues(subgraph),
	}
	for r := range numReasons {
		f.errors[r] = m.fetchErrors.WithLabelValues(subgraph, reasonNames[r])
	}
	return f
}

type fetcher struct {
	next     fetch.Fetcher
	duration prometheus.Observer
	inflight prometheus.Gauge
	errors   [numReasons]prometheus.Counter
}

func (f *fetcher) Fetch(ctx context.Context, req *wire.SubgraphRequest, header http.Header) (*wire.SubgraphResponse, error) {
	f.inflight.Inc()
	start := time.Now()
	resp, err := f.next.Fetch(ctx, req, header)
	f.duration.Observe(time.Since(start).Seconds())
	f.inflight.Dec()
	if r, failed := FetchFailure(resp, err); failed {
		f.errors[r].Inc()
	}
	return resp, err
}

// Release passes a discovery release on to the fetcher wrapped, when it
// has one (a guarded instance drops out of the guard's reports).
func (f *fetcher) Release() {
	if r, ok := f.next.(interface{ Release() }); ok {
		r.Release()
	}
}

// Available passes the wrapped fetcher's availability on, for balancers.
func (f *fetcher) Available() bool {
	if a, ok := f.next.(interface{ Available() bool }); ok {
		return a.Available()
	}
	return true
}
