package router

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"

	cgerrs "github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/internal/logging"
	"github.com/cinegraph/cinegraph/router/auth"
	"github.com/cinegraph/cinegraph/router/authz"
	"github.com/cinegraph/cinegraph/router/plan"
	"github.com/cinegraph/cinegraph/router/request"
	"github.com/cinegraph/cinegraph/router/tracing"
	"github.com/cinegraph/cinegraph/router/wire"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/validator"
)

// operation is a request made ready to run: parsed, validated, allowed on
// its transport, its variables coerced and its plan built. Every transport
// and the plan API get one from Router.operation, the only place these
// steps and their rules are written.
type operation struct {
	kind ast.Operation
	vars map[string]any
	plan *plan.QueryPlan
	// identity is who the client's token says it is; nil when anonymous.
	identity *auth.Identity
	// denied are the fields authorization took out of the operation
	// (authorize.go): the response answers null and an error at each.
	denied []authz.Removed
	// doc and def are the validated document and operation; cost is the
	// operation's estimated cost (cost.go).
	doc  *ast.QueryDocument
	def  *ast.OperationDefinition
	cost float64
	// root and rest split a subscription's plan: the fetch that opens it on
	// its subgraph and the plan that completes each event.
	root *plan.Fetch
	rest plan.Node
}

// refusal is a request the router will not run.
type refusal struct {
	outcome request.Outcome
	code    cgerrs.Code
	errs    gqlerror.List
	// cause is an internal failure's detail: logged, returned to in-process
	// callers, never shown to clients.
	cause error
	// retryAfter is the seconds a rate-limited client should wait.
	retryAfter int
}

func (f *refusal) Error() string {
	if f.cause != nil {
		return f.cause.Error()
	}
	return f.errs.Error()
}

func (f *refusal) Unwrap() error { return f.cause }

// response is what the client sees.
func (f *refusal) response() *wire.Response {
	out := &wire.Response{}
	for _, e := range f.errs {
		ext := map[string]any{"code": string(f.code)}
		for k, v := range e.Extensions {
			if k != "code" {
				ext[k] = v
			}
		}
		ge := &wire.Error{Message: e.Message, Extensions: ext}
		for _, l := range e.Locations {
			ge.Locations = append(ge.Locations, wire.Location{Line: l.Line, Column: l.Column})
		}
		out.Errors = append(out.Errors, ge)
	}
	return out
}

// badRequest refuses a request the client must fix.
func badRequest(outcome request.Outcome, errs ...*gqlerror.Error) *refusal {
	return &refusal{outcome: outcome, code: cgerrs.BadUserInput, errs: errs}
}

// internalError is the router's own failure: the detail goes to the log and
// the client gets a generic error. A failure that only follows from the
// client going away (ctx cancelled) is logged at debug level: nothing is
// wrong and nobody reads the answer.
func (r *Router) internalError(ctx context.Context, what string, cause error, req *request.Request) *refusal {
	level := slog.LevelError
	if logging.Cancelled(ctx) {
		level = slog.LevelDebug
	}
	r.logger.Log(ctx, level, what, "error", cause, "operation", req.OperationName, "transport", req.Transport.String())
	return &refusal{outcome: request.Failed, code: cgerrs.Internal, errs: gqlerror.List{gqlerror.Errorf("internal error")}, cause: cause}
}

// operation prepares req to run, or says why it will not. Before anything
// else, a request a page on another origin could have forged is refused
// (request.Preflighted), on every transport and whatever the operation.
// After the rate limit, a persisted query's hash is resolved to its
// document (persisted.go), which becomes req.Query for every later step.
func (r *Router) operation(ctx context.Context, req *request.Request) (*operation, *refusal) {
	if refused := r.crossOrigin.refuse(req); refused != nil {
		return nil, refused
	}
	id, refused := r.authenticate(ctx, req)
	if refused != nil {
		return nil, refused
	}
	if refused := r.limitClient(ctx, id); refused != nil {
		return nil, refused
	}
	if refused := r.resolveDocument(ctx, req); refused != nil {
		return nil, refused
	}
	p := r.prepare(ctx, req.Query, req.OperationName)
	r.traceOperation(ctx, req, p)
	if p.errs != nil {
		return nil, badRequest(request.Rejected, p.errs...)
	}
	if refused := r.limitOperation(ctx, id, p.op.Name); refused != nil {
		return nil, refused
	}
	kind := p.op.Operation
	if kind == "" {
		kind = ast.Query
	}
	if kind == ast.Subscription && !req.Transport.CanSubscribe() {
		return nil, badRequest(request.Rejected, gqlerror.Errorf("Subscriptions need a streaming transport: a websocket, or an HTTP request that accepts text/event-stream or multipart/mixed."))
	}
	if kind == ast.Mutation && req.ReadOnly() {
		return nil, badRequest(request.NotAllowed, gqlerror.Errorf("Mutations cannot be sent with GET; use POST."))
	}
	vars, err := validator.VariableValues(r.sg.APISchema(), p.op, jsonNumbersToGo(req.Variables))
	if err != nil {
		var ge *gqlerror.Error
		if !errors.As(err, &ge) {
			ge = gqlerror.Wrap(err)
		}
		return nil, badRequest(request.Rejected, ge)
	}
	cost, refused := r.estimateCost(p, vars)
	if refused != nil {
		return nil, refused
	}
	pctx, span := r.tracing.Start(ctx, tracing.SpanPlan)
	qp, denied, err := r.planFor(pctx, p, vars, id)
	span.End()
	if err != nil {
		return nil, r.internalError(ctx, "query planning failed", err, req)
	}
	op := &operation{kind: kind, vars: vars, plan: qp, identity: id, denied: denied, doc: p.doc, def: p.op, cost: cost}
	// A subscription whose every root field was denied opens nothing
	// upstream: it is answered once, with the errors (subscribe.go).
	if kind == ast.Subscription && qp.Node != nil {
		if op.root, op.rest, err = plan.SplitSubscription(qp); err != nil {
			return nil, r.internalError(ctx, "subscription planning failed", err, req)
		}
	}
	return op, nil
}

