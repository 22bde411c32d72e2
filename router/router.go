// Package router is Cinegraph's federation router: it serves one GraphQL
// endpoint for a supergraph, planning each operation across the subgraphs
// and executing the plan.
package router

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	cgerrs "github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/router/execute"
	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/introspect"
	"github.com/cinegraph/cinegraph/router/plan"
	"github.com/cinegraph/cinegraph/router/supergraph"
	"github.com/cinegraph/cinegraph/router/transport"
	"github.com/cinegraph/cinegraph/router/wire"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// Config configures a Router.
type Config struct {
	SupergraphSDL string
	// SubgraphURLs overrides the join__Graph url per subgraph name (the
	// lower-case name as in the supergraph).
	SubgraphURLs map[string]string
	// Client is used for every subgraph fetch; nil means a tuned default.
	Client *http.Client
	// Fetcher, when set, answers every subgraph fetch instead of HTTP
	// (tests fake subgraphs with it); FetchMiddleware still wraps it.
	Fetcher fetch.Subgraphs
	// FetchMiddleware wraps the fetcher of each subgraph instance, the
	// first outermost: breakers, retries, tracing.
	FetchMiddleware []fetch.Middleware
	// ForwardHeaders are request headers copied onto subgraph requests;
	// nil means DefaultForwardHeaders, an empty slice means none.
	ForwardHeaders       []string
	ExposeSubgraphErrors bool
	// MaxRequestBytes bounds request bodies; 0 means 1 MiB.
	MaxRequestBytes int64
	// PlanCacheSize bounds the number of cached operations; 0 means 1024.
	PlanCacheSize int
	Logger        *slog.Logger
	// Subscriptions configures websocket, SSE and multipart subscriptions.
	Subscriptions SubscriptionConfig
}

// DefaultForwardHeaders are the headers Cinegraph's subgraphs read: the
// viewer's profile, credentials and the request id for tracing.
var DefaultForwardHeaders = []string{"X-Cinegraph-Profile", "Authorization", "X-Request-Id"}

// Router is the assembled router.
type Router struct {
	sg      *supergraph.Supergraph
	planner *plan.Planner
	exec    *execute.Executor
	handler *transport.Handler
	cache   *plan.Cache[*prepared]
	forward []string
	logger  *slog.Logger
	// streaming serves subscriptions (subscribe.go).
	streaming *streaming
}

