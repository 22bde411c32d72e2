// Package viewer carries the identity of the profile making a request, from
// the X-Cinegraph-Profile header (HTTP) or the connection_init payload
// (websockets) into the request context.
package viewer

import (
	"context"
	"net/http"
	"regexp"

	"github.com/cinegraph/cinegraph/internal/errs"
)

// Header names the viewer's profile on HTTP requests; the router forwards it.
const Header = "X-Cinegraph-Profile"

// DefaultProfile is the viewer when a request names none: the first seeded
// profile, so the platform is usable before authentication exists.
const DefaultProfile = "profile-1"

var validID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)

type ctxKey struct{}

// WithProfile returns ctx carrying profile as the viewer.
func WithProfile(ctx context.Context, profile string) context.Context {
	return context.WithValue(ctx, ctxKey{}, profile)
}

// Profile returns the viewer's profile id, or DefaultProfile.
func Profile(ctx context.Context) string {
	if p, ok := ctx.Value(ctxKey{}).(string); ok && p != "" {
		return p
	}
	return DefaultProfile
}

// Parse checks a profile id taken from a request; empty means the default.
func Parse(raw string) (string, error) {
	if raw == "" {
		return DefaultProfile, nil
	}
	if !validID.MatchString(raw) {
		return "", errs.New(errs.BadUserInput, "invalid %s header: want letters, digits, '-' or '_' (at most 64)", Header)
	}
	return raw, nil
}

// Middleware puts the viewer named by the request header into the context,
// answering 400 for a malformed id.
func Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		profile, err := Parse(r.Header.Get(Header))
		if err != nil {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"errors":[{"message":"invalid ` + Header + ` header","extensions":{"code":"BAD_USER_INPUT"}}]}`))
			return
		}
		next.ServeHTTP(w, r.WithContext(WithProfile(r.Context(), profile)))
	})
}

// FromInitPayload reads the viewer from a websocket connection_init payload
// ({"profile": "..."}, or the header name as a key).
func FromInitPayload(ctx context.Context, payload map[string]any) (context.Context, error) {
	raw, _ := payload["profile"].(string)
	if raw == "" {
		raw, _ = payload[Header].(string)
	}
	profile, err := Parse(raw)
	if err != nil {
		return ctx, err
	}
	return WithProfile(ctx, profile), nil
}
