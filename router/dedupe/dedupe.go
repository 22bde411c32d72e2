// Package dedupe shares identical work in flight at the same time: Group
// shares subgraph fetches, so a popular page requested by many clients at
// once costs a subgraph one round trip per distinct fetch, and Operations
// shares whole client operations, so it costs the router one execution. It
// is single-flight, not a cache: work that starts after an identical one
// has finished is done again.
//
// Two fetches are identical when they go to the same subgraph with the same
// document, operation name and variables, and with the same headers, but
// for those named as not changing the answer (request ids, trace context).
// Identity headers are part of the key, so different viewers never share.
// Only queries (entity fetches included) are shared, never mutations.
package dedupe

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/wire"
)

// DefaultIgnoreHeaders are headers that vary per request without changing
// a subgraph's answer.
var DefaultIgnoreHeaders = []string{"X-Request-Id", "Traceparent", "Tracestate", "Baggage"}

// Counts are a Group's figures since it was made.
type Counts struct {
	// Fetches counts the fetches that reached the subgraph; Shared those
	// answered by another's round trip.
	Fetches, Shared uint64
}

// Group shares identical in-flight fetches across the subgraphs of one
// router.
type Group struct {
	ignore map[string]bool

	mu      sync.Mutex
	flights map[string]*flight

	fetches, shared atomic.Uint64
}

// New returns a Group whose keys leave out the headers in ignore
// (canonicalized; nil means DefaultIgnoreHeaders).
func New(ignore []string) *Group {
	return &Group{ignore: canonical(ignore), flights: map[string]*flight{}}
}

// canonical is the set of header names in ignore, canonicalized; nil
// means DefaultIgnoreHeaders.
func canonical(ignore []string) map[string]bool {
	if ignore == nil {
		ignore = DefaultIgnoreHeaders
	}
	out := make(map[string]bool, len(ignore))
	for _, h := range ignore {
		out[http.CanonicalHeaderKey(h)] = true
	}
	return out
}

// Counts returns the group's figures.
func (g *Group) Counts() Counts {
	return Counts{Fetches: g.fetches.Load(), Shared: g.shared.Load()}
}

// Wrap returns subgraph's fetcher sharing identical in-flight queries.
func (g *Group) Wrap(subgraph string, next fetch.Fetcher) fetch.Fetcher {
	return &fetcher{g: g, subgraph: subgraph, next: next}
}

type fetcher struct {
	g        *Group
	subgraph string
	next     fetch.Fetcher
}

// flight is one round trip and the fetches waiting for it.
type flight struct {
	done    chan struct{}
	err     error
	waiters int
	cancel  context.CancelFunc
	// copies are the responses handed out, one per waiter when the round
	// trip ended: the executor writes into the response it gets, so each
	// waiter takes one of its own.
	copies []*wire.SubgraphResponse
}

func (f *fetcher) Fetch(ctx context.Context, req *wire.SubgraphRequest, header http.Header) (*wire.SubgraphResponse, error) {
	g := f.g
	if req.OperationKind != "query" {
		g.fetches.Add(1)
		return f.next.Fetch(ctx, req, header)
	}
	key, ok := g.key(f.subgraph, req, header)
	if !ok {
		g.fetches.Add(1)
		return f.next.Fetch(ctx, req, header)
	}
	g.mu.Lock()
	fl, joined := g.flights[key]
	if joined {
		fl.waiters++
		g.mu.Unlock()
		g.shared.Add(1)
	} else {
		// The round trip outlives the fetch that started it while others
		// wait for it; it stops when every waiter has gone. It keeps the
		// starter's deadline, the request's own.
		fctx, cancel := context.WithoutCancel(ctx), context.CancelFunc(func() {})
		if d, has := ctx.Deadline(); has {
			fctx, cancel = context.WithDeadline(fctx, d)
		}
		fctx, cancelAll := context.WithCancel(fctx)
		fl = &flight{done: make(chan struct{}), waiters: 1, cancel: func() { cancelAll(); cancel() }}
		g.flights[key] = fl
		g.mu.Unlock()
		g.fetches.Add(1)
		go func() {
			resp, err := f.next.Fetch(fctx, req, header)
			g.mu.Lock()
			if g.flights[key] == fl {
				delete(g.flights, key)
			}
			n := fl.waiters // no one joins from here on
			g.mu.Unlock()
			fl.err = err
			if err == nil && n > 0 {
				fl.copies = make([]*wire.SubgraphResponse, n)
				fl.copies[0] = resp
				for i := 1; i < n; i++ {
					fl.copies[i] = clone(resp)
				}
			}
			close(fl.done)
			fl.cancel()
		}()
	}
	select {
	case <-fl.done:
		if fl.err != nil {
			return nil, fl.err
		}
		g.mu.Lock()
		defer g.mu.Unlock()
		resp := fl.copies[len(fl.copies)-1]
		fl.copies = fl.copies[:len(fl.copies)-1]
		return resp, nil
	case <-ctx.Done():
		g.mu.Lock()
		fl.waiters--
		if fl.waiters == 0 {
			// No one wants it any more: a later identical fetch starts
			// afresh rather than joining a cancelled one.
			if g.flights[key] == fl {
				delete(g.flights, key)
			}
			fl.cancel()
		}
		g.mu.Unlock()
		return nil, ctx.Err()
	}
}

// key identifies identical fetches; ok is false when the variables cannot
// be encoded (the fetch then goes alone).
func (g *Group) key(subgraph string, req *wire.SubgraphRequest, header http.Header) (string, bool) {
	vars, err := json.Marshal(req.Variables) // map keys sorted
	if err != nil {
		return "", false
	}
	var b strings.Builder
	b.Grow(len(subgraph) + len(req.Query) + len(req.OperationName) + len(vars) + 64)
	for _, p := range []string{subgraph, req.OperationName, req.Query} {
		b.WriteString(p)
		b.WriteByte(0)
	}
	b.Write(vars)
	b.WriteByte(0)
	writeHeaders(&b, g.ignore, header)
	return b.String(), true
}

// writeHeaders writes header to b in a fixed order, less the names in
// ignore (canonical).
func writeHeaders(b *strings.Builder, ignore map[string]bool, header http.Header) {
	names := make([]string, 0, len(header))
	for k := range header {
		if !ignore[http.CanonicalHeaderKey(k)] {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	for _, k := range names {
		b.WriteString(http.CanonicalHeaderKey(k))
		for _, v := range header[k] {
			b.WriteByte('=')
			b.WriteString(v)
		}
		b.WriteByte(0)
	}
}

// clone copies a response deeply enough that its reader may change it.
func clone(r *wire.SubgraphResponse) *wire.SubgraphResponse {
	out := *r
	if r.Data != nil {
		out.Data = cloneValue(r.Data).(map[string]any)
	}
	if r.Errors != nil {
		out.Errors = make([]wire.SubgraphError, len(r.Errors))
		for i, e := range r.Errors {
			e.Path = slices.Clone(e.Path)
			if e.Extensions != nil {
				e.Extensions = cloneValue(e.Extensions).(map[string]any)
			}
			out.Errors[i] = e
		}
	}
	if r.Extensions != nil {
		out.Extensions = cloneValue(r.Extensions).(map[string]any)
	}
	return &out
}

func cloneValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[k] = cloneValue(x)
		}
		return m
	case []any:
		s := make([]any, len(v))
		for i, x := range v {
			s[i] = cloneValue(x)
		}
		return s
	}
	return v
}
