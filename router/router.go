// Package router is Cinegraph's federation router: it serves one GraphQL
// endpoint for a supergraph, planning each operation across the subgraphs
// and executing the plan.
package router

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/cinegraph/cinegraph/internal/compression"
	"github.com/cinegraph/cinegraph/router/auth"
	"github.com/cinegraph/cinegraph/router/authz"
	"github.com/cinegraph/cinegraph/router/dedupe"
	"github.com/cinegraph/cinegraph/router/discovery"
	"github.com/cinegraph/cinegraph/router/execute"
	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/introspect"
	"github.com/cinegraph/cinegraph/router/limits"
	"github.com/cinegraph/cinegraph/router/metrics"
	"github.com/cinegraph/cinegraph/router/persisted"
	"github.com/cinegraph/cinegraph/router/plan"
	"github.com/cinegraph/cinegraph/router/ratelimit"
	"github.com/cinegraph/cinegraph/router/request"
	"github.com/cinegraph/cinegraph/router/supergraph"
	"github.com/cinegraph/cinegraph/router/tracing"
	"github.com/cinegraph/cinegraph/router/transport"
	"github.com/cinegraph/cinegraph/router/wire"
	"github.com/vektah/gqlparser/v2/ast"
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
	// Discovery, when set, lists the instances of each subgraph instead of
	// SubgraphURLs and the supergraph: fetches and new subscriptions go to
	// one of them as Balance picks, and follow the registry's changes. The
	// registry stays the caller's to close. A subgraph it lists no instance
	// of cannot be fetched from (NO_INSTANCES).
	Discovery discovery.Registry
	// Balance is how an instance is picked when Discovery is set:
	// discovery.P2C (the default) or discovery.RoundRobin.
	Balance discovery.Policy
	// ForwardHeaders are request headers copied onto subgraph requests;
	// nil means DefaultForwardHeaders, an empty slice means none.
	ForwardHeaders []string
	// PlanHeader names the request header with which a client asks for the
	// query plan in the response's extensions (value "true"; extensions.plan
	// asks too). Empty means plans are never exposed.
	PlanHeader string
	// CostHeader names the request header with which a client asks for
	// its operation's cost (header value "true", or extensions.cost: true
	// in the request): the response's extensions.cost then holds the
	// estimated and actual cost and the limit. Empty never shows it.
	CostHeader string
	// TimingsScope is the scope a client's token must carry to see its
	// fetches' timings (extensions.timings) when Auth is set; empty lets
	// any client that asks see them. Timings are asked for like plans (the
	// PlanHeader with value "true", or extensions.timings: true in the
	// request) and never shown without a PlanHeader. Without Auth, as
	// plans, they are shown to whoever asks.
	TimingsScope string
	// AccessLog writes one info line per client request to Logger when it
	// ends (requestlog.go).
	AccessLog            bool
	ExposeSubgraphErrors bool
	// Dedupe, when set, shares identical subgraph queries in flight at the
	// same time (router/dedupe); nil sends every fetch.
	Dedupe *dedupe.Group
	// MergeOperations, when set, shares identical client queries in flight
	// at the same time: one execution answers them all; nil runs each.
	MergeOperations *dedupe.Operations
	// PropagateExtensions names the subgraph response extensions passed on
	// to clients (a list's items gathered from every fetch), e.g. degraded.
	PropagateExtensions []string
	// DisableIntrospection refuses __schema and __type with a FORBIDDEN
	// error ("introspection is disabled"); __typename still answers.
	DisableIntrospection bool
	// MaxRequestBytes bounds request bodies; 0 means 1 MiB.
	MaxRequestBytes int64
	// PlanCacheSize bounds the number of cached operations; 0 means 1024.
	PlanCacheSize int
	Logger        *slog.Logger
	// Subscriptions configures websocket, SSE and multipart subscriptions.
	Subscriptions SubscriptionConfig
	// Limits bound the work of one request; zero fields take their
	// defaults.
	Limits limits.Config
	// CORS lets pages on other origins use the router; none by default.
	CORS CORSConfig
	// CSRF refuses requests pages on other origins could have forged; on by
	// default.
	CSRF CSRFConfig
	// RateLimit limits requests per client and operation, and websocket
	// connections; nil means no limits (ratelimit.go).
	RateLimit *ratelimit.Policy
	// Persisted resolves documents sent by hash: automatic persisted
	// queries, trusted documents and the safelist. Nil runs only requests
	// that carry their document.
	Persisted *persisted.Documents
	// Auth verifies the bearer tokens of clients; a request with an invalid
	// token is refused (401, UNAUTHENTICATED) and one without is anonymous.
	// Nil authenticates no one.
	Auth *auth.Authenticator
	// Identity says what subgraphs are told about an authenticated client
	// (identity.go).
	Identity IdentityConfig
	// Policies decides which of the @policy names an operation reads the
	// authenticated client is granted (router/authz); a policy missing from
	// the answer is not. Nil grants none, so every field with @policy is
	// FORBIDDEN. It is never asked about anonymous clients.
	Policies func(ctx context.Context, id *auth.Identity, policies []string) map[string]bool
	// Tracing records the spans of each request (router/tracing); nil
	// records none. Its Fetch and Attempts middleware, for fetch spans, go
	// into FetchMiddleware separately.
	Tracing *tracing.Tracing
	// SubgraphHeaders are set on every subgraph request, e.g. a secret the
	// subgraphs require of the router; clients cannot set them.
	SubgraphHeaders http.Header
	// Compression compresses responses to clients and, when asked,
	// subgraph traffic; the zero value compresses nothing. Compressed
	// request bodies from clients are accepted either way.
	Compression CompressionConfig
	// Metrics counts requests, plan cache lookups, websockets and
	// subscriptions; nil counts nothing. Its Fetch middleware, to time
	// fetches, goes into FetchMiddleware separately.
	Metrics *metrics.Router
	// InProcess answers the subgraphs it names with their fetcher here
	// instead of HTTP: a source the router's own process serves, reached
	// by no listener. FetchMiddleware wraps each as any instance, at the
	// supergraph's URL for it; Discovery and SubgraphURLs leave them be. A
	// name the supergraph does not define is ignored.
	InProcess map[string]fetch.Fetcher
	// OnOperation, when set, is called once each query or mutation the
	// router executed has been answered, with its timing and plan (a
	// slow-operations log, say); it must not block. Refused operations and
	// subscriptions are not reported.
	OnOperation func(OperationRecord)
}

