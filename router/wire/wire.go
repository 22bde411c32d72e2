// Package wire holds the GraphQL-over-HTTP messages the router exchanges
// with clients and subgraphs, and the JSON reading and writing every stage
// shares: the single-pass reader, the reflection-free writers and the
// pooled buffers they fill.
package wire

import (
	"encoding/json"
	"errors"
)

// SubgraphRequest is one GraphQL request to a subgraph.
type SubgraphRequest struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName,omitempty"`
	Variables     map[string]any `json:"variables,omitempty"`
	// OperationKind is "query", "mutation" or "subscription" (entity
	// fetches are queries). It is not sent: it tells fetch middleware
	// whether the request may be sent twice, so only queries are retried.
	OperationKind string `json:"-"`
}

// SubgraphResponse is a subgraph's GraphQL response, numbers kept as
// json.Number.
type SubgraphResponse struct {
	Data   map[string]any  `json:"data"`
	Errors []SubgraphError `json:"errors"`
	// Extensions are the response's own extensions; the executor passes
	// on to clients those it is told to (Executor.PropagateExtensions).
	Extensions map[string]any `json:"extensions,omitempty"`
	// Bytes is the length of the body it was decoded from, which bounds
	// what it adds to a response; 0 when it was built in memory.
	Bytes int `json:"-"`
}

// SubgraphError is an error as a subgraph reports it.
type SubgraphError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// Response is the router's GraphQL response to a client.
type Response struct {
	Data       json.RawMessage // "null" when a non-null root field failed
	Errors     []*Error
	Extensions map[string]any
}

// MarshalJSON writes errors first only when there is no data, like most
// GraphQL servers, and omits empty parts.
func (r *Response) MarshalJSON() ([]byte, error) {
	return r.AppendJSON(nil), nil
}

// Error is a GraphQL error in the client response.
type Error struct {
	Message    string         `json:"message"`
	Locations  []Location     `json:"locations,omitempty"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// Location is a position in the client's query.
type Location struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// DecodeResponse parses a GraphQL response body keeping numbers exact.
func DecodeResponse(raw []byte) (*SubgraphResponse, error) {
	v, err := parseJSON(raw)
	if err != nil {
		return nil, err
	}
	top, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("a GraphQL response must be a JSON object")
	}
	out := &SubgraphResponse{Bytes: len(raw)}
	switch d := top["data"].(type) {
	case map[string]any:
		out.Data = d
	case nil:
	default:
		return nil, errors.New("data must be an object or null")
	}
	out.Extensions, _ = top["extensions"].(map[string]any)
	if errs, ok := top["errors"].([]any); ok {
		for _, e := range errs {
			em, ok := e.(map[string]any)
			if !ok {
				continue
			}
			se := SubgraphError{}
			se.Message, _ = em["message"].(string)
			se.Path, _ = em["path"].([]any)
			se.Extensions, _ = em["extensions"].(map[string]any)
			out.Errors = append(out.Errors, se)
		}
	}
	return out, nil
}
