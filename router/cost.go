package router

import (
	"errors"
	"strings"

	"github.com/cinegraph/cinegraph/router/request"
	"github.com/cinegraph/cinegraph/router/wire"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// estimateCost is demand control: the operation's estimated cost with
// these variables, refused before any fetch when it is over the limit.
func (r *Router) estimateCost(p *prepared, vars map[string]any) (float64, *refusal) {
	cost := r.cost.Estimate(p.doc, p.op, vars)
	if err := r.limits.CheckCost(cost); err != nil {
		var ge *gqlerror.Error
		if !errors.As(err, &ge) {
			ge = gqlerror.Wrap(err)
		}
		return cost, badRequest(request.Rejected, ge)
	}
	return cost, nil
}

// wantsCost reports whether req asks for its operation's cost, by the
// configured header or extensions.cost.
func (r *Router) wantsCost(req *request.Request) bool {
	if r.costHeader == "" {
		return false
	}
	if strings.EqualFold(req.Header.Get(r.costHeader), "true") {
		return true
	}
	b, _ := req.Extensions["cost"].(bool)
	return b
}

// reportCost puts the estimated and actual cost of op, and the limit, in
// resp's extensions.
func (r *Router) reportCost(op *operation, resp *wire.Response) {
	if resp.Extensions == nil {
		resp.Extensions = map[string]any{}
	}
	resp.Extensions["cost"] = map[string]any{
		"estimated": op.cost,
		"actual":    r.cost.Actual(op.doc, op.def, op.vars, resp.Data),
		"max":       r.limits.Config().MaxCost,
	}
}
