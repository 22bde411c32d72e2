package execute

import (
	"fmt"

	"github.com/cinegraph/cinegraph/router/wire"
)

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

func (e *Executor) subgraphError(service string, se wire.SubgraphError, path []any) *wire.Error {
	code, _ := se.Extensions["code"].(string)
	out := &wire.Error{Message: se.Message, Path: path, Extensions: map[string]any{}}
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

func (e *Executor) fetchFailed(service string, err error, path []any) *wire.Error {
	if e.Logger != nil {
		e.Logger.Warn("subgraph fetch failed", "subgraph", service, "error", err)
	}
	msg := fmt.Sprintf("subgraph %s is unavailable", service)
	if e.ExposeSubgraphErrors {
		msg += ": " + err.Error()
	}
	return &wire.Error{Message: msg, Path: path, Extensions: map[string]any{"code": "UNAVAILABLE", "serviceName": service}}
}
