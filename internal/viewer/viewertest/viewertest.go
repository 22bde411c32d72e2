// Package viewertest lets a test speak to a subgraph as the router does:
// the subgraph's handler trusts a fixed router token, and requests name
// their viewer in the identity headers beside that token.
package viewertest

import (
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/client"

	"github.com/cinegraph/cinegraph/internal/viewer"
)

// RouterToken is the secret Handler trusts.
const RouterToken = "viewertest-router-token"

// Handler wraps a subgraph's handler in the identity middleware, trusting
// RouterToken.
func Handler(h http.Handler) http.Handler {
	return viewer.Trust{RouterToken: RouterToken}.Middleware(h)
}

// Client is a gqlgen test client for a subgraph's handler behind Handler;
// requests are anonymous unless an option names a viewer (As).
func Client(h http.Handler, opts ...client.Option) *client.Client {
	return client.New(Handler(h), opts...)
}

// As makes a request on behalf of profile holding scopes, the way the
// router forwards a verified token.
func As(profile string, scopes ...string) client.Option {
	return func(r *client.Request) {
		r.HTTP.Header.Set(viewer.RouterTokenHeader, RouterToken)
		r.HTTP.Header.Set(viewer.Header, profile)
		if len(scopes) > 0 {
			r.HTTP.Header.Set(viewer.ScopesHeader, strings.Join(scopes, " "))
		}
	}
}

// Anonymous removes the identity a client's default options set, for one
// request made without a viewer.
func Anonymous() client.Option {
	return func(r *client.Request) {
		for _, h := range []string{viewer.RouterTokenHeader, viewer.Header, viewer.ScopesHeader} {
			r.HTTP.Header.Del(h)
		}
	}
}

// InitPayload is the websocket connection_init payload with which the
// router opens a subscription on behalf of profile.
func InitPayload(profile string, scopes ...string) map[string]any {
	p := map[string]any{viewer.RouterTokenHeader: RouterToken, viewer.Header: profile}
	if len(scopes) > 0 {
		p[viewer.ScopesHeader] = strings.Join(scopes, " ")
	}
	return p
}
