// Package execute runs query plans: it sends subgraph fetches (concurrently
// where the plan allows), merges their results into one response tree, and
// shapes that tree into the client's response with GraphQL null propagation.
package execute

import (
	"context"
	"log/slog"
	"net/http"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	cgerrs "github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/plan"
	"github.com/cinegraph/cinegraph/router/wire"
	"github.com/vektah/gqlparser/v2/ast"
)

// Executor runs plans.
type Executor struct {
	// Fetchers sends each fetch to its subgraph.
	Fetchers             fetch.Set
	Schema               *ast.Schema // the API schema, for shaping
	ExposeSubgraphErrors bool
	// Introspect answers __schema and __type on the root; nil disables them.
	Introspect func(f *plan.CollectedField, vars map[string]any) ([]byte, error)
	// Logger, when set, records failed subgraph fetches.
	Logger *slog.Logger
	// Timeout bounds one execution, every fetch of the plan included;
	// 0 means none.
	Timeout time.Duration
	// MaxResponseBytes bounds the data one execution gathers from subgraphs
	// and writes to the client: past it the execution stops and answers a
	// BAD_USER_INPUT error. 0 means none.
	MaxResponseBytes int64
	// PropagateExtensions names the subgraph response extensions passed on
	// to the client: a list's items are gathered from every fetch (once
	// each), any other value is the last fetch's.
	PropagateExtensions []string
}

// run is the state of one execution.
type run struct {
	e      *Executor
	ctx    context.Context
	cancel context.CancelCauseFunc // stops the execution (bounds.go)
	vars   map[string]any
	header http.Header

	mu     sync.Mutex
	data   map[string]any
	errors []*wire.Error
	// extensions gathers the subgraphs' PropagateExtensions.
	extensions map[string]any
	size       atomic.Int64 // bytes of subgraph data gathered, for MaxResponseBytes
	// timings records the fetches when the context asks (WithTimings);
	// nil, the usual case, records nothing.
	timings *Timings
}

// Execute runs qp with the coerced request variables; header holds the
// request headers to forward to subgraphs.
func (e *Executor) Execute(ctx context.Context, qp *plan.QueryPlan, vars map[string]any, header http.Header) *wire.Response {
	r, stop := e.start(ctx, vars, header)
	defer stop()
	if qp.Node != nil {
		r.node(qp.Node)
	}
	if resp := r.stopped(); resp != nil {
		return resp
	}
	return r.respond(qp)
}

// respond shapes the merged tree into the client's response. A non-null
// violation is reported only when no fetch error explains it.
func (r *run) respond(qp *plan.QueryPlan) *wire.Response {
	e := r.e
	s := shaper{ctx: r.ctx, schema: e.Schema, applies: plan.SchemaApplies(e.Schema), vars: r.vars, introspect: e.Introspect, logger: e.Logger, rootType: qp.Operation.RootType, max: int(e.MaxResponseBytes),
		sizeHint: int(r.size.Load())}
	data := s.shape(r.data, qp.Operation)
	if s.over > 0 || (e.MaxResponseBytes > 0 && int64(len(data)) > e.MaxResponseBytes) {
		return refused(&tooLarge{size: int64(max(len(data), s.over)), max: e.MaxResponseBytes}, cgerrs.BadUserInput, "response size")
	}
	errs := r.errors
	if len(errs) == 0 && s.violation != nil {
		errs = append(errs, s.violation)
	}
	errs = append(errs, s.errors...)
	return &wire.Response{Data: data, Errors: errs, Extensions: r.extensions}
}

func (r *run) node(n plan.Node) {
	switch n := n.(type) {
	case *plan.Sequence:
		for _, c := range n.Nodes {
			if r.ctx.Err() != nil {
				return
			}
			r.node(c)
		}
	case *plan.Parallel:
		if len(n.Nodes) == 0 {
			return
		}
		var wg sync.WaitGroup
		for _, c := range n.Nodes[1:] {
			wg.Add(1)
			go func(c plan.Node) {
				defer wg.Done()
				defer r.recoverPanic()
				r.node(c)
			}(c)
		}
		r.node(n.Nodes[0])
		wg.Wait()
	case *plan.Fetch:
		r.rootFetch(n)
	case *plan.Flatten:
		r.entityFetch(n)
	}
}

// recoverPanic turns a panic in a concurrent branch into an error instead of
// taking the process down.
func (r *run) recoverPanic() {
	if p := recover(); p != nil {
		if r.e.Logger != nil {
			r.e.Logger.ErrorContext(r.ctx, "plan execution panicked", "panic", p)
		}
		r.addErrors(&wire.Error{Message: "internal error", Extensions: map[string]any{"code": string(cgerrs.Internal)}})
	}
}

func (r *run) addErrors(errs ...*wire.Error) {
	r.mu.Lock()
	r.errors = append(r.errors, errs...)
	r.mu.Unlock()
}

func (r *run) variables(f *plan.Fetch, extra int) map[string]any {
	if len(f.VariableUsages) == 0 && extra == 0 {
		return nil
	}
	vs := make(map[string]any, len(f.VariableUsages)+extra)
	for _, u := range f.VariableUsages {
		if v, ok := r.vars[u]; ok {
			vs[u] = v
		}
	}
	return vs
}

func (r *run) rootFetch(f *plan.Fetch) {
	req := &wire.SubgraphRequest{Query: f.Operation, OperationName: f.OperationName, Variables: r.variables(f, 0), OperationKind: f.OperationKind}
	resp, err := r.fetchTimed(f.ServiceName, nil, req)
	if err != nil {
		if !r.overAllowance(err) {
			r.addErrors(r.e.fetchFailed(r.ctx, f.ServiceName, err, nil))
		}
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.charge(resp, 1) {
		return
	}
	r.gatherExtensions(resp)
	if resp.Data != nil {
		applyRenames(resp.Data, f.Renames)
		mergeObject(r.data, resp.Data)
	}
	for _, se := range resp.Errors {
		r.errors = append(r.errors, r.e.subgraphError(f.ServiceName, se, se.Path))
	}
}

// gatherExtensions keeps resp's extensions that PropagateExtensions names;
// r.mu is held.
func (r *run) gatherExtensions(resp *wire.SubgraphResponse) {
	for _, key := range r.e.PropagateExtensions {
		v, ok := resp.Extensions[key]
		if !ok || v == nil {
			continue
		}
		if r.extensions == nil {
			r.extensions = map[string]any{}
		}
		items, isList := v.([]any)
		have, hadList := r.extensions[key].([]any)
		if !isList || (!hadList && r.extensions[key] != nil) {
			r.extensions[key] = v
			continue
		}
		for _, it := range items {
			if !slices.ContainsFunc(have, func(h any) bool { return reflect.DeepEqual(h, it) }) {
				have = append(have, it)
			}
		}
		r.extensions[key] = have
	}
}
