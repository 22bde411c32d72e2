package fetch

import (
	"context"
	"errors"
	"fmt"
)

// ErrOverAllowance reports a subgraph response longer than the caller's
// allowance (WithAllowance): the fetcher stopped reading it.
var ErrOverAllowance = errors.New("subgraph response is over the request's allowance")

type allowanceKey struct{}

// WithAllowance returns ctx carrying left, which reports how many more bytes
// of subgraph responses the caller accepts. Fetchers that read responses
// read no more of one than that and fail with ErrOverAllowance, so a
// request bounded in response size never reads or decodes past its bound;
// left is asked once per fetch, from any goroutine.
func WithAllowance(ctx context.Context, left func() int64) context.Context {
	return context.WithValue(ctx, allowanceKey{}, left)
}

// Allowance is the bytes of response ctx's caller still accepts, and false
// when it set no allowance.
func Allowance(ctx context.Context) (int64, bool) {
	left, ok := ctx.Value(allowanceKey{}).(func() int64)
	if !ok {
		return 0, false
	}
	return max(left(), 0), true
}

// readLimit is the most a fetcher reads of one response: its own bound
// (max, 0 meaning 64 MiB) or the caller's allowance, whichever is smaller.
// allowed reports that the allowance decided.
func readLimit(ctx context.Context, max int64) (limit int64, allowed bool) {
	if max <= 0 {
		max = 64 << 20
	}
	if left, ok := Allowance(ctx); ok && left < max {
		return left, true
	}
	return max, false
}

// tooLong is the error of a response longer than readLimit's limit.
func tooLong(subgraph string, limit int64, allowed bool) error {
	if allowed {
		return fmt.Errorf("response from %s: %w (%d bytes)", subgraph, ErrOverAllowance, limit)
	}
	return fmt.Errorf("response from %s is larger than %d bytes", subgraph, limit)
}
