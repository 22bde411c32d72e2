// Package sse serves GraphQL subscriptions over server-sent events, the
// GraphQL over SSE protocol's distinct-connections mode: one HTTP request
// per operation, results as "next" events, then a "complete" event.
package sse

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/router/request"
	"github.com/cinegraph/cinegraph/router/subscription"
	"github.com/cinegraph/cinegraph/router/tracing"
)

// DefaultKeepAlive is the interval of comment lines that keep proxies from
// timing the stream out.
const DefaultKeepAlive = 12 * time.Second

// Handler serves SSE subscription requests.
type Handler struct {
	Subscriber subscription.Subscriber
	// MaxRequestBytes bounds POST bodies; 0 means 1 MiB.
	MaxRequestBytes int64
	// Tracer, when set, spans each result written within a traced
	// subscription event (tracing.StartWrite).
	Tracer trace.Tracer
	// KeepAlive 0 means DefaultKeepAlive.
	KeepAlive time.Duration
}

// Accepts reports whether r asks for an event stream.
func Accepts(r *http.Request) bool {
	for _, h := range r.Header.Values("Accept") {
		for _, part := range strings.Split(h, ",") {
			if mt, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil && mt == "text/event-stream" {
				return true
			}
		}
	}
	return false
}

// ServeHTTP runs one operation and streams its results.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req, bad := request.ReadHTTP(w, r, request.SSE, h.MaxRequestBytes)
	if bad != nil {
		writeErrors(w, bad.Status, subscription.ErrorPayload(errs.BadUserInput, "%s", bad.Message))
		return
	}
	st, refused := h.Subscriber.Subscribe(r.Context(), req)
	if refused != nil {
		status := http.StatusBadRequest
		switch refused.Outcome {
		case request.NotAllowed:
			w.Header().Set("Allow", request.AllowWrites)
			status = http.StatusMethodNotAllowed
		case request.Failed:
			status = http.StatusInternalServerError
		case request.Limited:
			request.SetRetryAfter(w.Header(), refused.RetryAfter)
			status = http.StatusTooManyRequests
		case request.Unauthenticated:
			request.SetUnauthenticated(w.Header())
			status = http.StatusUnauthorized
		}
		raw, _ := json.Marshal(refused.Response)
		writeErrors(w, status, raw)
		return
	}
	defer st.Close()
	flusher, _ := w.(http.Flusher)
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	flush := func() {
		if flusher != nil {
			flusher.Flush()
		}
	}
	flush()
	every := h.KeepAlive
	if every <= 0 {
		every = DefaultKeepAlive
	}
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-ticker.C:
			if _, err := io.WriteString(w, ":\n\n"); err != nil {
				return
			}
			flush()
		case res, ok := <-st.C:
			if !ok {
				if final := st.Final(); final != nil {
					writeEvent(w, "next", final)
				}
				writeEvent(w, "complete", nil)
				flush()
				return
			}
			span := tracing.StartWrite(h.Tracer, res.Trace, "sse")
			err := writeEvent(w, "next", res.Payload)
			if err == nil {
				flush()
			} else {
				span.SetStatus(codes.Error, "client gone")
			}
			span.End()
			if err != nil {
				return
			}
		}
	}
}

// writeEvent writes one event; JSON has no raw newlines, so data is one line.
func writeEvent(w io.Writer, event string, data json.RawMessage) error {
	_, err := io.WriteString(w, "event: "+event+"\ndata: "+string(data)+"\n\n")
	return err
}

func writeErrors(w http.ResponseWriter, status int, payload json.RawMessage) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(payload)
}