// OperationRecord is one executed query or mutation, as Config.OnOperation
// is told of it.
type OperationRecord struct {
	// Name is the operation's name; empty when it has none.
	Name string
	// Kind is "query" or "mutation".
	Kind string
	// Start is when the router took the request; Duration is how long it
	// took to answer, planning included.
	Start    time.Time
	Duration time.Duration
	// Outcome is the metrics outcome label: ok, graphql_error or error.
	Outcome string
	// Plan is the operation's query plan: immutable and shared with the
	// plan cache, so a hook keeping it must only read it, e.g. marshal it
	// as JSON.
	Plan any
}

// CompressionConfig says what the router compresses (internal/compression).
type CompressionConfig struct {
	// Responses compresses responses to clients that accept zstd or gzip
	// (Accept-Encoding), when they are at least MinBytes long; websocket,
	// SSE and multipart streams never.
	Responses bool
	// MinBytes is the smallest body compressed, responses and subgraph
	// requests alike; 0 compresses any.
	MinBytes int
	// Algorithms are the codings offered to clients, in order of
	// preference ("zstd", "gzip"); nil means both, zstd first.
	Algorithms []string
	// Subgraphs gzips subgraph requests of at least MinBytes and asks
	// subgraphs for compressed responses (Accept-Encoding: gzip, zstd).
	// Subgraph responses are decoded by their Content-Encoding either way.
	Subgraphs bool
}

// DefaultForwardHeaders are forwarded when Config names none: credentials
// and the request id for tracing. Headers of a deployment's own, such as the
// viewer's profile, come from its configuration.
var DefaultForwardHeaders = []string{"Authorization", "X-Request-Id"}

