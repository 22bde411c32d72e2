package router

import (
	"context"

	"github.com/cinegraph/cinegraph/router/request"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// resolveDocument sets req.Query to the document a persisted query's hash
// names, or refuses the request; it also holds every request to the
// safelist when one is on. A request without a hash keeps its query.
func (r *Router) resolveDocument(ctx context.Context, req *request.Request) *refusal {
	var hash string
	if req.Persisted != nil {
		hash = req.Persisted.Hash
	}
	// The safelist guards what clients send; callers in the process, such
	// as `cinegraph router plan`, may plan any document.
	if hash == "" && (r.persisted == nil || req.Transport == request.InProcess) {
		return nil
	}
	query, err := r.persisted.Resolve(ctx, req.Query, hash)
	if err != nil {
		return &refusal{outcome: request.Rejected, code: err.Code, errs: gqlerror.List{gqlerror.Errorf("%s", err.Message)}}
	}
	req.Query = query
	return nil
}
