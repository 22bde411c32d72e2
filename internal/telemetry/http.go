package telemetry

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// ServerSpans starts an HTTP server span around each request a handler
// serves, named and described by the HTTP semantic conventions
// ("POST /graphql", http.request.method, url.path, the response status).
type ServerSpans struct {
	Tracer     trace.Tracer
	Propagator propagation.TextMapPropagator
	// Continue makes the span a child of the trace context the request
	// carries, its baggage included (a trusted caller: the router, for a
	// subgraph). Otherwise the span starts a trace of its own, linked to
	// the caller's span when the request names one, and the caller's
	// baggage is not read.
	Continue bool
}

// Start starts req's server span; the request it returns carries it.
// End the span with End once the response is written.
func (s ServerSpans) Start(req *http.Request) (*http.Request, trace.Span) {
	ctx := req.Context()
	remote := s.Propagator.Extract(ctx, propagation.HeaderCarrier(req.Header))
	opts := make([]trace.SpanStartOption, 0, 3)
	opts = append(opts, trace.WithSpanKind(trace.SpanKindServer))
	if s.Continue {
		ctx = remote
	} else {
		opts = append(opts, trace.WithNewRoot())
		if sc := trace.SpanContextFromContext(remote); sc.IsValid() {
			opts = append(opts, trace.WithLinks(trace.Link{SpanContext: sc}))
		}
	}
	ctx, span := s.Tracer.Start(ctx, req.Method+" "+req.URL.Path, opts...)
	if span.IsRecording() {
		span.SetAttributes(requestAttributes(req)...)
	}
	return req.WithContext(ctx), span
}

// Handler serves next within a server span per request.
func (s ServerSpans) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		req, span := s.Start(req)
		rec := &StatusRecorder{ResponseWriter: w}
		defer func() { End(span, rec.Status()) }()
		next.ServeHTTP(rec, req)
	})
}

// End records the response status on span and ends it; a 5xx status is
// an error, as the conventions have it for servers.
func End(span trace.Span, status int) {
	if span.IsRecording() {
		span.SetAttributes(semconv.HTTPResponseStatusCode(status))
		if status >= 500 {
			span.SetStatus(codes.Error, "")
			span.SetAttributes(semconv.ErrorTypeKey.String(strconv.Itoa(status)))
		}
	}
	span.End()
}

func requestAttributes(req *http.Request) []attribute.KeyValue {
	scheme := "http"
	if req.TLS != nil {
		scheme = "https"
	}
	attrs := []attribute.KeyValue{
		semconv.HTTPRequestMethodKey.String(req.Method),
		semconv.URLPath(req.URL.Path),
		semconv.URLScheme(scheme),
		semconv.NetworkProtocolVersion(fmt.Sprintf("%d.%d", req.ProtoMajor, req.ProtoMinor)),
	}
	if host, port, err := net.SplitHostPort(req.Host); err == nil {
		attrs = append(attrs, semconv.ServerAddress(host))
		if p, err := strconv.Atoi(port); err == nil {
			attrs = append(attrs, semconv.ServerPort(p))
		}
	} else if req.Host != "" {
		attrs = append(attrs, semconv.ServerAddress(req.Host))
	}
	if host, _, err := net.SplitHostPort(req.RemoteAddr); err == nil {
		attrs = append(attrs, semconv.ClientAddress(host))
	}
	if ua := req.UserAgent(); ua != "" {
		attrs = append(attrs, semconv.UserAgentOriginal(ua))
	}
	return attrs
}

// StatusRecorder remembers the status a handler answers with and counts
// the body bytes it writes. It passes Flush and Hijack through (SSE,
// multipart and websockets need them) and unwraps for
// http.ResponseController.
type StatusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

// Bytes is the count of body bytes written through the recorder; a
// hijacked connection's traffic is not counted.
func (w *StatusRecorder) Bytes() int64 { return w.bytes }

// Status is the status written, 200 when the handler wrote none, 101
// after a hijack.
func (w *StatusRecorder) Status() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

func (w *StatusRecorder) WriteHeader(code int) {
	if w.status == 0 || w.status < 200 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *StatusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *StatusRecorder) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *StatusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("telemetry: the response writer cannot be hijacked")
	}
	conn, rw, err := h.Hijack()
	if err == nil && w.status == 0 {
		w.status = http.StatusSwitchingProtocols
	}
	return conn, rw, err
}

// Unwrap is the writer wrapped, for http.ResponseController.
func (w *StatusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Inject writes ctx's trace context and baggage into header.
func Inject(ctx context.Context, prop propagation.TextMapPropagator, header http.Header) {
	prop.Inject(ctx, HeaderCarrier(header))
}

// HeaderCarrier is propagation.HeaderCarrier writing the W3C fields under
// their canonical header names directly: http.Header.Set would make the
// canonical form of "traceparent" anew, one allocation per header per
// request.
type HeaderCarrier http.Header

// Get returns the first value of key.
func (h HeaderCarrier) Get(key string) string { return http.Header(h).Get(key) }

// Set sets key to value alone.
func (h HeaderCarrier) Set(key, value string) {
	switch key {
	case "traceparent":
		key = "Traceparent"
	case "tracestate":
		key = "Tracestate"
	case "baggage":
		key = "Baggage"
	default:
		key = http.CanonicalHeaderKey(key)
	}
	h[key] = []string{value}
}

// Keys lists the header names.
func (h HeaderCarrier) Keys() []string { return propagation.HeaderCarrier(h).Keys() }
