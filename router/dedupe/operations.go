package dedupe

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cinegraph/cinegraph/router/wire"
)

// Operations shares identical client operations in flight at the same time:
// a query that arrives while an identical one is executing waits for that
// execution and answers with its result, so a burst of clients opening the
// same page costs the router one execution. The caller decides what is
// identical (Key) and only merges queries.
type Operations struct {
	ignore map[string]bool

	mu      sync.Mutex
	flights map[string]*operation

	runs, merged atomic.Uint64
}

// operation is one execution and the requests waiting for it.
type operation struct {
	done    chan struct{}
	resp    *wire.Response
	waiters int
	cancel  context.CancelFunc
}

// NewOperations returns an Operations whose keys leave out the headers in
// ignore (nil means DefaultIgnoreHeaders).
func NewOperations(ignore []string) *Operations {
	return &Operations{ignore: canonical(ignore), flights: map[string]*operation{}}
}

// OperationCounts are an Operations' figures: executions run, and requests
// answered by another's execution.
type OperationCounts struct{ Runs, Merged uint64 }

// Counts returns the figures since o was made.
func (o *Operations) Counts() OperationCounts {
	return OperationCounts{Runs: o.runs.Load(), Merged: o.merged.Load()}
}

// Key joins what makes two operations identical: parts (the operation, its
// variables, who asks) and the headers that reach subgraphs, less the
// ignored ones.
func (o *Operations) Key(parts []string, header http.Header) string {
	n := len(parts)
	for _, p := range parts {
		n += len(p)
	}
	for k, vs := range header {
		n += len(k) + 2
		for _, v := range vs {
			n += len(v) + 1
		}
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range parts {
		b.WriteString(p)
		b.WriteByte(0)
	}
	writeHeaders(&b, o.ignore, header)
	return b.String()
}

// Do answers with run's result, running it unless an identical operation
// (same key) is running already. The execution outlives the request that
// started it while others wait for it, keeping that request's deadline,
// and stops once every waiter has gone. Each caller gets a response of its
// own to add to (errors, extensions); the data is shared and read-only.
func (o *Operations) Do(ctx context.Context, key string, run func(context.Context) *wire.Response) *wire.Response {
	o.mu.Lock()
	op, joined := o.flights[key]
	if joined {
		op.waiters++
		o.mu.Unlock()
		o.merged.Add(1)
	} else {
		rctx, cancelDeadline := context.WithoutCancel(ctx), context.CancelFunc(func() {})
		if d, has := ctx.Deadline(); has {
			rctx, cancelDeadline = context.WithDeadline(rctx, d)
		}
		rctx, cancelRun := context.WithCancel(rctx)
		op = &operation{done: make(chan struct{}), waiters: 1, cancel: func() { cancelRun(); cancelDeadline() }}
		o.flights[key] = op
		o.mu.Unlock()
		o.runs.Add(1)
		go func() {
			op.resp = run(rctx)
			o.mu.Lock()
			if o.flights[key] == op {
				delete(o.flights, key)
			}
			o.mu.Unlock()
			close(op.done)
			op.cancel()
		}()
	}
	select {
	case <-op.done:
		return &wire.Response{Data: op.resp.Data, Errors: slices.Clone(op.resp.Errors), Extensions: maps.Clone(op.resp.Extensions)}
	case <-ctx.Done():
		o.mu.Lock()
		op.waiters--
		if op.waiters == 0 {
			if o.flights[key] == op {
				delete(o.flights, key)
			}
			op.cancel()
		}
		o.mu.Unlock()
		// The client has gone or its time is up: answer as an execution
		// stopped at once would.
		return run(ctx)
	}
}
