package router

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	cgerrs "github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/router/dedupe"
	"github.com/cinegraph/cinegraph/router/metrics"
	"github.com/cinegraph/cinegraph/router/plan"
	"github.com/cinegraph/cinegraph/router/request"
	"github.com/cinegraph/cinegraph/router/subscription"
	"github.com/cinegraph/cinegraph/router/transport/multipart"
	"github.com/cinegraph/cinegraph/router/transport/sse"
	"github.com/cinegraph/cinegraph/router/transport/ws"
	"github.com/cinegraph/cinegraph/router/wire"
	"github.com/vektah/gqlparser/v2/ast"
	"go.opentelemetry.io/otel/trace"
)

// SubscriptionConfig configures subscriptions at /graphql (websockets, SSE,
// multipart HTTP). Zero values mean the transports' defaults.
type SubscriptionConfig struct {
	// Upstream opens subscriptions on subgraphs; nil means graphql-transport-ws
	// to the subgraph URLs.
	Upstream subscription.Upstream
	// Buffer is how many results a client may lag behind before its
	// subscription ends with an error.
	Buffer int
	// OnConnect checks a websocket's connection_init payload and returns the
	// headers its operations run with; nil means ws.DefaultHeaders plus those
	// InitPayloadHeaders names.
	OnConnect func(ctx context.Context, r *http.Request, payload map[string]any) (http.Header, error)
	// InitPayloadHeaders maps connection_init payload keys to the header
	// their string value sets for the connection's operations, for clients
	// that cannot set headers on a websocket; used when OnConnect is nil.
	InitPayloadHeaders map[string]string
	InitTimeout        time.Duration
	KeepAlive          time.Duration
	MaxSubscriptions   int
	MaxMessageBytes    int64
	// Resume names, by Subscription field, how a lost upstream
	// subscription continues from its last event (subscription.ResumeRule);
	// fields without a rule end their clients' subscriptions when lost.
	Resume map[string]subscription.ResumeRule
}

// streaming is the router's subscription side.
type streaming struct {
	r         *Router
	manager   *subscription.Manager
	ws        *ws.Server
	sse       *sse.Handler
	multipart *multipart.Handler

	mu      sync.Mutex
	servers map[*http.Server]bool // those told to call Shutdown on theirs
	// resume is SubscriptionConfig.Resume.
	resume map[string]subscription.ResumeRule
}

func newStreaming(r *Router, cfg Config) *streaming {
	up := cfg.Subscriptions.Upstream
	if up == nil {
		urls := map[string]string{}
		for _, g := range r.sg.Graphs {
			urls[g.Name] = g.URL
		}
		for name, u := range cfg.SubgraphURLs {
			urls[name] = u
		}
		upstream := &subscription.WSUpstream{URLs: urls}
		if r.balanced != nil {
			upstream.Pick = r.balanced.Pick
		}
		up = upstream
	}
	s := &streaming{r: r, manager: subscription.NewManager(up, cfg.Subscriptions.Buffer, r.logger), resume: cfg.Subscriptions.Resume}
	s.manager.Metrics = subscription.Metrics{Upstreams: r.metrics.Upstreams(), Delivered: r.metrics.Delivered(), Dropped: r.metrics.Dropped()}
	onConnect := cfg.Subscriptions.OnConnect
	if onConnect == nil {
		onConnect = initHeaders(cfg.Subscriptions.InitPayloadHeaders)
	}
	onConnect = r.socketIdentity(onConnect)
	s.ws = &ws.Server{
		Subscriber:       s,
		OnConnect:        onConnect,
		InitTimeout:      cfg.Subscriptions.InitTimeout,
		KeepAlive:        cfg.Subscriptions.KeepAlive,
		MaxSubscriptions: cfg.Subscriptions.MaxSubscriptions,
		MaxMessageBytes:  cfg.Subscriptions.MaxMessageBytes,
		CheckOrigin:      r.crossOrigin.socketAllowed,
		Admit:            r.admitSocket(),
		Open:             r.metrics.Websockets(),
		Tracer:           r.tracing.Tracer(),
	}
	s.sse = &sse.Handler{Subscriber: s, MaxRequestBytes: cfg.MaxRequestBytes, Tracer: r.tracing.Tracer()}
	s.multipart = &multipart.Handler{Subscriber: s, MaxRequestBytes: cfg.MaxRequestBytes, Tracer: r.tracing.Tracer()}
	return s
}

