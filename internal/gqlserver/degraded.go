package gqlserver

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/cinegraph/cinegraph/internal/depguard"
)

// DegradedExtension is the response extension that lists, as
// [{"dependency": ..., "fallback": ...}], the dependencies a fallback stood
// in for while answering (depguard.Degraded); absent when none did.
const DegradedExtension = "degraded"

// reportDegraded is a response middleware: it collects the request's
// depguard marks while the response is made and adds them to its
// extensions.
func reportDegraded(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	ctx = depguard.Collect(ctx)
	resp := next(ctx)
	if resp == nil {
		return nil
	}
	if marks := depguard.Marks(ctx); len(marks) > 0 {
		if resp.Extensions == nil {
			resp.Extensions = map[string]any{}
		}
		resp.Extensions[DegradedExtension] = marks
	}
	return resp
}
