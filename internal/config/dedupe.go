package config

import "strings"

// Dedupe shares identical work in flight at the same time (router/dedupe):
// not a cache, mutations never.
type Dedupe struct {
	// Enabled shares identical subgraph queries (entity fetches included).
	Enabled bool `koanf:"enabled" yaml:"enabled"`
	// Operations shares identical client queries: one execution answers
	// every request that arrives while it runs.
	Operations bool `koanf:"operations" yaml:"operations"`
	// IgnoreHeaders vary per request without changing a subgraph's answer,
	// so fetches differing only there are still shared; every other header
	// that reaches subgraphs (the viewer's identity among them) keeps
	// fetches apart.
	IgnoreHeaders []string `koanf:"ignore_headers" yaml:"ignore_headers"`
}

func defaultDedupe() Dedupe {
	return Dedupe{Enabled: true, Operations: true, IgnoreHeaders: []string{"X-Request-Id", "Traceparent", "Tracestate", "Baggage"}}
}

func (d Dedupe) problems(check func(ok bool, format string, args ...any)) {
	for _, h := range d.IgnoreHeaders {
		check(h != "" && !strings.ContainsAny(h, " \t:\r\n"), "router.dedupe.ignore_headers: %q is not a header name", h)
	}
}
