package app

import (
	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/telemetry"
	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/tracing"
)

// routerTracing is the router's tracing over the process's provider
// (telemetry.Current, installed by the command): nil when tracing.exporter
// is none, so the router starts no span.
func routerTracing(cfg config.Tracing) *tracing.Tracing {
	p := telemetry.Current()
	return tracing.New(p.TracerProvider(), p.Propagator(), tracing.Options{
		AcceptClientContext: cfg.AcceptClientContext,
		RecordDocument:      cfg.RecordDocument,
	})
}

// tracedGuard is guard inside each fetch's span, so that the span covers
// the retries and records the guard's refusals, with its attempts counted
// inside it; without tracing it is guard alone.
func tracedGuard(tr *tracing.Tracing, guard fetch.Middleware) fetch.Middleware {
	if tr == nil {
		return guard
	}
	return func(subgraph, instance string, next fetch.Fetcher) fetch.Fetcher {
		return tr.Fetch(subgraph, instance, guard(subgraph, instance, tr.Attempts(subgraph, instance, next)))
	}
}
