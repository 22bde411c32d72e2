package router

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/logging"
	"github.com/cinegraph/cinegraph/internal/telemetry"
	"github.com/cinegraph/cinegraph/router/metrics"
)

// Every client request has an id: the client's X-Request-Id when it is a
// sane short token (logging.SaneRequestID), else one the router makes. The
// id is echoed in the response's X-Request-Id, forwarded to subgraphs in
// the request's own X-Request-Id (when ForwardHeaders names it, as by
// default), and stored in the request's context for every log line
// written with it (internal/logging), beside the trace and span ids of the
// request's span and, once it is parsed, the operation's name.

// identifyRequest gives req its id and returns it with the id in its
// context.
func identifyRequest(w http.ResponseWriter, req *http.Request) (*http.Request, string) {
	sent := req.Header.Get(logging.RequestIDHeader)
	id := logging.RequestID(sent)
	// One slice serves both headers: neither is appended to after.
	vals := []string{id}
	if id != sent || len(req.Header[logging.RequestIDHeader]) > 1 {
		// Subgraphs get ours (ForwardHeaders), never a header that could
		// forge fields in their logs.
		req.Header[logging.RequestIDHeader] = vals
	}
	w.Header()[logging.RequestIDHeader] = vals
	return req.WithContext(logging.With(req.Context(), slog.String(logging.KeyRequestID, id))), id
}

// logOperation names op in the lines logged with ctx from here on.
func logOperation(ctx context.Context, op *operation) context.Context {
	if op.def == nil || op.def.Name == "" {
		return ctx
	}
	return logging.With(ctx, slog.String(logging.KeyOperation, op.def.Name))
}

// accessEntry is what the access log (Config.AccessLog) says of one client
// request beyond its HTTP side: the operation the router made of it and
// how that ended. The transport fills it in while the request is served;
// a websocket's operations are its own and leave it empty.
type accessEntry struct {
	mu        sync.Mutex
	operation string
	kind      metrics.OperationType
	outcome   string
}

type accessKey struct{}

// noteAccess records on the request's access entry, if it has one, the
// operation that ran (op nil when refused before it was known) and its
// outcome.
func noteAccess(ctx context.Context, op *operation, name string, outcome metrics.Outcome) {
	e, ok := ctx.Value(accessKey{}).(*accessEntry)
	if !ok {
		return
	}
	kind := metrics.Unknown
	if op != nil {
		kind = operationType(op.kind)
		if op.def != nil {
			name = op.def.Name
		}
	}
	e.mu.Lock()
	e.operation, e.kind, e.outcome = name, kind, outcome.String()
	e.mu.Unlock()
}

// serveLogged serves req, then writes its access log line when
// Config.AccessLog is on. It runs inside the request's span, whose trace
// id the line carries.
func (r *Router) serveLogged(w http.ResponseWriter, req *http.Request, id string) {
	if !r.accessLog {
		r.front.ServeHTTP(w, req)
		return
	}
	start := time.Now()
	entry := &accessEntry{}
	rec := &telemetry.StatusRecorder{ResponseWriter: w}
	ctx := req.Context()
	r.front.ServeHTTP(rec, req.WithContext(context.WithValue(ctx, accessKey{}, entry)))
	entry.mu.Lock()
	attrs := []slog.Attr{
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.Int("status", rec.Status()),
		slog.Duration("duration", time.Since(start)),
		slog.String("operation", entry.operation),
		slog.String("operation_type", entry.kind.String()),
		slog.String("outcome", entry.outcome),
		slog.Int64("bytes", rec.Bytes()),
		slog.String(logging.KeyRequestID, id),
	}
	entry.mu.Unlock()
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		attrs = append(attrs, slog.String(logging.KeyTraceID, sc.TraceID().String()))
	}
	// The line names the request itself, so it is logged without the
	// context's attributes, which would repeat the id whatever the handler.
	r.logger.LogAttrs(context.Background(), slog.LevelInfo, "access", attrs...)
}
