// Package transport serves GraphQL over HTTP (GET and POST, per the
// GraphQL-over-HTTP spec) in front of anything that can execute a request.
package transport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/cinegraph/cinegraph/router/wire"
)

// Request is one GraphQL request as read from HTTP.
type Request struct {
	Query         string
	OperationName string
	Variables     map[string]any
	Extensions    map[string]any
	Header        http.Header
	// ReadOnly is set for GET requests: only queries may run.
	ReadOnly bool
}

// Outcome says how a request ended, which decides the HTTP status.
type Outcome int

const (
	// Executed: the operation ran (the response may still hold errors).
	Executed Outcome = iota
	// Rejected: the request failed before execution (parse, validation,
	// variables); the response has no data.
	Rejected
	// NotAllowed: a mutation over GET.
	NotAllowed
	// Failed: the server could not handle a valid request (e.g. planning
	// failed); the response has no data.
	Failed
)

// Result is an executed or rejected request.
type Result struct {
	Response *wire.Response
	Outcome  Outcome
}

// Executor runs GraphQL requests.
type Executor interface {
	Execute(ctx context.Context, req *Request) *Result
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

type body struct {
	Query         string          `json:"query"`
	OperationName string          `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
	Extensions    json.RawMessage `json:"extensions"`

	// decoded bodies carry variables and extensions already parsed.
	decoded               bool
	variables, extensions map[string]any
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	media, ok := negotiate(r.Header.Values("Accept"))
	if !ok {
		writeError(w, mediaJSON, http.StatusNotAcceptable, "the response can only be application/graphql-response+json or application/json", "BAD_USER_INPUT")
		return
	}
	defer func() {
		if p := recover(); p != nil {
			if h.Logger != nil {
				h.Logger.Error("graphql request panicked", "panic", fmt.Sprint(p))
			}
			writeError(w, media, http.StatusInternalServerError, "internal server error", "INTERNAL")
		}
	}()
	req, status, err := h.read(w, r)
	if err != nil {
		writeError(w, media, status, err.Error(), "BAD_USER_INPUT")
		return
	}
	res := h.Exec.Execute(r.Context(), req)
	status = http.StatusOK
	switch res.Outcome {
	case NotAllowed:
		w.Header().Set("Allow", "POST")
		status = http.StatusMethodNotAllowed
	case Rejected:
		if media == mediaGraphQLResponse {
			status = http.StatusBadRequest
		}
	case Failed:
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

func (h *Handler) read(w http.ResponseWriter, r *http.Request) (*Request, int, error) {
	limit := h.MaxRequestBytes
	if limit <= 0 {
		limit = 1 << 20
	}
	var b body
	req := &Request{Header: r.Header}
	switch r.Method {
	case http.MethodGet:
		q := r.URL.Query()
		b.Query = q.Get("query")
		b.OperationName = q.Get("operationName")
		if v := q.Get("variables"); v != "" {
			b.Variables = json.RawMessage(v)
		}
		if v := q.Get("extensions"); v != "" {
			b.Extensions = json.RawMessage(v)
		}
		req.ReadOnly = true
	case http.MethodPost:
		ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || (ct != mediaJSON && ct != mediaGraphQLResponse) {
			return nil, http.StatusUnsupportedMediaType, errors.New("POST bodies must be application/json")
		}
		// Decoding copies every string out of the body, so its buffer is pooled.
		buf := wire.GetBuffer()
		defer wire.PutBuffer(buf)
		raw, err := wire.ReadAll(*buf, http.MaxBytesReader(w, r.Body, limit), r.ContentLength, limit)
		*buf = raw[:0]
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return nil, http.StatusRequestEntityTooLarge, fmt.Errorf("request body is larger than %d bytes", limit)
			}
			return nil, http.StatusBadRequest, fmt.Errorf("read request body: %w", err)
		}
		if err := decodeBody(raw, &b); err != nil {
			var oe objectError
			if errors.As(err, &oe) {
				return nil, http.StatusBadRequest, oe
			}
			return nil, http.StatusBadRequest, fmt.Errorf("request body is not a GraphQL JSON request: %w", err)
		}
	default:
		w.Header().Set("Allow", "GET, POST")
		return nil, http.StatusMethodNotAllowed, fmt.Errorf("method %s is not allowed", r.Method)
	}
	if strings.TrimSpace(b.Query) == "" {
		return nil, http.StatusBadRequest, errors.New("the request has no query")
	}
	req.Query, req.OperationName = b.Query, b.OperationName
	if b.decoded {
		req.Variables, req.Extensions = b.variables, b.extensions
		return req, 0, nil
	}
	var err error
	if req.Variables, err = objectOrNull(b.Variables, "variables"); err != nil {
		return nil, http.StatusBadRequest, err
	}
	if req.Extensions, err = objectOrNull(b.Extensions, "extensions"); err != nil {
		return nil, http.StatusBadRequest, err
	}
	return req, 0, nil
}

func objectOrNull(raw json.RawMessage, what string) (map[string]any, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	v, err := wire.DecodeJSON(raw)
	m, ok := v.(map[string]any)
	if err != nil || !ok {
		return nil, fmt.Errorf("%s must be a JSON object", what)
	}
	return m, nil
}

// objectError says that variables or extensions is not an object.
type objectError string

func (e objectError) Error() string { return string(e) + " must be a JSON object" }

// decodeBody reads a POST body with the router's single-pass JSON reader
// instead of reflection: query and operationName must be strings or null,
// variables and extensions are kept raw for objectOrNull.
func decodeBody(raw []byte, b *body) error {
	v, err := wire.DecodeJSON(raw)
	if err != nil {
		return err
	}
	top, ok := v.(map[string]any)
	if !ok {
		return errors.New("the body must be a JSON object")
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"query", &b.Query}, {"operationName", &b.OperationName}} {
		switch x := top[f.key].(type) {
		case string:
			*f.dst = x
		case nil:
		default:
			return fmt.Errorf("%s must be a string", f.key)
		}
	}
	for _, f := range []struct {
		key string
		dst *map[string]any
	}{{"variables", &b.variables}, {"extensions", &b.extensions}} {
		switch x := top[f.key].(type) {
		case map[string]any:
			*f.dst = x
		case nil:
		default:
			return objectError(f.key)
		}
	}
	b.decoded = true
	return nil
}

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

func writeError(w http.ResponseWriter, media string, status int, msg, code string) {
	resp := &wire.Response{Errors: []*wire.Error{{Message: msg, Extensions: map[string]any{"code": code}}}}
	out, _ := json.Marshal(resp)
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(out)
}
