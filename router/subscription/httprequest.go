package subscription

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// ReadHTTP reads a GraphQL request sent over HTTP for a streaming response
// (SSE, multipart): GET with query parameters or POST with a JSON body of at
// most limit bytes (0 means 1 MiB). On failure it returns the HTTP status to
// answer with.
func ReadHTTP(w http.ResponseWriter, r *http.Request, limit int64) (*Request, int, error) {
	if limit <= 0 {
		limit = 1 << 20
	}
	var body struct {
		Query         string          `json:"query"`
		OperationName string          `json:"operationName"`
		Variables     json.RawMessage `json:"variables"`
		Extensions    json.RawMessage `json:"extensions"`
	}
	switch r.Method {
	case http.MethodGet:
		q := r.URL.Query()
		body.Query, body.OperationName = q.Get("query"), q.Get("operationName")
		body.Variables = json.RawMessage(q.Get("variables"))
		body.Extensions = json.RawMessage(q.Get("extensions"))
	case http.MethodPost:
		raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return nil, http.StatusRequestEntityTooLarge, fmt.Errorf("request body is larger than %d bytes", limit)
			}
			return nil, http.StatusBadRequest, fmt.Errorf("read request body: %w", err)
		}
		if err := json.Unmarshal(raw, &body); err != nil {
			return nil, http.StatusBadRequest, fmt.Errorf("request body is not a GraphQL JSON request: %w", err)
		}
	default:
		w.Header().Set("Allow", "GET, POST")
		return nil, http.StatusMethodNotAllowed, fmt.Errorf("method %s is not allowed", r.Method)
	}
	if strings.TrimSpace(body.Query) == "" {
		return nil, http.StatusBadRequest, errors.New("the request has no query")
	}
	vars, err := jsonObject(body.Variables)
	if err != nil {
		return nil, http.StatusBadRequest, errors.New("variables must be a JSON object")
	}
	exts, err := jsonObject(body.Extensions)
	if err != nil {
		return nil, http.StatusBadRequest, errors.New("extensions must be a JSON object")
	}
	return &Request{Query: body.Query, OperationName: body.OperationName, Variables: vars, Extensions: exts, Header: r.Header}, 0, nil
}

func jsonObject(raw json.RawMessage) (map[string]any, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	return m, nil
}
