// Package multipart serves GraphQL subscriptions over Apollo's multipart
// HTTP protocol (multipart/mixed with subscriptionSpec=1.0): one part per
// result wrapped as {"payload": ...}, "{}" heartbeats, and a closing
// boundary when the subscription ends.
package multipart

import (
	"encoding/json"
	"io"
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

// DefaultHeartbeat is how often an empty part is sent; Apollo's clients and
// router use 5 seconds.
const DefaultHeartbeat = 5 * time.Second

// Every part is followed by its boundary at once, so a client can hand a
// result on as soon as it arrives instead of when the next part starts.
const (
	contentType = `multipart/mixed;boundary="graphql";subscriptionSpec="1.0"`
	opening     = "\r\n--graphql"
	partHeader  = "\r\nContent-Type: application/json; charset=utf-8\r\n\r\n"
	partEnd     = "\r\n--graphql"
	closing     = "--\r\n"
)

// Handler serves multipart subscription requests.
type Handler struct {
	Subscriber subscription.Subscriber
	// MaxRequestBytes bounds POST bodies; 0 means 1 MiB.
	MaxRequestBytes int64
	// Tracer, when set, spans each result written within a traced
	// subscription event (tracing.StartWrite).
	Tracer trace.Tracer
	// Heartbeat 0 means DefaultHeartbeat.
	Heartbeat time.Duration
}

// Accepts reports whether r asks for a multipart subscription response;
// requests that only accept multipart for @defer are left to the regular
// endpoint.
func Accepts(r *http.Request) bool {
	for _, h := range r.Header.Values("Accept") {
		l := strings.ToLower(h)
		if strings.Contains(l, "multipart/mixed") && strings.Contains(l, "subscriptionspec") {
			return true
		}
	}
	return false
}

// ServeHTTP runs one operation and streams its results.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req, bad := request.ReadHTTP(w, r, request.Multipart, h.MaxRequestBytes)
	if bad != nil {
		writeErrors(w, bad.Status, subscription.ErrorPayload(errs.BadUserInput, "%s", bad.Message))
		return
	}
	st, refused := h.Subscriber.Subscribe(r.Context(), req)
	if refused != nil && (refused.Outcome == request.NotAllowed || refused.Outcome == request.Blocked || refused.Outcome == request.Limited || refused.Outcome == request.Unauthenticated) {
		// Refused by method, as a possible forgery, over a rate limit or
		// for an invalid token: answered with a status, before any part.
		status := http.StatusBadRequest
		switch refused.Outcome {
		case request.NotAllowed:
			w.Header().Set("Allow", request.AllowWrites)
			status = http.StatusMethodNotAllowed
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
	flusher, _ := w.(http.Flusher)
	flush := func() {
		if flusher != nil {
			flusher.Flush()
		}
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, opening)
	if refused != nil {
		raw, _ := json.Marshal(refused.Response)
		writePart(w, raw)
		_, _ = io.WriteString(w, closing)
		return
	}
	defer st.Close()
	flush()
	every := h.Heartbeat
	if every <= 0 {
		every = DefaultHeartbeat
	}
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-ticker.C:
			if _, err := io.WriteString(w, partHeader+"{}"+partEnd); err != nil {
				return
			}
			flush()
		case res, ok := <-st.C:
			if !ok {
				if final := st.Final(); final != nil {
					writePart(w, final)
				}
				_, _ = io.WriteString(w, closing)
				flush()
				return
			}
			span := tracing.StartWrite(h.Tracer, res.Trace, "multipart")
			err := writePart(w, res.Payload)
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

// writePart wraps a result as Apollo's protocol expects: {"payload": result}.
func writePart(w io.Writer, result json.RawMessage) error {
	_, err := io.WriteString(w, partHeader+`{"payload":`+string(result)+"}"+partEnd)
	return err
}

func writeErrors(w http.ResponseWriter, status int, payload json.RawMessage) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(payload)
}
