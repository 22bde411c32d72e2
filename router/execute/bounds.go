package execute

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	cgerrs "github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/wire"
)

// tooLarge stops an execution whose data went over MaxResponseBytes.
type tooLarge struct{ size, max int64 }

func (e *tooLarge) Error() string {
	return fmt.Sprintf("operation exceeds the response size limit (%d > %d bytes)", e.size, e.max)
}

// timedOut stops an execution that ran past Timeout.
type timedOut struct{ after time.Duration }

func (e *timedOut) Error() string {
	return fmt.Sprintf("request exceeds the time limit (%s)", e.after)
}

// start begins one execution under its bounds: its context ends when the
// data grows too large (r.cancel), when Timeout passes, and when the client
// goes away (ctx); fetchers read no more of a response than the size left
// (fetch.WithAllowance). stop releases the context.
func (e *Executor) start(ctx context.Context, vars map[string]any, header http.Header) (r *run, stop func()) {
	r = &run{e: e, vars: vars, header: header, data: map[string]any{}}
	ctx, r.cancel = context.WithCancelCause(ctx)
	stop = func() { r.cancel(nil) }
	if e.Timeout > 0 {
		var stopTimer context.CancelFunc
		ctx, stopTimer = context.WithTimeoutCause(ctx, e.Timeout, &timedOut{e.Timeout})
		stop = func() { stopTimer(); r.cancel(nil) }
	}
	if e.MaxResponseBytes > 0 {
		ctx = fetch.WithAllowance(ctx, func() int64 { return e.MaxResponseBytes - r.size.Load() })
	}
	r.ctx = ctx
	r.timings = timingsFrom(ctx)
	return r, stop
}

// stopped is the response of an execution its context stopped, or nil when
// it ran to the end.
func (r *run) stopped() *wire.Response {
	if r.ctx.Err() == nil {
		return nil
	}
	cause := context.Cause(r.ctx)
	var big *tooLarge
	var late *timedOut
	switch {
	case errors.As(cause, &big):
		return refused(big, cgerrs.BadUserInput, "response size")
	case errors.As(cause, &late):
		return refused(late, cgerrs.Unavailable, "time")
	}
	// The client went away: nobody reads this.
	return refused(errors.New("the request was cancelled"), cgerrs.Unavailable, "")
}

func refused(err error, code cgerrs.Code, limit string) *wire.Response {
	ext := map[string]any{"code": string(code)}
	if limit != "" {
		ext["limit"] = limit
	}
	return &wire.Response{Data: json.RawMessage("null"), Errors: []*wire.Error{{Message: err.Error(), Extensions: ext}}}
}

// charge counts the bytes of a subgraph response that copies times into
// the response tree, and stops the execution once the total goes over
// MaxResponseBytes. It reports whether the execution may go on. r.mu must
// be held.
func (r *run) charge(resp *wire.SubgraphResponse, copies int) bool {
	limit := r.e.MaxResponseBytes
	if limit <= 0 {
		return true
	}
	n := int64(resp.Bytes)
	if n == 0 {
		n = wire.JSONSize(resp.Data)
	}
	size := r.size.Add(n * int64(max(copies, 1)))
	if size > limit {
		r.cancel(&tooLarge{size: size, max: limit})
		return false
	}
	return true
}

// overAllowance stops the execution when a fetcher stopped reading a
// response at the allowance, which takes the data over MaxResponseBytes.
func (r *run) overAllowance(err error) bool {
	if !errors.Is(err, fetch.ErrOverAllowance) {
		return false
	}
	// What was read and the response cut short are more than the limit.
	r.cancel(&tooLarge{size: r.e.MaxResponseBytes + 1, max: r.e.MaxResponseBytes})
	return true
}
