package ratelimit

import (
	"context"
	"net"
	"net/http"
	"strings"
)

// KeyFunc names the client an HTTP request comes from; requests with the
// same key share a client's limits. Authentication will plug in here: a
// KeyFunc that returns the verified subject of the bearer token.
type KeyFunc func(*http.Request) string

// HeaderOrIP keys a request by the first of headers it carries (such as a
// verified-identity header a trusted proxy sets), else by the client IP.
// Only headers a trusted proxy sets, or strips from clients, belong here:
// a client choosing its own key escapes its limit.
func HeaderOrIP(headers ...string) KeyFunc {
	canon := make([]string, len(headers))
	for i, h := range headers {
		canon[i] = http.CanonicalHeaderKey(h)
	}
	return func(r *http.Request) string {
		for _, h := range canon {
			if v := r.Header[h]; len(v) > 0 && v[0] != "" {
				return h + ":" + v[0]
			}
		}
		return "ip:" + ClientIP(r)
	}
}

// ClientIP is the address of the peer; proxies in front must be accounted
// for by a KeyFunc that trusts their headers.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return strings.TrimSpace(r.RemoteAddr)
	}
	return host
}

type clientKey struct{}

// WithClient records the client key of the request ctx belongs to; the
// router sets it once where a request enters, so a websocket's operations
// keep the key of its upgrade request.
func WithClient(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, clientKey{}, key)
}

// ClientFrom returns the key WithClient recorded, if any.
func ClientFrom(ctx context.Context) (string, bool) {
	k, ok := ctx.Value(clientKey{}).(string)
	return k, ok
}
