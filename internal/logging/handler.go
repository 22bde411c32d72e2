package logging

import (
	"context"
	"errors"
	"log/slog"

	"go.opentelemetry.io/otel/trace"
)

// The keys of the attributes Handler adds to a request's lines; the
// request id and operation are the router's and subgraphs' names for what
// they store with With.
const (
	KeyTraceID   = "trace_id"
	KeySpanID    = "span_id"
	KeyRequestID = "request_id"
	KeyOperation = "operation"
)

// ctxKey finds the nearest *ctxAttrs in a context.
type ctxKey struct{}

// ctxAttrs are the attributes With stored, and the context node that
// holds them: one allocation per With, not one for the attributes and one
// for a context.WithValue. They are never changed once stored, so lines
// written concurrently from one request (parallel fetches) read them
// without a lock.
type ctxAttrs struct {
	context.Context
	attrs []slog.Attr
	// inline holds the first attributes, so that the request id, then the
	// operation, fit in the node's own allocation.
	inline [2]slog.Attr
}

// Value answers ctxKey itself and asks the parent for any other key.
func (c *ctxAttrs) Value(key any) any {
	if key == (ctxKey{}) {
		return c
	}
	return c.Context.Value(key)
}

// With returns ctx carrying attrs for every line logged with it, beside
// those stored before; an attribute whose key was stored already replaces
// the earlier value (the operation's name, known once it is parsed).
func With(ctx context.Context, attrs ...slog.Attr) context.Context {
	if len(attrs) == 0 {
		return ctx
	}
	prev := Attrs(ctx)
	stored := &ctxAttrs{Context: ctx}
	merged := stored.inline[:0]
	for _, p := range prev {
		if !hasKey(attrs, p.Key) {
			merged = append(merged, p)
		}
	}
	stored.attrs = append(merged, attrs...)
	return stored
}

// Attrs returns the attributes With stored in ctx; the caller must not
// change them.
func Attrs(ctx context.Context) []slog.Attr {
	if ctx == nil {
		return nil
	}
	if a, ok := ctx.Value(ctxKey{}).(*ctxAttrs); ok {
		return a.attrs
	}
	return nil
}

func hasKey(attrs []slog.Attr, key string) bool {
	for _, a := range attrs {
		if a.Key == key {
			return true
		}
	}
	return false
}

// Handler adds the request's attributes to each record logged with a
// context: trace_id and span_id when the context holds a valid span
// context, then whatever With stored. Without either it passes the record
// on as it is, so lines written outside requests cost one context lookup
// more. Attributes added after WithGroup land inside the group, as any
// record's attributes do; the router's loggers open none.
type Handler struct {
	next slog.Handler
}

// NewHandler wraps next, the handler that formats and writes.
func NewHandler(next slog.Handler) *Handler { return &Handler{next: next} }

// Enabled reports whether next writes records at level.
func (h *Handler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

// Handle adds ctx's attributes to r and has next write it.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	if ctx == nil {
		return h.next.Handle(ctx, r)
	}
	sc := trace.SpanContextFromContext(ctx)
	stored := Attrs(ctx)
	if !sc.IsValid() && len(stored) == 0 {
		return h.next.Handle(ctx, r)
	}
	if sc.IsValid() {
		r.AddAttrs(slog.String(KeyTraceID, sc.TraceID().String()), slog.String(KeySpanID, sc.SpanID().String()))
	}
	// AddAttrs never writes into an array the caller's record shares.
	r.AddAttrs(stored...)
	return h.next.Handle(ctx, r)
}

// WithAttrs returns a Handler whose next has attrs.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &Handler{next: h.next.WithAttrs(attrs)}
}

// WithGroup returns a Handler whose next opens group.
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{next: h.next.WithGroup(name)}
}

// Cancelled reports whether ctx ended because its caller cancelled it: a
// client that went away, a router that stopped waiting for a subgraph. The
// failures that follow are the cancellation's, not faults to log above
// debug level. A context ended by its deadline, or by a cause of its own,
// is not cancelled in this sense.
func Cancelled(ctx context.Context) bool {
	return ctx != nil && errors.Is(context.Cause(ctx), context.Canceled)
}
