package request

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/cinegraph/cinegraph/internal/compression"
	"github.com/cinegraph/cinegraph/router/wire"
)

// DefaultMaxBytes bounds a POST body when the caller sets no limit.
const DefaultMaxBytes = 1 << 20

// Media types a POST body may be sent as.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// Error is a request that could not be read: the HTTP status to answer with
// and a message safe to show the client.
type Error struct {
	Status  int
	Message string
}

func (e *Error) Error() string { return e.Message }

func bad(status int, format string, args ...any) *Error {
	return &Error{Status: status, Message: fmt.Sprintf(format, args...)}
}

// ReadHTTP reads the GraphQL request in r for transport t: a GET with query
// parameters, or a POST with a JSON body of at most limit bytes (0 means
// DefaultMaxBytes), sent as it is or compressed (Content-Encoding gzip or
// zstd; at most limit bytes once decompressed too). On failure it returns the status to answer with; a
// method other than GET and POST also gets an Allow header on w.
func ReadHTTP(w http.ResponseWriter, r *http.Request, t Transport, limit int64) (*Request, *Error) {
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	var top map[string]any
	switch r.Method {
	case http.MethodGet:
		q := r.URL.Query()
		top = map[string]any{}
		for _, key := range []string{"query", "operationName"} {
			if q.Has(key) {
				top[key] = q.Get(key)
			}
		}
		for _, key := range []string{"variables", "extensions"} {
			v := q.Get(key)
			if v == "" {
				continue
			}
			x, err := decode([]byte(v))
			if err != nil {
				return nil, bad(http.StatusBadRequest, "%s must be a JSON object", key)
			}
			top[key] = x
		}
	case http.MethodPost:
		ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || (ct != mediaJSON && ct != mediaGraphQLResponse) {
			return nil, bad(http.StatusUnsupportedMediaType, "POST bodies must be application/json")
		}
		// A compressed body (Content-Encoding gzip or zstd) is held to the
		// limit twice: as sent, and decoded, so that a small body inflating
		// to gigabytes is refused after limit bytes of it.
		var body io.Reader = http.MaxBytesReader(w, r.Body, limit)
		length := r.ContentLength
		rd, release, err := compression.NewReader(r.Header["Content-Encoding"], body)
		if err != nil {
			var unsupported *compression.UnsupportedError
			if errors.As(err, &unsupported) {
				return nil, bad(http.StatusUnsupportedMediaType, "%s", err)
			}
			return nil, bad(http.StatusBadRequest, "read request body: %v", err)
		}
		decoded := release != nil
		if decoded {
			defer release()
			body, length = http.MaxBytesReader(w, io.NopCloser(rd), limit), -1
		}
		// Decoding copies every string out of the body, so its buffer is pooled.
		buf := wire.GetBuffer()
		defer wire.PutBuffer(buf)
		raw, err := wire.ReadAll(*buf, body, length, limit)
		*buf = raw[:0]
		if err != nil {
			var tooBig *http.MaxBytesError
			switch {
			case errors.As(err, &tooBig) && decoded:
				return nil, bad(http.StatusRequestEntityTooLarge, "request body is larger than %d bytes once decompressed", limit)
			case errors.As(err, &tooBig):
				return nil, bad(http.StatusRequestEntityTooLarge, "request body is larger than %d bytes", limit)
			}
			return nil, bad(http.StatusBadRequest, "read request body: %v", err)
		}
		v, err := decode(raw)
		if err != nil {
			return nil, bad(http.StatusBadRequest, "request body is not a GraphQL JSON request: %v", err)
		}
		var ok bool
		if top, ok = v.(map[string]any); !ok {
			return nil, bad(http.StatusBadRequest, "the body must be a JSON object")
		}
	default:
		w.Header().Set("Allow", "GET, POST")
		return nil, bad(http.StatusMethodNotAllowed, "method %s is not allowed", r.Method)
	}
	req, err := fromObject(top)
	if err != nil {
		return nil, bad(http.StatusBadRequest, "%s", err)
	}
	if req.Persisted == nil && strings.TrimSpace(req.Query) == "" {
		return nil, bad(http.StatusBadRequest, "the request has no query")
	}
	req.Header, req.Method, req.Transport = r.Header, r.Method, t
	return req, nil
}

// FromPayload reads the payload of a websocket subscribe message (start in
// the legacy protocol), which has the shape of a POST body; header is the
// connection's.
func FromPayload(raw json.RawMessage, header http.Header) (*Request, error) {
	v, err := decode(raw)
	if err != nil {
		return nil, errors.New("subscribe payload must be a JSON object")
	}
	top, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("subscribe payload must be a JSON object")
	}
	req, err := fromObject(top)
	if err != nil {
		return nil, err
	}
	if req.Persisted == nil && strings.TrimSpace(req.Query) == "" {
		return nil, errors.New("subscribe payload must hold a query")
	}
	req.Header, req.Transport = header, WebSocket
	return req, nil
}

// fromObject takes the request fields out of a decoded body: query and
// operationName are strings or null, variables and extensions objects or
// null.
func fromObject(top map[string]any) (*Request, error) {
	req := &Request{}
	for _, f := range []struct {
		key string
		dst *string
	}{{"query", &req.Query}, {"operationName", &req.OperationName}} {
		switch x := top[f.key].(type) {
		case string:
			*f.dst = x
		case nil:
		default:
			return nil, fmt.Errorf("%s must be a string", f.key)
		}
	}
	for _, f := range []struct {
		key string
		dst *map[string]any
	}{{"variables", &req.Variables}, {"extensions", &req.Extensions}} {
		switch x := top[f.key].(type) {
		case map[string]any:
			*f.dst = x
		case nil:
		default:
			return nil, fmt.Errorf("%s must be a JSON object", f.key)
		}
	}
	p, err := persisted(req.Extensions)
	if err != nil {
		return nil, err
	}
	req.Persisted = p
	return req, nil
}

// persisted reads extensions.persistedQuery; its absence (or null) is no
// error, a malformed one is.
func persisted(ext map[string]any) (*Persisted, error) {
	raw, ok := ext["persistedQuery"]
	if !ok || raw == nil {
		return nil, nil
	}
	pq, ok := raw.(map[string]any)
	if !ok {
		return nil, errors.New("extensions.persistedQuery must be a JSON object")
	}
	if v, ok := pq["version"].(json.Number); !ok || v.String() != "1" {
		return nil, fmt.Errorf("extensions.persistedQuery.version must be %d", PersistedVersion)
	}
	hash, ok := pq["sha256Hash"].(string)
	if !ok || hash == "" {
		return nil, errors.New("extensions.persistedQuery.sha256Hash must be a non-empty string")
	}
	return &Persisted{Hash: hash}, nil
}

// decode reads one JSON document with the router's single-pass reader,
// numbers as json.Number so that variable coercion sees integers as the
// client wrote them.
func decode(raw []byte) (any, error) { return wire.DecodeJSON(raw) }
