package execute

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	cgerrs "github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/internal/logging"
	"github.com/cinegraph/cinegraph/router/fetch"
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

// fetchFailed is the client error for a fetch that got no answer. A fetch
// that a resilience policy refused or cut short says why in
// extensions.reason; the refusals are expected while a subgraph is cut off,
// so they are logged at debug level rather than once per request as
// warnings. So are the failures of an execution whose client went away
// (ctx cancelled): nobody reads the answer, and nothing is wrong.
func (e *Executor) fetchFailed(ctx context.Context, service string, err error, path []any) *wire.Error {
	ext := map[string]any{"code": string(cgerrs.Unavailable), "serviceName": service}
	msg := fmt.Sprintf("subgraph %s is unavailable", service)
	level := slog.LevelWarn
	var fe *fetch.Error
	if errors.As(err, &fe) && fe.Reason != "" {
		ext["reason"] = string(fe.Reason)
		msg += reasonMessages[fe.Reason]
		if fe.Reason != fetch.Timeout {
			level = slog.LevelDebug
		}
	}
	if logging.Cancelled(ctx) {
		level = slog.LevelDebug
	}
	if e.Logger != nil {
		e.Logger.Log(ctx, level, "subgraph fetch failed", "subgraph", service, "error", err)
	}
	if e.ExposeSubgraphErrors {
		msg += ": " + err.Error()
	}
	return &wire.Error{Message: msg, Path: path, Extensions: ext}
}

// reasonMessages complete "subgraph x is unavailable" for each reason.
var reasonMessages = map[fetch.Reason]string{
	fetch.CircuitOpen:  " (its circuit breaker is open)",
	fetch.Timeout:      " (the fetch timed out)",
	fetch.BulkheadFull: " (too many fetches in flight)",
	fetch.NoInstances:  " (no instance of it is registered)",
}