// New builds a Router from cfg.
func New(cfg Config) (*Router, error) {
	sg, err := supergraph.Parse(cfg.SupergraphSDL)
	if err != nil {
		return nil, fmt.Errorf("router: %w", err)
	}
	fetchers, err := newFetchers(sg, cfg)
	if err != nil {
		return nil, err
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	size := cfg.PlanCacheSize
	if size <= 0 {
		size = 1024
	}
	in := introspect.New(sg.APISchema())
	r := &Router{
		sg:      sg,
		planner: plan.New(sg),
		exec: &execute.Executor{
			Fetchers:             fetchers,
			Schema:               sg.APISchema(),
			ExposeSubgraphErrors: cfg.ExposeSubgraphErrors,
			Introspect:           in.Resolve,
			Logger:               logger,
		},
		cache:  plan.NewCache[*prepared](size),
		logger: logger,
	}
	forward := cfg.ForwardHeaders
	if forward == nil {
		forward = DefaultForwardHeaders
	}
	for _, h := range forward {
		r.forward = append(r.forward, http.CanonicalHeaderKey(h))
	}
	r.handler = &transport.Handler{Exec: r, MaxRequestBytes: cfg.MaxRequestBytes, Logger: logger}
	r.streaming = newStreaming(r, cfg)
	return r, nil
}

// ServeHTTP serves the /graphql endpoint.
func (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if r.streaming.serve(w, req) {
		return
	}
	r.handler.ServeHTTP(w, req)
}

// APISchema is the schema clients see.
func (r *Router) APISchema() *ast.Schema { return r.sg.APISchema() }

// Supergraph is the parsed supergraph.
func (r *Router) Supergraph() *supergraph.Supergraph { return r.sg }

// prepared is a parsed and validated operation with its plans, one per
// combination of @skip/@include variable values.
type prepared struct {
	doc       *ast.QueryDocument
	op        *ast.OperationDefinition
	condVars  []string
	mu        sync.Mutex
	plans     map[string]*plan.QueryPlan
	errs      gqlerror.List
	errorCode string
}

func requestError(code string, errs gqlerror.List) *wire.Response {
	out := &wire.Response{}
	for _, e := range errs {
		ext := map[string]any{"code": code}
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

func (r *Router) prepare(query, opName string) *prepared {
	key := opName + "\x00" + query
	if p, ok := r.cache.Get(key); ok {
		return p
	}
	// Same operation, other layout: share the entry.
	norm, lexed := normalizeQuery(query)
	nkey := opName + "\x00\x01" + norm
	if lexed {
		if p, ok := r.cache.Get(nkey); ok {
			r.cache.Add(key, p)
			return p
		}
	}
	p := r.parse(query, opName)
	r.cache.Add(key, p)
	if lexed {
		r.cache.Add(nkey, p)
	}
	return p
}

// parse parses and validates one operation.
func (r *Router) parse(query, opName string) *prepared {
	p := &prepared{plans: map[string]*plan.QueryPlan{}}
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		var ge *gqlerror.Error
		if !errors.As(err, &ge) {
			ge = gqlerror.Wrap(err)
		}
		p.errs, p.errorCode = gqlerror.List{ge}, codeBadUserInput
	} else if errs := validator.Validate(r.sg.APISchema(), doc); len(errs) > 0 {
		p.errs, p.errorCode = errs, codeBadUserInput
	} else {
		p.doc = doc
		switch {
		case opName != "":
			p.op = doc.Operations.ForName(opName)
			if p.op == nil {
				p.errs, p.errorCode = gqlerror.List{gqlerror.Errorf("Unknown operation named %q.", opName)}, codeBadUserInput
			}
		case len(doc.Operations) == 1:
			p.op = doc.Operations[0]
		default:
			p.errs, p.errorCode = gqlerror.List{gqlerror.Errorf("Must provide operation name if query contains multiple operations.")}, codeBadUserInput
		}
		if p.op != nil {
			p.condVars = plan.ConditionVariables(doc, p.op)
		}
	}
	return p
}

// planFor returns the plan for the coerced variables.
func (r *Router) planFor(p *prepared, vars map[string]any) (*plan.QueryPlan, error) {
	var kb strings.Builder
	for _, v := range p.condVars {
		if b, _ := vars[v].(bool); b {
			kb.WriteByte('1')
		} else {
			kb.WriteByte('0')
		}
	}
	key := kb.String()
	p.mu.Lock()
	qp := p.plans[key]
	p.mu.Unlock()
	if qp != nil {
		return qp, nil
	}
	op, err := plan.Normalize(r.sg.APISchema(), p.doc, p.op, vars)
	if err != nil {
		return nil, err
	}
	qp, err = r.planner.Build(op)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.plans[key] = qp
	p.mu.Unlock()
	return qp, nil
}

// coerce validates and coerces the request variables.
func (r *Router) coerce(p *prepared, vars map[string]any) (map[string]any, *wire.Response) {
	out, err := validator.VariableValues(r.sg.APISchema(), p.op, jsonNumbersToGo(vars))
	if err != nil {
		var ge *gqlerror.Error
		if !errors.As(err, &ge) {
			ge = gqlerror.Wrap(err)
		}
		return nil, requestError("BAD_USER_INPUT", gqlerror.List{ge})
	}
	return out, nil
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

// Execute runs one GraphQL request; the transport calls it.
func (r *Router) Execute(ctx context.Context, req *transport.Request) *transport.Result {
	p := r.prepare(req.Query, req.OperationName)
	if p.errs != nil {
		return &transport.Result{Response: requestError(p.errorCode, p.errs), Outcome: transport.Rejected}
	}
	if req.ReadOnly && p.op.Operation != ast.Query && p.op.Operation != "" {
		return &transport.Result{
			Response: requestError(codeBadUserInput, gqlerror.List{gqlerror.Errorf("Only queries can be sent with GET; use POST for %s operations.", p.op.Operation)}),
			Outcome:  transport.NotAllowed,
		}
	}
	if p.op.Operation == ast.Subscription {
		return &transport.Result{
			Response: requestError(codeBadUserInput, gqlerror.List{gqlerror.Errorf("Subscriptions are served over websockets, not HTTP requests.")}),
			Outcome:  transport.Rejected,
		}
	}
	vars, errResp := r.coerce(p, req.Variables)
	if errResp != nil {
		return &transport.Result{Response: errResp, Outcome: transport.Rejected}
	}
	qp, err := r.planFor(p, vars)
	if err != nil {
		r.logger.Error("query planning failed", "error", err)
		return &transport.Result{Response: &wire.Response{Errors: []*wire.Error{{Message: "query planning failed: " + err.Error(), Extensions: map[string]any{"code": "INTERNAL"}}}}, Outcome: transport.Failed}
	}
	resp := r.exec.Execute(ctx, qp, vars, r.forwardHeaders(req.Header))
	if wantsPlan(req) {
		resp.Extensions = map[string]any{"queryPlan": qp}
	}
	return &transport.Result{Response: resp, Outcome: transport.Executed}
}

func wantsPlan(req *transport.Request) bool {
	if strings.EqualFold(req.Header.Get("X-Cinegraph-Plan"), "true") {
		return true
	}
	b, _ := req.Extensions["plan"].(bool)
	return b
}

func (r *Router) forwardHeaders(h http.Header) http.Header {
	out := http.Header{}
	for _, name := range r.forward {
		if vs := h.Values(name); len(vs) > 0 {
			out[name] = append([]string(nil), vs...)
		}
	}
	return out
}

// Plan returns the query plan for an operation as JSON, for `cinegraph
// router plan`.
func (r *Router) Plan(ctx context.Context, query, operationName string, variables map[string]any) (json.RawMessage, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p := r.prepare(query, operationName)
	if p.errs != nil {
		return nil, fmt.Errorf("plan operation: %w", p.errs)
	}
	vars, errResp := r.coerce(p, variables)
	if errResp != nil {
		return nil, fmt.Errorf("plan operation: %s", errResp.Errors[0].Message)
	}
	qp, err := r.planFor(p, vars)
	if err != nil {
		return nil, fmt.Errorf("plan operation: %w", err)
	}
	return json.Marshal(qp)
}

// codeBadUserInput is the code of every request the client must fix (parse
// and validation failures, wrong method): Cinegraph answers with one closed
// set of codes (internal/errs), in which BAD_USER_INPUT covers them all.
const codeBadUserInput = string(cgerrs.BadUserInput)
