package execute

import (
	"fmt"

	cgerrs "github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/router/wire"
)

// redactedMessage replaces subgraph messages that are not meant for clients.
const redactedMessage = "Subgraph errors redacted"

// subgraphError passes on a subgraph's error. Messages with a code from
// Cinegraph's closed set are meant for clients; any other message is
// redacted and its code becomes INTERNAL, unless subgraph errors are exposed.
func (e *Executor) subgraphError(service string, se wire.SubgraphError, path []any) *wire.Error {
	raw, _ := se.Extensions["code"].(string)
	code := cgerrs.Code(raw)
	out := &wire.Error{Message: se.Message, Path: path, Extensions: map[string]any{}}
	if e.ExposeSubgraphErrors {
		for k, v := range se.Extensions {
			out.Extensions[k] = v
		}
	} else if !code.Valid() {
		out.Message = redactedMessage
		code = cgerrs.Internal
	}
	if code == "" {
		code = cgerrs.Internal
	}
	out.Extensions["code"] = string(code)
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
	return &wire.Error{Message: msg, Path: path, Extensions: map[string]any{"code": string(cgerrs.Unavailable), "serviceName": service}}
}
