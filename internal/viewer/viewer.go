// Package viewer carries the identity of the profile making a request into
// a subgraph's request context, and decides which requests may name one.
//
// Subgraphs do not authenticate clients: the router verifies the client's
// token and tells the subgraph who the viewer is in identity headers
// (Header, ScopesHeader). A subgraph believes those headers only when the
// request also carries the router's token (RouterTokenHeader) matching the
// secret it shares with the router (Trust), so a client that reaches a
// subgraph directly cannot name a viewer. A request without identity is
// anonymous: public fields answer, viewer fields fail with UNAUTHENTICATED.
package viewer

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/cinegraph/cinegraph/internal/errs"
)

// Identity headers, set by the router from a verified token.
const (
	// Header names the viewer's profile.
	Header = "X-Cinegraph-Profile"
	// ScopesHeader lists the viewer's scopes, separated by spaces.
	ScopesHeader = "X-Cinegraph-Scopes"
	// RouterTokenHeader carries the secret the router and the subgraphs
	// share; identity headers count only beside it.
	RouterTokenHeader = "X-Cinegraph-Router-Token"
)

// AdminScope grants the operator's features.
const AdminScope = "admin"

var validID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)

// Viewer is who makes a request.
type Viewer struct {
	Profile string
	Scopes  []string
}

type ctxKey struct{}

// With returns ctx carrying v as the viewer.
func With(ctx context.Context, v Viewer) context.Context {
	return context.WithValue(ctx, ctxKey{}, v)
}

// WithProfile returns ctx carrying profile as the viewer, without scopes.
func WithProfile(ctx context.Context, profile string) context.Context {
	return With(ctx, Viewer{Profile: profile})
}

// From returns the viewer of ctx; false means the request is anonymous.
func From(ctx context.Context) (Viewer, bool) {
	v, ok := ctx.Value(ctxKey{}).(Viewer)
	return v, ok && v.Profile != ""
}

// Profile returns the viewer's profile id, or an UNAUTHENTICATED error for
// an anonymous request.
func Profile(ctx context.Context) (string, error) {
	v, ok := From(ctx)
	if !ok {
		return "", errs.New(errs.Unauthenticated, "sign in to use this field")
	}
	return v.Profile, nil
}

// Owner checks that the viewer may read what profile owns: the profile
// itself, or an operator holding AdminScope (support tools read any
// profile). It answers UNAUTHENTICATED for an anonymous request and
// FORBIDDEN for another profile. Writes never take this path: a mutation
// acts as the viewer's own profile.
func Owner(ctx context.Context, profile string) error {
	me, err := Profile(ctx)
	if err != nil {
		return err
	}
	if me != profile && !HasScope(ctx, AdminScope) {
		return errs.New(errs.Forbidden, "profile %q belongs to another viewer", profile)
	}
	return nil
}

// HasScope reports whether the viewer holds scope.
func HasScope(ctx context.Context, scope string) bool {
	v, ok := From(ctx)
	return ok && slices.Contains(v.Scopes, scope)
}

// Parse checks a profile id taken from an identity header; empty means
// anonymous.
func Parse(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	if !validID.MatchString(raw) {
		return "", errs.New(errs.BadUserInput, "invalid %s header: want letters, digits, '-' or '_' (at most 64)", Header)
	}
	return raw, nil
}

// Trust is a subgraph's rule for identity headers: they count only on
// requests carrying RouterToken in RouterTokenHeader. An empty RouterToken
// trusts no one, so every request is anonymous.
type Trust struct {
	RouterToken string
}

// fromRouter reports whether token is the router's.
func (t Trust) fromRouter(token string) bool {
	return t.RouterToken != "" && subtle.ConstantTimeCompare([]byte(token), []byte(t.RouterToken)) == 1
}

// read derives the viewer from identity values: the router's token, the
// profile and the scopes. Identity without the router's token is refused
// rather than ignored, so a misconfigured deployment fails loudly.
func (t Trust) read(token, profile, scopes string) (Viewer, error) {
	if token == "" {
		if profile != "" || scopes != "" {
			return Viewer{}, errs.New(errs.Unauthenticated, "identity headers are accepted only from the router")
		}
		return Viewer{}, nil
	}
	if !t.fromRouter(token) {
		return Viewer{}, errs.New(errs.Unauthenticated, "invalid %s", RouterTokenHeader)
	}
	id, err := Parse(profile)
	if err != nil {
		return Viewer{}, err
	}
	if id == "" {
		return Viewer{}, nil
	}
	return Viewer{Profile: id, Scopes: strings.Fields(scopes)}, nil
}

// Middleware puts the viewer the router named into the context; a request
// without identity goes on anonymous, one whose identity cannot be trusted
// gets 401 and one with a malformed profile id 400. It leaves t in the
// context too, for FromInitPayload to judge a websocket's connection_init.
func (t Trust) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := t.read(r.Header.Get(RouterTokenHeader), r.Header.Get(Header), r.Header.Get(ScopesHeader))
		if err != nil {
			e, _ := errs.As(err)
			status := http.StatusBadRequest
			if e.Code == errs.Unauthenticated {
				status = http.StatusUnauthorized
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{
				"message": e.Message, "extensions": map[string]any{"code": string(e.Code)},
			}}})
			return
		}
		ctx := context.WithValue(r.Context(), trustKey{}, t)
		if v.Profile != "" {
			ctx = With(ctx, v)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

type trustKey struct{}

// FromInitPayload reads the viewer from a websocket connection_init
// payload, where the router puts its headers as keys, by the Trust that
// Middleware left in ctx; without one nothing is trusted.
func FromInitPayload(ctx context.Context, payload map[string]any) (context.Context, error) {
	t, _ := ctx.Value(trustKey{}).(Trust)
	v, err := t.read(payloadValue(payload, RouterTokenHeader), payloadValue(payload, Header), payloadValue(payload, ScopesHeader))
	if err != nil {
		return ctx, err
	}
	if v.Profile == "" {
		return ctx, nil
	}
	return With(ctx, v), nil
}

// payloadValue finds a header's value in an init payload, whatever the
// case of its key.
func payloadValue(payload map[string]any, header string) string {
	for k, v := range payload {
		if s, ok := v.(string); ok && strings.EqualFold(k, header) {
			return s
		}
	}
	return ""
}
