// Package transport serves GraphQL over HTTP with one JSON response (GET and
// POST, per the GraphQL-over-HTTP spec) in front of anything that can
// execute a request; requests are read by package request, as on every
// other transport.
package transport

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/router/request"
	"github.com/cinegraph/cinegraph/router/wire"
)

// Result is an executed or rejected request.
type Result struct {
	Response *wire.Response
	Outcome  request.Outcome
	// RetryAfter is the seconds a Limited client should wait.
	RetryAfter int
}

// Executor runs GraphQL requests.
type Executor interface {
	Execute(ctx context.Context, req *request.Request) *Result
}

// Handler is the HTTP endpoint.
type Handler struct {
	Exec            Executor
	MaxRequestBytes int64 // 0 means 1 MiB
	Logger          *slog.Logger
}

const (
	mediaGraphQLResponse = "application/graphql-response+json"
	mediaJSON            = "application/json"
)

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	media, ok := negotiate(r.Header.Values("Accept"))
	if !ok {
		writeError(w, mediaJSON, http.StatusNotAcceptable, "the response can only be application/graphql-response+json or application/json", errs.BadUserInput)
		return
	}
	defer func() {
		if p := recover(); p != nil {
			if h.Logger != nil {
				h.Logger.ErrorContext(r.Context(), "graphql request panicked", "panic", fmt.Sprint(p))
			}
			writeError(w, media, http.StatusInternalServerError, "internal server error", errs.Internal)
		}
	}()
	req, bad := request.ReadHTTP(w, r, request.HTTP, h.MaxRequestBytes)
	if bad != nil {
		writeError(w, media, bad.Status, bad.Message, errs.BadUserInput)
		return
	}
	res := h.Exec.Execute(r.Context(), req)
	status := http.StatusOK
	switch res.Outcome {
	case request.NotAllowed:
		w.Header().Set("Allow", request.AllowWrites)
		status = http.StatusMethodNotAllowed
	case request.Rejected:
		if media == mediaGraphQLResponse {
			status = http.StatusBadRequest
		}
	case request.Blocked:
		status = http.StatusBadRequest
	case request.Limited:
		request.SetRetryAfter(w.Header(), res.RetryAfter)
		status = http.StatusTooManyRequests
	case request.Unauthenticated:
		request.SetUnauthenticated(w.Header())
		status = http.StatusUnauthorized
	case request.Failed:
		status = http.StatusInternalServerError
	}
	buf := wire.GetBuffer()
	defer wire.PutBuffer(buf)
	*buf = res.Response.AppendJSON(*buf)
	hdr := w.Header()
	if media == mediaGraphQLResponse {
		hdr["Content-Type"] = contentTypeGraphQLResponse
	} else {
		hdr["Content-Type"] = contentTypeJSON
	}
	hdr["Content-Length"] = []string{strconv.Itoa(len(*buf))}
	w.WriteHeader(status)
	_, _ = w.Write(*buf)
}

// Content types, shared because net/http only reads header values.
var (
	contentTypeGraphQLResponse = []string{mediaGraphQLResponse + "; charset=utf-8"}
	contentTypeJSON            = []string{mediaJSON + "; charset=utf-8"}
)

// negotiate picks the response media type from Accept headers; no header
// means application/json, for older clients.
func negotiate(accepts []string) (string, bool) {
	if len(accepts) == 0 {
		return mediaJSON, true
	}
	best, bestQ := "", -1.0
	for _, h := range accepts {
		for _, part := range strings.Split(h, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			q := 1.0
			if qs, ok := params["q"]; ok {
				if _, err := fmt.Sscanf(qs, "%g", &q); err != nil {
					q = 0
				}
			}
			var cand string
			switch mt {
			case mediaGraphQLResponse:
				cand = mediaGraphQLResponse
			case mediaJSON:
				cand = mediaJSON
			case "application/*", "*/*":
				cand = mediaJSON
			default:
				continue
			}
			if q > bestQ || (q == bestQ && cand == mediaGraphQLResponse) {
				best, bestQ = cand, q
			}
		}
	}
	if best == "" || bestQ <= 0 {
		return "", false
	}
	return best, true
}

func writeError(w http.ResponseWriter, media string, status int, msg string, code errs.Code) {
	resp := &wire.Response{Errors: []*wire.Error{{Message: msg, Extensions: map[string]any{"code": string(code)}}}}
	out, _ := json.Marshal(resp)
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(out)
}
