// Package gqlserver builds the HTTP handler every Cinegraph subgraph serves:
// a gqlgen server with the transports, caches, error mapping and panic
// recovery configured once, so subgraphs differ only in their schema.
package gqlserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/cinegraph/cinegraph/internal/compression"
	"github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/internal/logging"
	"github.com/cinegraph/cinegraph/internal/telemetry"
	"github.com/cinegraph/cinegraph/internal/viewer"
)

// Defaults for every subgraph server.
const (
	// DefaultQueryCacheSize bounds parsed documents kept per server.
	DefaultQueryCacheSize = 1000
	// DefaultKeepAlive is the websocket ping interval; Apollo Client and
	// graphql-ws accept pings at any interval.
	DefaultKeepAlive = 10 * time.Second
	// DefaultMaxBodyBytes bounds a request body.
	DefaultMaxBodyBytes = 1 << 20
)

// Options configure a subgraph server.
type Options struct {
	// Name is the subgraph's name.
	Name string
	// Logger receives errors and panics; it should already name the
	// subgraph (logger.With("subgraph", name)).
	Logger *slog.Logger
	// Middleware wraps the handler, e.g. to attach per-request dataloaders.
	Middleware func(http.Handler) http.Handler
	// ContextFor prepares a websocket connection's context (dataloaders for
	// subscription events); nil leaves it as is.
	ContextFor func(ctx context.Context) context.Context
	// Tracing is the provider of the server's spans (tracing.go); nil
	// means the process's (telemetry.Current).
	Tracing *telemetry.Provider
}

// New returns the HTTP handler for a subgraph's executable schema: POST, GET
// and websocket (graphql-transport-ws and graphql-ws) transports,
// compressed request bodies and responses (gzip, zstd), a parsed query
// cache, introspection, coded errors, recovered panics and
// extensions.degraded when a fallback answered (DegradedExtension). Its
// websockets close with 1012 (CloseServiceRestart) when the http.Server
// serving them shuts down. Who the viewer is comes from the viewer.Trust
// middleware the deployment wraps the handler in; without it every request
// is anonymous.
func New(es graphql.ExecutableSchema, opts Options) http.Handler {
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}

	srv := handler.New(es)
	srv.AddTransport(transport.Websocket{
		KeepAlivePingInterval: DefaultKeepAlive,
		// Subgraphs sit behind the router, which checks origins for clients;
		// a server shutting down closes its sockets with 1012.
		Implementation: newSockets(transport.CoderWebsocketImplementation{
			AcceptOptions: websocket.AcceptOptions{InsecureSkipVerify: true},
		}),
		InitFunc: func(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			ctx, err := viewer.FromInitPayload(ctx, payload)
			if err != nil {
				return ctx, nil, err
			}
			if opts.ContextFor != nil {
				ctx = opts.ContextFor(ctx)
			}
			return ctx, nil, nil
		},
	})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](DefaultQueryCacheSize))
	srv.Use(extension.Introspection{})
	traced := newTracing(opts.Name, opts.Tracing)
	if traced != nil {
		srv.Use(traced)
	}
	// Counts operations when Metrics.Handler wraps the server.
	srv.Use(operationMetrics{})
	srv.AroundResponses(reportDegraded)
	srv.AroundOperations(logOperation)
	srv.SetErrorPresenter(Presenter(logger))
	srv.SetRecoverFunc(Recover(logger))

	var h http.Handler = srv
	if opts.Middleware != nil {
		h = opts.Middleware(h)
	}
	h = traced.serve(withRequestID(h))
	return compressor.Handler(http.MaxBytesHandler(h, DefaultMaxBodyBytes), DefaultMaxBodyBytes)
}

// compressor reads request bodies sent gzip- or zstd-compressed (a router
// with router.compression.subgraphs sends them so) and compresses answers
// of at least compression.DefaultMinBytes for clients that accept it,
// zstd first; websockets pass untouched.
var compressor = func() *compression.Compressor {
	c, err := compression.New(compression.Options{MinBytes: compression.DefaultMinBytes})
	if err != nil {
		panic(err)
	}
	return c
}()

// Presenter maps errors to GraphQL errors carrying a code from the closed
// set. Coded errors keep their message; anything else is logged and shown as
// INTERNAL with a generic message, so internals never reach clients.
func Presenter(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		if gqlErr.Extensions == nil {
			gqlErr.Extensions = map[string]any{}
		}
		if e, ok := errs.As(err); ok && e.Code.Valid() {
			gqlErr.Message = e.Message
			gqlErr.Extensions["code"] = string(e.Code)
			if e.Field != "" {
				gqlErr.Extensions["field"] = e.Field
			}
			if e.Code == errs.Internal || e.Code == errs.Unavailable {
				logger.Log(ctx, failureLevel(ctx), "request failed", "code", e.Code, "err", err, "path", gqlErr.Path.String())
			}
			return gqlErr
		}
		var parsed *gqlerror.Error
		if errors.As(err, &parsed) && parsed.Err == nil {
			// gqlgen's own errors (parse, validation, argument coercion) say
			// what is wrong with the operation: the client's to read. They
			// carry GRAPHQL_* codes, which the closed set folds into
			// BAD_USER_INPUT.
			gqlErr.Extensions["code"] = string(errs.BadUserInput)
			return gqlErr
		}
		logger.Log(ctx, failureLevel(ctx), "unexpected error", "err", err, "path", gqlErr.Path.String())
		gqlErr.Message = "internal error"
		gqlErr.Extensions["code"] = string(errs.Internal)
		return gqlErr
	}
}

// failureLevel is error, or debug once the caller went away (the router
// stopped waiting, its client left): what fails then fails because of it,
// and nobody reads the answer.
func failureLevel(ctx context.Context) slog.Level {
	if logging.Cancelled(ctx) {
		return slog.LevelDebug
	}
	return slog.LevelError
}

// Recover turns a resolver panic into an INTERNAL error and logs the stack.
func Recover(logger *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		logger.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return &errs.Error{Code: errs.Internal, Message: "internal error", Err: fmt.Errorf("panic: %v", p)}
	}
}
