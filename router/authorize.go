package router

import (
	"context"

	"github.com/cinegraph/cinegraph/router/auth"
	"github.com/cinegraph/cinegraph/router/authz"
	"github.com/cinegraph/cinegraph/router/plan"
	"github.com/cinegraph/cinegraph/router/tracing"
	"github.com/cinegraph/cinegraph/router/wire"
)

// Authorization (router/authz) runs between normalization and planning:
// the normalized operation of each @skip/@include combination is analysed
// once and cached on the prepared document with its requirements; each
// request then decides which requirements its client meets, and the plan
// is cached under the combination and that decision (authz.Grants.Key), so
// a plan made for one client serves only clients allowed exactly the same
// fields. A supergraph without access control skips all of it.

// guardedPlan is the plan of an operation filtered for one decision.
type guardedPlan struct {
	qp      *plan.QueryPlan
	removed []authz.Removed
}

// planGuarded is planFor for a supergraph with access control: key names
// the @skip/@include combination.
func (r *Router) planGuarded(ctx context.Context, p *prepared, key string, vars map[string]any, id *auth.Identity) (*plan.QueryPlan, []authz.Removed, error) {
	p.mu.Lock()
	g := p.guards[key]
	p.mu.Unlock()
	if g == nil {
		_, span := r.tracing.Start(ctx, tracing.SpanNormalize)
		op, err := plan.Normalize(r.sg.APISchema(), p.doc, p.op, vars)
		span.End()
		if err != nil {
			return nil, nil, err
		}
		g = authz.Analyze(r.sg, op)
		p.mu.Lock()
		if p.guards == nil {
			p.guards = map[string]*authz.Guards{}
		}
		if prev := p.guards[key]; prev != nil {
			g = prev
		} else {
			p.guards[key] = g
		}
		p.mu.Unlock()
	}
	gr := g.Evaluate(ctx, id, r.policies)
	if planningAll(ctx) {
		gr = g.All()
	}
	key += "|" + gr.Key()
	p.mu.Lock()
	gp := p.guarded[key]
	p.mu.Unlock()
	r.planCached(ctx, gp != nil)
	if gp != nil {
		return gp.qp, gp.removed, nil
	}
	res := g.Filter(gr)
	qp := &plan.QueryPlan{Operation: res.Shape}
	if !res.Nothing() {
		built, err := r.planner.Build(res.Plan)
		if err != nil {
			return nil, nil, err
		}
		qp.Node = built.Node
	}
	gp = &guardedPlan{qp: qp, removed: res.Removed}
	p.mu.Lock()
	if p.guarded == nil {
		p.guarded = map[string]*guardedPlan{}
	}
	p.guarded[key] = gp
	p.mu.Unlock()
	return gp.qp, gp.removed, nil
}

type planAllKey struct{}

// planningAll reports whether ctx plans for a client meeting every access
// requirement (Router.Plan).
func planningAll(ctx context.Context) bool {
	b, _ := ctx.Value(planAllKey{}).(bool)
	return b
}

// authzErrors puts an error at the path of each removed field ahead of the
// response's own errors.
func authzErrors(resp *wire.Response, removed []authz.Removed) {
	if len(removed) == 0 {
		return
	}
	errs := make([]*wire.Error, 0, len(removed)+len(resp.Errors))
	for _, rm := range removed {
		path := make([]any, len(rm.Path))
		for i, k := range rm.Path {
			path[i] = k
		}
		errs = append(errs, &wire.Error{Message: authz.Message, Path: path, Extensions: map[string]any{"code": string(rm.Code)}})
	}
	resp.Errors = append(errs, resp.Errors...)
}