// prepared is a parsed and validated operation with its plans, one per
// combination of @skip/@include variable values.
type prepared struct {
	doc      *ast.QueryDocument
	op       *ast.OperationDefinition
	condVars []string
	mu       sync.Mutex
	plans    map[string]*plan.QueryPlan
	// guards and guarded replace plans where the supergraph has access
	// control (authorize.go): the requirements of the operation per
	// @skip/@include combination, and the plans per combination and
	// client decision.
	guards  map[string]*authz.Guards
	guarded map[string]*guardedPlan
	// errs are parse and validation errors, cached like successes.
	errs gqlerror.List
}

func (r *Router) prepare(ctx context.Context, query, opName string) *prepared {
	key := opName + "\x00" + query
	if p, ok := r.cache.Get(key); ok {
		r.metrics.PlanCache(true)
		return p
	}
	// Same operation, other layout: share the entry.
	norm, lexed := normalizeQuery(query)
	nkey := opName + "\x00\x01" + norm
	if lexed {
		if p, ok := r.cache.Get(nkey); ok {
			r.metrics.PlanCache(true)
			r.cache.Add(key, p)
			return p
		}
	}
	r.metrics.PlanCache(false)
	p := r.parse(ctx, query, opName)
	r.cache.Add(key, p)
	if lexed {
		r.cache.Add(nkey, p)
	}
	return p
}

// parse parses and validates one operation.
func (r *Router) parse(ctx context.Context, query, opName string) *prepared {
	p := &prepared{plans: map[string]*plan.QueryPlan{}}
	_, span := r.tracing.Start(ctx, tracing.SpanParse)
	doc, err := r.limits.Parse(query)
	span.End()
	if err != nil {
		var ge *gqlerror.Error
		if !errors.As(err, &ge) {
			ge = gqlerror.Wrap(err)
		}
		p.errs = gqlerror.List{ge}
		return p
	}
	_, span = r.tracing.Start(ctx, tracing.SpanValidate)
	errs := validator.Validate(r.sg.APISchema(), doc)
	span.End()
	if len(errs) > 0 {
		p.errs = errs
		return p
	}
	p.doc = doc
	switch {
	case opName != "":
		p.op = doc.Operations.ForName(opName)
		if p.op == nil {
			p.errs = gqlerror.List{gqlerror.Errorf("Unknown operation named %q.", opName)}
		}
	case len(doc.Operations) == 1:
		p.op = doc.Operations[0]
	default:
		p.errs = gqlerror.List{gqlerror.Errorf("Must provide operation name if query contains multiple operations.")}
	}
	if p.op != nil {
		p.condVars = plan.ConditionVariables(doc, p.op)
	}
	return p
}

// planFor returns the plan for the coerced variables and the client, and
// the fields authorization took out of it.
func (r *Router) planFor(ctx context.Context, p *prepared, vars map[string]any, id *auth.Identity) (*plan.QueryPlan, []authz.Removed, error) {
	var kb strings.Builder
	for _, v := range p.condVars {
		if b, _ := vars[v].(bool); b {
			kb.WriteByte('1')
		} else {
			kb.WriteByte('0')
		}
	}
	key := kb.String()
	if r.guarded {
		return r.planGuarded(ctx, p, key, vars, id)
	}
	p.mu.Lock()
	qp := p.plans[key]
	p.mu.Unlock()
	r.planCached(ctx, qp != nil)
	if qp != nil {
		return qp, nil, nil
	}
	_, span := r.tracing.Start(ctx, tracing.SpanNormalize)
	op, err := plan.Normalize(r.sg.APISchema(), p.doc, p.op, vars)
	span.End()
	if err != nil {
		return nil, nil, err
	}
	qp, err = r.planner.Build(op)
	if err != nil {
		return nil, nil, err
	}
	p.mu.Lock()
	p.plans[key] = qp
	p.mu.Unlock()
	return qp, nil, nil
}

// jsonNumbersToGo turns json.Number into int64/float64, which variable
// coercion understands.
func jsonNumbersToGo(v map[string]any) map[string]any {
	if v == nil {
		return nil
	}
	out := make(map[string]any, len(v))
	for k, x := range v {
		out[k] = numbersToGo(x)
	}
	return out
}

func numbersToGo(v any) any {
	switch v := v.(type) {
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return i
		}
		f, _ := v.Float64()
		return f
	case map[string]any:
		return jsonNumbersToGo(v)
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = numbersToGo(x)
		}
		return out
	}
	return v
}
