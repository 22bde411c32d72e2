package execute

import (
	"encoding/json"
	"fmt"
)

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

// Codes from Cinegraph's closed set; subgraph messages carrying one of these
// are meant for clients.
var publicCodes = map[string]bool{
	"BAD_USER_INPUT":  true,
	"NOT_FOUND":       true,
	"UNAUTHENTICATED": true,
	"FORBIDDEN":       true,
	"UNAVAILABLE":     true,
	"INTERNAL":        true,
}

// redactedMessage replaces subgraph messages that are not meant for clients.
const redactedMessage = "Subgraph errors redacted"

func (e *Executor) subgraphError(service string, se SubgraphError, path []any) *Error {
	code, _ := se.Extensions["code"].(string)
	out := &Error{Message: se.Message, Path: path, Extensions: map[string]any{}}
	if e.ExposeSubgraphErrors {
		for k, v := range se.Extensions {
			out.Extensions[k] = v
		}
	} else if !publicCodes[code] {
		out.Message = redactedMessage
	}
	if code == "" {
		code = "INTERNAL"
	}
	out.Extensions["code"] = code
	out.Extensions["serviceName"] = service
	return out
}

func (e *Executor) fetchFailed(service string, err error, path []any) *Error {
	if e.Logger != nil {
		e.Logger.Warn("subgraph fetch failed", "subgraph", service, "error", err)
	}
	msg := fmt.Sprintf("subgraph %s is unavailable", service)
	if e.ExposeSubgraphErrors {
		msg += ": " + err.Error()
	}
	return &Error{Message: msg, Path: path, Extensions: map[string]any{"code": "UNAVAILABLE", "serviceName": service}}
}

// Response is what the executor produces.
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
