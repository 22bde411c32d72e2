package execute

import (
	"context"
	"net/http"

	"github.com/cinegraph/cinegraph/router/plan"
	"github.com/cinegraph/cinegraph/router/wire"
)

// ExecuteEvent completes one subscription event: event is what the owning
// subgraph sent for root (the subscription fetch), and rest, the remainder
// of the plan (plan.SplitSubscription), runs on it to resolve the fields
// other subgraphs own. The result is shaped, and bounded, like Execute's.
func (e *Executor) ExecuteEvent(ctx context.Context, qp *plan.QueryPlan, root *plan.Fetch, rest plan.Node, event *wire.SubgraphResponse, vars map[string]any, header http.Header) *wire.Response {
	r, stop := e.start(ctx, vars, header)
	defer stop()
	r.mu.Lock()
	ok := r.charge(event, 1)
	r.mu.Unlock()
	if !ok {
		return r.stopped()
	}
	r.mu.Lock()
	r.gatherExtensions(event)
	r.mu.Unlock()
	if event.Data != nil {
		applyRenames(event.Data, root.Renames)
		mergeObject(r.data, event.Data)
	}
	for _, se := range event.Errors {
		r.errors = append(r.errors, e.subgraphError(root.ServiceName, se, se.Path))
	}
	if rest != nil && len(event.Data) > 0 {
		r.node(rest)
	}
	if resp := r.stopped(); resp != nil {
		return resp
	}
	return r.respond(qp)
}