// Router is the assembled router.
type Router struct {
	sg      *supergraph.Supergraph
	planner *plan.Planner
	exec    *execute.Executor
	handler *transport.Handler
	cache   *plan.Cache[*prepared]
	limits  *limits.Checker
	forward []string
	// planHeader is Config.PlanHeader, canonical; empty exposes no plans.
	planHeader string
	// cost estimates operations' cost (demand control); costHeader is
	// Config.CostHeader, canonical.
	cost       limits.CostModel
	costHeader string
	// timingsScope is Config.TimingsScope.
	timingsScope string
	// accessLog is Config.AccessLog.
	accessLog bool
	logger    *slog.Logger
	// balanced holds the balancers of the subgraphs when Config.Discovery
	// is set; nil otherwise.
	balanced *discovery.Set
	// streaming serves subscriptions (subscribe.go).
	streaming *streaming
	// crossOrigin is the policy for browsers on other origins
	// (crossorigin.go); front is the endpoint behind its CORS handler.
	crossOrigin *crossOrigin
	front       http.Handler
	// rateLimit is Config.RateLimit; nil limits nothing.
	rateLimit *ratelimit.Policy
	// persisted resolves documents sent by hash; nil when none are.
	persisted *persisted.Documents
	// identity authenticates clients and tells subgraphs who they are.
	identity *identity
	// mergeOps shares identical queries in flight; nil runs each.
	mergeOps *dedupe.Operations
	// guarded: the supergraph has access control, enforced before planning
	// with policies deciding @policy (authorize.go).
	guarded  bool
	policies authz.PolicyFunc
	// tracing records spans; nil records none (trace.go).
	tracing *tracing.Tracing
	// compress compresses responses that are not streams; nil when
	// Config.Compression.Responses is off.
	compress *compression.Compressor
	// metrics is Config.Metrics; nil counts nothing.
	metrics *metrics.Router
	// onOperation is Config.OnOperation; nil reports nothing.
	onOperation func(OperationRecord)
}

