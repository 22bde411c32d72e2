package subscription

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/router/request"
	"github.com/cinegraph/cinegraph/router/wire"
)

// Subscriber starts operations for streaming transports. A non-nil
// *Refusal means the request was refused before it started (parse,
// validation, variables, a mutation over GET); otherwise the stream delivers
// results until it ends. Queries and mutations give a stream of one result.
type Subscriber interface {
	Subscribe(ctx context.Context, req *request.Request) (*Stream, *Refusal)
}

// Refusal is an operation refused before it started: the errors-only
// response for the client, and the outcome that decides the HTTP status.
type Refusal struct {
	Response *wire.Response
	Outcome  request.Outcome
	// RetryAfter is the seconds a Limited client should wait.
	RetryAfter int
}

// Result is one execution result on its way to a client.
type Result struct {
	// Payload is the result, JSON-encoded.
	Payload json.RawMessage
	// Trace is the span that produced the result (the event's execution),
	// so that a transport's write continues its trace; invalid when nothing
	// is traced.
	Trace trace.SpanContext
}

// Stream is one client's view of a running operation.
type Stream struct {
	// C delivers execution results; it closes when the operation ends,
	// after which Final says whether it ended on an error.
	C <-chan Result

	ch    chan Result
	once  sync.Once
	final json.RawMessage
	stop  func()
}

func newStream(buffer int, stop func()) *Stream {
	ch := make(chan Result, buffer)
	return &Stream{C: ch, ch: ch, stop: stop}
}

// Single returns a stream that delivers one result and ends.
func Single(payload json.RawMessage) *Stream {
	s := newStream(1, nil)
	s.ch <- Result{Payload: payload}
	s.end(nil)
	return s
}

// end closes the stream; final, when not nil, is an errors-only result the
// transport sends before completing.
func (s *Stream) end(final json.RawMessage) {
	s.once.Do(func() {
		s.final = final
		close(s.ch)
	})
}

// Final is the errors-only result the stream ended with (upstream failure,
// client too slow, shutdown), or nil when it completed normally. Only
// meaningful once C is closed.
func (s *Stream) Final() json.RawMessage { return s.final }

// Close ends the client's interest in the stream; the shared upstream
// subscription stops when its last client leaves.
func (s *Stream) Close() {
	if s.stop != nil {
		s.stop()
	}
}

// ErrorPayload is a GraphQL result holding only one error with code.
func ErrorPayload(code errs.Code, format string, args ...any) json.RawMessage {
	return errorsPayload([]*wire.Error{{Message: fmt.Sprintf(format, args...), Extensions: map[string]any{"code": string(code)}}})
}

func errorsPayload(errs []*wire.Error) json.RawMessage {
	out, _ := json.Marshal(&wire.Response{Errors: errs})
	return out
}
