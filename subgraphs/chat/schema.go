package chat

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/cinegraph/cinegraph/internal/events/fanout"
)

// reportingSchema wraps the generated schema so that a subscription the
// server ends (a subscriber dropped for falling behind, or shutdown) sends
// the client one last payload carrying the coded error, rather than
// completing as if the stream had simply run out.
type reportingSchema struct {
	graphql.ExecutableSchema
}

func (s reportingSchema) Exec(ctx context.Context) graphql.ResponseHandler {
	ctx, outcome := fanout.WithOutcome(ctx)
	next := s.ExecutableSchema.Exec(ctx)
	reported := false
	return func(ctx context.Context) *graphql.Response {
		resp := next(ctx)
		if resp != nil || reported {
			return resp
		}
		err := outcome.Err()
		if err == nil {
			return nil
		}
		reported = true
		// ctx is this response's context: the error goes through the
		// server's presenter like any other and is attached by the executor.
		graphql.AddError(ctx, err)
		return &graphql.Response{}
	}
}
