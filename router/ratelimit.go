package router

import (
	"context"
	"net/http"

	cgerrs "github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/router/auth"
	"github.com/cinegraph/cinegraph/router/ratelimit"
	"github.com/cinegraph/cinegraph/router/request"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// identify records the client key of req where it enters the router, so
// every transport, and every operation of a websocket, is counted against
// the client of the HTTP request that carried it.
func (r *Router) identify(req *http.Request) *http.Request {
	if r.rateLimit == nil {
		return req
	}
	return req.WithContext(ratelimit.WithClient(req.Context(), r.rateLimit.Key(req)))
}

// limitClient spends one request of the client's allowance. Requests
// without a client key (in-process planning) are not limited.
func (r *Router) limitClient(ctx context.Context, id *auth.Identity) *refusal {
	if r.rateLimit == nil {
		return nil
	}
	client, ok := clientKey(ctx, id)
	if !ok {
		return nil
	}
	return rateLimited(r.rateLimit.Request(ctx, client))
}

// limitOperation spends one request of the client's allowance for the
// operation name, once the document has named it.
func (r *Router) limitOperation(ctx context.Context, id *auth.Identity, name string) *refusal {
	if r.rateLimit == nil {
		return nil
	}
	client, ok := clientKey(ctx, id)
	if !ok {
		return nil
	}
	return rateLimited(r.rateLimit.Operation(ctx, client, name))
}

// clientKey names the client whose allowance a request spends: the subject
// of its token when it has one (one allowance wherever the client connects
// from), else the key the policy derived from the HTTP request.
func clientKey(ctx context.Context, id *auth.Identity) (string, bool) {
	client, ok := ratelimit.ClientFrom(ctx)
	if !ok {
		return "", false
	}
	if id != nil && id.Subject != "" {
		return "sub:" + id.Subject, true
	}
	return client, true
}

// rateLimited is the refusal of a request over a limit: RATE_LIMITED,
// naming the limit and when to retry.
func rateLimited(e *ratelimit.Exceeded) *refusal {
	if e == nil {
		return nil
	}
	ge := gqlerror.Errorf("%s", e.Error())
	ge.Extensions = map[string]any{"limit": e.Limit, "retryAfter": e.RetryAfterSeconds()}
	if e.Operation != "" {
		ge.Extensions["operation"] = e.Operation
	}
	return &refusal{outcome: request.Limited, code: cgerrs.RateLimited, errs: gqlerror.List{ge}, retryAfter: e.RetryAfterSeconds()}
}

// admitSocket is the websocket server's Admit: a new connection spends a
// request of its client's allowance and holds a place under the
// connection caps while open.
func (r *Router) admitSocket() func(*http.Request) (func(), error) {
	if r.rateLimit == nil {
		return nil
	}
	return func(req *http.Request) (func(), error) {
		client, ok := ratelimit.ClientFrom(req.Context())
		if !ok {
			client = r.rateLimit.Key(req)
		}
		release, e := r.rateLimit.Connect(req.Context(), client)
		if e != nil {
			return nil, e
		}
		return release, nil
	}
}
