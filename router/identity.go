package router

import (
	"context"
	"errors"
	"net/http"
	"sort"

	cgerrs "github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/router/auth"
	"github.com/cinegraph/cinegraph/router/request"
	"github.com/cinegraph/cinegraph/router/transport/ws"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// IdentityConfig says what subgraphs are told about an authenticated
// client. The headers it names are the router's to set: a client's own
// values for them are never forwarded, whatever ForwardHeaders says.
type IdentityConfig struct {
	// ClaimHeaders maps a token claim to the header carrying its value
	// (a list claim joined by spaces), e.g. {"profile": "X-Cinegraph-Profile"}.
	ClaimHeaders map[string]string
	// ScopesHeader, when set, carries the client's scopes, space-separated.
	ScopesHeader string
}

// identity is the router's authentication side.
type identity struct {
	auth *auth.Authenticator
	// claims are ClaimHeaders in a fixed order.
	claims []claimHeader
	scopes string
	// static are Config.SubgraphHeaders, canonical.
	static http.Header
	// reserved are the headers the router sets, canonical.
	reserved map[string]bool
}

type claimHeader struct{ claim, header string }

func newIdentity(cfg Config) *identity {
	id := &identity{auth: cfg.Auth, static: http.Header{}, reserved: map[string]bool{}}
	for claim, h := range cfg.Identity.ClaimHeaders {
		h = http.CanonicalHeaderKey(h)
		id.claims = append(id.claims, claimHeader{claim, h})
		id.reserved[h] = true
	}
	sort.Slice(id.claims, func(i, j int) bool { return id.claims[i].claim < id.claims[j].claim })
	if cfg.Identity.ScopesHeader != "" {
		id.scopes = http.CanonicalHeaderKey(cfg.Identity.ScopesHeader)
		id.reserved[id.scopes] = true
	}
	for h, vs := range cfg.SubgraphHeaders {
		h = http.CanonicalHeaderKey(h)
		id.static[h] = append([]string(nil), vs...)
		id.reserved[h] = true
	}
	return id
}

// authenticate verifies the bearer token of req: nil without a token (or
// without an authenticator), a 401 refusal when it is not valid.
func (r *Router) authenticate(ctx context.Context, req *request.Request) (*auth.Identity, *refusal) {
	if r.identity.auth == nil {
		return nil, nil
	}
	tok, err := auth.Token(req.Header)
	if err == nil && tok != "" {
		var id *auth.Identity
		if id, err = r.identity.auth.Verify(ctx, tok); err == nil {
			return id, nil
		}
	}
	if err == nil {
		return nil, nil
	}
	if !errors.Is(err, auth.ErrInvalidToken) {
		return nil, r.internalError(ctx, "token verification failed", err, req)
	}
	return nil, &refusal{outcome: request.Unauthenticated, code: cgerrs.Unauthenticated, errs: gqlerror.List{gqlerror.Errorf("%s", err.Error())}}
}

// socketIdentity refuses a websocket whose connection_init carries a token
// that is not valid (4403), before any operation runs; each operation is
// still authenticated on its own, so a token that expires stops working.
func (r *Router) socketIdentity(next func(context.Context, *http.Request, map[string]any) (http.Header, error)) func(context.Context, *http.Request, map[string]any) (http.Header, error) {
	if r.identity.auth == nil {
		return next
	}
	return func(ctx context.Context, req *http.Request, payload map[string]any) (http.Header, error) {
		h, err := next(ctx, req, payload)
		if err != nil {
			return h, err
		}
		if _, refused := r.authenticate(ctx, &request.Request{Header: h}); refused != nil {
			return nil, ws.ErrForbidden
		}
		return h, nil
	}
}

// subgraphHeaders are the headers of the subgraph requests made for a
// client: the forwarded ones, then the router's own, then the identity
// the client's token proved.
func (r *Router) subgraphHeaders(h http.Header, id *auth.Identity) http.Header {
	out := http.Header{}
	for _, name := range r.forward {
		if r.identity.reserved[name] {
			continue
		}
		if vs := h.Values(name); len(vs) > 0 {
			// Shared, not copied: neither side changes a header's values
			// in place (Set and Add replace or grow the slice).
			out[name] = vs[:len(vs):len(vs)]
		}
	}
	for name, vs := range r.identity.static {
		out[name] = vs
	}
	if id == nil {
		return out
	}
	for _, c := range r.identity.claims {
		if v, ok := id.Claim(c.claim); ok {
			out[c.header] = []string{v}
		}
	}
	if r.identity.scopes != "" && len(id.Scopes) > 0 {
		out[r.identity.scopes] = []string{joinScopes(id.Scopes)}
	}
	return out
}

func joinScopes(scopes []string) string {
	n := 0
	for _, s := range scopes {
		n += len(s) + 1
	}
	b := make([]byte, 0, n)
	for i, s := range scopes {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, s...)
	}
	return string(b)
}