// New builds a Router from cfg.
func New(cfg Config) (*Router, error) {
	sg, err := supergraph.Parse(cfg.SupergraphSDL)
	if err != nil {
		return nil, fmt.Errorf("router: %w", err)
	}
	var compress *compression.Compressor
	if cfg.Compression.Responses {
		if compress, err = compression.New(compression.Options{Algorithms: cfg.Compression.Algorithms, MinBytes: cfg.Compression.MinBytes}); err != nil {
			return nil, fmt.Errorf("router: %w", err)
		}
	}
	fetchers, balanced, err := newFetchers(sg, cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Dedupe != nil {
		for name, f := range fetchers {
			fetchers[name] = cfg.Dedupe.Wrap(name, f)
		}
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	checker, err := limits.New(cfg.Limits, logger)
	if err != nil {
		return nil, fmt.Errorf("router: %w", err)
	}
	bounds := checker.Config()
	size := cfg.PlanCacheSize
	if size <= 0 {
		size = 1024
	}
	var answerIntrospection func(*plan.CollectedField, map[string]any) ([]byte, error)
	if !cfg.DisableIntrospection {
		answerIntrospection = introspect.New(sg.APISchema()).Resolve
	}
	r := &Router{
		sg:      sg,
		planner: plan.New(sg),
		exec: &execute.Executor{
			Fetchers:             fetchers,
			Schema:               sg.APISchema(),
			ExposeSubgraphErrors: cfg.ExposeSubgraphErrors,
			Introspect:           answerIntrospection,
			Logger:               logger,
			Timeout:              bounds.Timeout,
			MaxResponseBytes:     bounds.MaxResponseBytes,
			PropagateExtensions:  cfg.PropagateExtensions,
		},
		cache:     plan.NewCache[*prepared](size),
		limits:    checker,
		logger:    logger,
		rateLimit: cfg.RateLimit,
		persisted: cfg.Persisted,
		mergeOps:  cfg.MergeOperations,
		identity:  newIdentity(cfg),
		guarded:   sg.HasAccessControl(),
		policies:  cfg.Policies,
		tracing:   cfg.Tracing,
		balanced:  balanced,
		compress:  compress,
		metrics:   cfg.Metrics,

		onOperation:  cfg.OnOperation,
		timingsScope: cfg.TimingsScope,
		accessLog:    cfg.AccessLog,
	}
	if cfg.PlanHeader != "" {
		r.planHeader = http.CanonicalHeaderKey(cfg.PlanHeader)
	}
	r.cost = limits.CostModel{Schema: sg.APISchema(), Supergraph: sg, ListSize: bounds.ListSize}
	if cfg.CostHeader != "" {
		r.costHeader = http.CanonicalHeaderKey(cfg.CostHeader)
	}
	forward := cfg.ForwardHeaders
	if forward == nil {
		forward = DefaultForwardHeaders
	}
	for _, h := range forward {
		r.forward = append(r.forward, http.CanonicalHeaderKey(h))
	}
	r.handler = &transport.Handler{Exec: r, MaxRequestBytes: cfg.MaxRequestBytes, Logger: logger}
	r.crossOrigin = newCrossOrigin(cfg, logger)
	r.streaming = newStreaming(r, cfg)
	r.front = r.crossOrigin.handler(http.HandlerFunc(r.serve))
	return r, nil
}

// ServeHTTP serves the /graphql endpoint. Each request gets its id
// (requestlog.go), then its span, then its access log line.
func (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	req, id := identifyRequest(w, req)
	if r.tracing != nil {
		r.serveTraced(w, req, id)
		return
	}
	r.serveLogged(w, req, id)
}

// serve picks the transport; one response, not a stream, is compressed
// as the client accepts.
func (r *Router) serve(w http.ResponseWriter, req *http.Request) {
	req = r.identify(req)
	if r.streaming.serve(w, req) {
		return
	}
	if r.compress != nil {
		r.compress.Serve(w, req, r.handler)
		return
	}
	r.handler.ServeHTTP(w, req)
}

// Balancer returns the balancer over subgraph's instances when
// Config.Discovery is set, else nil.
func (r *Router) Balancer(subgraph string) *discovery.Balancer {
	if r.balanced == nil {
		return nil
	}
	return r.balanced.Balancer(subgraph)
}

// StopDiscovery stops following Config.Discovery's changes and releases
// every instance once its fetches in flight have finished; the router
// should serve no more fetches after it.
func (r *Router) StopDiscovery() {
	if r.balanced != nil {
		r.balanced.Close()
	}
}

// APISchema is the schema clients see.
func (r *Router) APISchema() *ast.Schema { return r.sg.APISchema() }

// Supergraph is the parsed supergraph.
func (r *Router) Supergraph() *supergraph.Supergraph { return r.sg }

// Execute runs one GraphQL request whose answer is one response; the plain
// HTTP transport calls it. The request is held to plain HTTP's rules
// whatever its Transport says, since one response cannot carry a
// subscription.
func (r *Router) Execute(ctx context.Context, req *request.Request) *transport.Result {
	if req.Transport != request.HTTP {
		one := *req
		one.Transport = request.HTTP
		req = &one
	}
	start := r.metrics.Begin()
	var began time.Time
	if r.onOperation != nil {
		began = time.Now()
	}
	op, refused := r.operation(ctx, req)
	if refused != nil {
		r.countRefused(start, req, refused)
		noteAccess(ctx, nil, req.OperationName, metrics.Refused(refused.outcome))
		return &transport.Result{Response: refused.response(), Outcome: refused.outcome, RetryAfter: refused.retryAfter}
	}
	ctx = logOperation(ctx, op)
	resp := r.run(ctx, op, req)
	outcome := metrics.Answered(resp)
	r.countAnswered(start, op, outcome)
	if r.onOperation != nil {
		r.onOperation(OperationRecord{
			Name: operationName(op, req), Kind: string(op.kind),
			Start: began, Duration: time.Since(began), Outcome: outcome.String(), Plan: op.plan,
		})
	}
	noteAccess(ctx, op, "", outcome)
	return &transport.Result{Response: resp, Outcome: request.Executed}
}

// operationName is the name of the operation op runs: the one req names,
// or that of its document's only operation.
func operationName(op *operation, req *request.Request) string {
	if req.OperationName != "" {
		return req.OperationName
	}
	if op.def != nil {
		return op.def.Name
	}
	return ""
}

// run executes a query or mutation once; a query identical to one already
// executing waits for that one's result (Config.MergeOperations).
func (r *Router) run(ctx context.Context, op *operation, req *request.Request) *wire.Response {
	header := r.subgraphHeaders(req.Header, op.identity)
	runPlan := func(ctx context.Context) *wire.Response {
		ctx, span := r.startExecute(ctx, op)
		defer span.End()
		return r.exec.Execute(ctx, op.plan, op.vars, header)
	}
	var timings *execute.Timings
	if r.wantsTimings(req, op) {
		// Timed requests run alone: a merged execution's fetches are
		// another request's.
		ctx, timings = execute.WithTimings(ctx)
	}
	var resp *wire.Response
	if key, ok := r.mergeKey(op, req, header); ok && timings == nil {
		resp = r.mergeOps.Do(ctx, key, runPlan)
	} else {
		resp = runPlan(ctx)
	}
	authzErrors(resp, op.denied)
	if r.wantsPlan(req) {
		if resp.Extensions == nil {
			resp.Extensions = map[string]any{}
		}
		resp.Extensions["queryPlan"] = op.plan
	}
	if r.wantsCost(req) {
		r.reportCost(op, resp)
	}
	if timings != nil {
		if resp.Extensions == nil {
			resp.Extensions = map[string]any{}
		}
		resp.Extensions["timings"] = timings.Report()
	}
	return resp
}

// wantsPlan reports whether req asks for its query plan, by the configured
// header or extensions.plan; without a header configured plans stay private.
func (r *Router) wantsPlan(req *request.Request) bool {
	if r.planHeader == "" {
		return false
	}
	if strings.EqualFold(req.Header.Get(r.planHeader), "true") {
		return true
	}
	b, _ := req.Extensions["plan"].(bool)
	return b
}

// wantsTimings reports whether req asks for its fetches' timings and may
// see them: asked as a plan is (the plan header, or extensions.timings),
// never without a plan header configured, and only by a client whose token
// carries Config.TimingsScope when clients are authenticated. Timings tell
// how the subgraphs behind the router perform, which a public client has
// no need to know.
func (r *Router) wantsTimings(req *request.Request, op *operation) bool {
	if r.planHeader == "" {
		return false
	}
	if !strings.EqualFold(req.Header.Get(r.planHeader), "true") {
		if b, _ := req.Extensions["timings"].(bool); !b {
			return false
		}
	}
	if r.identity.auth == nil || r.timingsScope == "" {
		return true
	}
	return op.identity.HasScope(r.timingsScope)
}

// Plan returns the query plan for an operation as JSON, for `cinegraph
// router plan`. Any operation may be planned, subscriptions included, as
// for a client that meets every @authenticated, @requiresScopes and
// @policy requirement.
func (r *Router) Plan(ctx context.Context, query, operationName string, variables map[string]any) (json.RawMessage, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The plan shown is the one for a client meeting every access
	// requirement; a real client's may leave fields out.
	ctx = context.WithValue(ctx, planAllKey{}, true)
	op, refused := r.operation(ctx, &request.Request{Query: query, OperationName: operationName, Variables: variables, Transport: request.InProcess})
	if refused != nil {
		return nil, fmt.Errorf("plan operation: %w", refused)
	}
	return json.Marshal(op.plan)
}

// mergeKey identifies the requests that one execution of op may answer: the
// same document and operation name (so the same plan, however many were
// built for it at once), variables, viewer, fields authorization removed,
// and headers reaching subgraphs. Only queries are merged.
func (r *Router) mergeKey(op *operation, req *request.Request, header http.Header) (string, bool) {
	if r.mergeOps == nil || op.kind != ast.Query {
		return "", false
	}
	vars, err := json.Marshal(op.vars)
	if err != nil {
		return "", false
	}
	subject := ""
	if op.identity != nil {
		subject = "sub=" + op.identity.Subject
	}
	return r.mergeOps.Key([]string{req.Query, req.OperationName, string(vars), subject, deniedKey(op.denied)}, header), true
}

// deniedKey writes the fields authorization removed as a key part; empty,
// at no cost, when it removed none.
func deniedKey(denied []authz.Removed) string {
	if len(denied) == 0 {
		return ""
	}
	var b strings.Builder
	for _, d := range denied {
		b.WriteString(strings.Join(d.Path, "."))
		b.WriteByte(' ')
		b.WriteString(d.Field)
		b.WriteByte(' ')
		b.WriteString(string(d.Code))
		b.WriteByte(';')
	}
	return b.String()
}
