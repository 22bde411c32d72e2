package gqlserver

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/99designs/gqlgen/graphql"

	"github.com/cinegraph/cinegraph/internal/logging"
)

// withRequestID puts the request id the router forwards (X-Request-Id)
// into the request's context, so the subgraph's log lines for it carry the
// id the router's lines and the client's response carry. An id that is not
// a sane token is left out rather than logged.
func withRequestID(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if id := req.Header.Get(logging.RequestIDHeader); logging.SaneRequestID(id) {
			req = req.WithContext(logging.With(req.Context(), slog.String(logging.KeyRequestID, id)))
		}
		h.ServeHTTP(w, req)
	})
}

// logOperation names the operation (the router's name for its fetch) in
// the lines logged while it runs.
func logOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if oc := graphql.GetOperationContext(ctx); oc != nil && oc.OperationName != "" {
		ctx = logging.With(ctx, slog.String(logging.KeyOperation, oc.OperationName))
	}
	return next(ctx)
}