// initHeaders is the default OnConnect: ws.DefaultHeaders, then each payload
// key named in keyToHeader sets its header.
func initHeaders(keyToHeader map[string]string) func(context.Context, *http.Request, map[string]any) (http.Header, error) {
	keys := make([]string, 0, len(keyToHeader))
	for k := range keyToHeader {
		keys = append(keys, k)
	}
	sort.Strings(keys) // a fixed order when two keys set one header
	return func(_ context.Context, req *http.Request, payload map[string]any) (http.Header, error) {
		h := ws.DefaultHeaders(req, payload)
		for _, k := range keys {
			if v, ok := payload[k].(string); ok {
				h.Set(keyToHeader[k], v)
			}
		}
		return h, nil
	}
}

// serve answers the request when it is a websocket, SSE or multipart
// subscription request, and reports whether it did.
func (s *streaming) serve(w http.ResponseWriter, req *http.Request) bool {
	var h http.Handler
	switch {
	case ws.IsUpgrade(req):
		h = s.ws
	case sse.Accepts(req):
		h = s.sse
	case multipart.Accepts(req):
		h = s.multipart
	default:
		return false
	}
	s.shutdownWith(req)
	h.ServeHTTP(w, req)
	return true
}

// shutdownWith makes the http.Server serving req end subscriptions when it
// shuts down: it does not close hijacked websockets or wait for streams
// itself, and those must close with 1012 rather than be cut.
func (s *streaming) shutdownWith(req *http.Request) {
	srv, ok := req.Context().Value(http.ServerContextKey).(*http.Server)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.servers[srv] {
		return
	}
	if s.servers == nil {
		s.servers = map[*http.Server]bool{}
	}
	s.servers[srv] = true
	srv.RegisterOnShutdown(s.r.Shutdown)
}

// Shutdown ends every subscription: websockets close with 1012 (service
// restart) first, their operations left uncompleted so that clients
// reconnect and subscribe again; then SSE and multipart streams end with an
// UNAVAILABLE error result and their protocol's end.
func (r *Router) Shutdown() {
	r.streaming.ws.Shutdown()
	r.streaming.manager.Shutdown()
}

// UpstreamSubscriptions returns how many subgraph subscriptions are open
// (identical client subscriptions share one).
func (r *Router) UpstreamSubscriptions() int { return r.streaming.manager.Groups() }

