package router

import (
	"time"

	"github.com/cinegraph/cinegraph/router/metrics"
	"github.com/cinegraph/cinegraph/router/request"
	"github.com/vektah/gqlparser/v2/ast"
)

// countRefused counts a request refused before it ran (Config.Metrics):
// its type is not known, and its name is only trusted once an operation
// of that name has validated.
func (r *Router) countRefused(start time.Time, req *request.Request, f *refusal) {
	if r.metrics == nil {
		return
	}
	r.metrics.Done(start, req.OperationName, false, metrics.Unknown, metrics.Refused(f.outcome))
}

// countAnswered counts an operation that ran, under its document's name.
func (r *Router) countAnswered(start time.Time, op *operation, o metrics.Outcome) {
	if r.metrics == nil {
		return
	}
	name := ""
	if op.def != nil {
		name = op.def.Name
	}
	r.metrics.Done(start, name, true, operationType(op.kind), o)
}

func operationType(kind ast.Operation) metrics.OperationType {
	switch kind {
	case ast.Query:
		return metrics.Query
	case ast.Mutation:
		return metrics.Mutation
	case ast.Subscription:
		return metrics.Subscription
	}
	return metrics.Unknown
}
