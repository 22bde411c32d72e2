package fetch

import (
	"context"
	"net/http"
	"sync/atomic"

	"github.com/cinegraph/cinegraph/router/wire"
)

// attemptsKey holds the *atomic.Int32 that counts a fetch's attempts.
type attemptsKey struct{}

// WithAttempts returns ctx in which CountAttempts adds each attempt of the
// fetch sent with it to n: a fetch retried twice counts three.
func WithAttempts(ctx context.Context, n *atomic.Int32) context.Context {
	return context.WithValue(ctx, attemptsKey{}, n)
}

// CountAttempts wraps the fetcher that sends each attempt, inside every
// Middleware (so inside retries): it counts the attempt when the fetch's
// context asks (WithAttempts). A fetch whose context does not ask costs a
// context lookup.
func CountAttempts(next Fetcher) Fetcher {
	return attempts{next: next}
}

type attempts struct{ next Fetcher }

func (a attempts) Fetch(ctx context.Context, req *wire.SubgraphRequest, header http.Header) (*wire.SubgraphResponse, error) {
	if n, ok := ctx.Value(attemptsKey{}).(*atomic.Int32); ok {
		n.Add(1)
	}
	return a.next.Fetch(ctx, req, header)
}

// Unwrap returns the fetcher CountAttempts wrapped, or f itself.
func Unwrap(f Fetcher) Fetcher {
	if a, ok := f.(attempts); ok {
		return a.next
	}
	return f
}