// Subscribe starts an operation for a streaming transport: subscriptions
// share an upstream subscription and complete each event through the rest
// of the plan; queries and mutations run once.
func (s *streaming) Subscribe(ctx context.Context, req *request.Request) (*subscription.Stream, *subscription.Refusal) {
	r := s.r
	start := r.metrics.Begin()
	op, refused := r.operation(ctx, req)
	if refused != nil {
		r.countRefused(start, req, refused)
		noteAccess(ctx, nil, req.OperationName, metrics.Refused(refused.outcome))
		return nil, &subscription.Refusal{Response: refused.response(), Outcome: refused.outcome, RetryAfter: refused.retryAfter}
	}
	ctx = logOperation(ctx, op)
	if op.kind != ast.Subscription || op.root == nil {
		// A query or mutation, or a subscription authorization left nothing
		// of: one answer, and nothing opened upstream.
		resp := r.run(ctx, op, req)
		raw, err := json.Marshal(resp)
		if err != nil {
			r.countAnswered(start, op, metrics.Error)
			f := r.internalError(ctx, "encode the response", err, req)
			return nil, &subscription.Refusal{Response: f.response(), Outcome: f.outcome}
		}
		r.countAnswered(start, op, metrics.Answered(resp))
		noteAccess(ctx, op, "", metrics.Answered(resp))
		return subscription.Single(raw), nil
	}
	header := r.subgraphHeaders(req.Header, op.identity)
	subscribed := trace.SpanContextFromContext(ctx)
	sub := &wire.SubgraphRequest{Query: op.root.Operation, OperationName: op.root.OperationName, Variables: fetchVariables(op.root, op.vars)}
	// The upstream operation is part of the key: authorization may have
	// filtered the same document differently for another client.
	key, err := sharingKey(op.root.ServiceName, req.Query+"\x00"+op.root.Operation, req.OperationName, op.vars, header)
	if err != nil {
		r.countAnswered(start, op, metrics.Error)
		f := r.internalError(ctx, "encode subscription variables", err, req)
		return nil, &subscription.Refusal{Response: f.response(), Outcome: f.outcome}
	}
	var resume func(*wire.SubgraphResponse) *wire.SubgraphRequest
	if len(s.resume) > 0 {
		first, next, ok, err := subscription.Resumable(sub, s.resume, r.sg.Schema)
		switch {
		case err != nil:
			r.logger.WarnContext(ctx, "subscription not resumable", "subgraph", op.root.ServiceName, "error", err)
		case ok:
			sub, resume = first, next
		}
	}
	r.countAnswered(start, op, metrics.OK)
	noteAccess(ctx, op, "", metrics.OK)
	return s.manager.Subscribe(subscription.Source{
		Key:      key,
		Subgraph: op.root.ServiceName,
		Request:  sub,
		Header:   header,
		Resume:   resume,
		Complete: func(ctx context.Context, ev *wire.SubgraphResponse) subscription.Result {
			ctx, span := r.startEvent(ctx, op, subscribed, ev)
			defer span.End()
			res := subscription.Result{Trace: span.SpanContext()}
			resp := r.exec.ExecuteEvent(ctx, op.plan, op.root, op.rest, ev, op.vars, header)
			authzErrors(resp, op.denied)
			raw, err := json.Marshal(resp)
			if err != nil {
				r.logger.ErrorContext(ctx, "encode a subscription event", "error", err, "subgraph", op.root.ServiceName)
				res.Payload = subscription.ErrorPayload(cgerrs.Internal, "internal error")
				return res
			}
			res.Payload = raw
			return res
		},
	}), nil
}

func fetchVariables(f *plan.Fetch, vars map[string]any) map[string]any {
	if len(f.VariableUsages) == 0 {
		return nil
	}
	out := make(map[string]any, len(f.VariableUsages))
	for _, u := range f.VariableUsages {
		if v, ok := vars[u]; ok {
			out[u] = v
		}
	}
	return out
}

// sharingKey identifies identical subscriptions: same operation, variables
// and forwarded headers (which may change what a subgraph answers), request
// ids and trace context aside (dedupe.DefaultIgnoreHeaders).
func sharingKey(subgraph, query, opName string, vars map[string]any, header http.Header) (string, error) {
	v, err := json.Marshal(vars) // map keys are sorted
	if err != nil {
		return "", err
	}
	names := make([]string, 0, len(header))
	for k := range header {
		// Every request has its own id and trace context, which change
		// nothing in the events: counting them would share nothing.
		if !slices.Contains(dedupe.DefaultIgnoreHeaders, k) {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(subgraph)
	b.WriteByte(0)
	b.WriteString(opName)
	b.WriteByte(0)
	b.WriteString(query)
	b.WriteByte(0)
	b.Write(v)
	for _, k := range names {
		b.WriteByte(0)
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(strings.Join(header[k], ","))
	}
	return b.String(), nil
}
