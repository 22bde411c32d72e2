package subscription

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	"github.com/cinegraph/cinegraph/router/wire"
)

// Request is one GraphQL operation a client started over a streaming
// transport (websocket, SSE, multipart HTTP).
type Request struct {
	Query         string
	OperationName string
	Variables     map[string]any
	Extensions    map[string]any
	// Header holds the client's headers: those of the HTTP request, merged
	// with the websocket connection_init payload where there is one.
	Header http.Header
}

// Subscriber starts operations for streaming transports. A non-nil
// *wire.Response means the request was rejected before it started
// (parse, validation, variables); otherwise the stream delivers results
// until it ends. Queries and mutations give a stream of one result.
type Subscriber interface {
	Subscribe(ctx context.Context, req *Request) (*Stream, *wire.Response)
}

// Stream is one client's view of a running operation.
type Stream struct {
	// C delivers execution results, JSON-encoded; it closes when the
	// operation ends, after which Final says whether it ended on an error.
	C <-chan json.RawMessage

	ch    chan json.RawMessage
	once  sync.Once
	final json.RawMessage
	stop  func()
}

func newStream(buffer int, stop func()) *Stream {
	ch := make(chan json.RawMessage, buffer)
	return &Stream{C: ch, ch: ch, stop: stop}
}

// Single returns a stream that delivers one result and ends.
func Single(payload json.RawMessage) *Stream {
	s := newStream(1, nil)
	s.ch <- payload
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

// ErrorPayload is a GraphQL result holding only errors.
func ErrorPayload(code, format string, args ...any) json.RawMessage {
	return errorsPayload([]*wire.Error{{Message: fmt.Sprintf(format, args...), Extensions: map[string]any{"code": code}}})
}

func errorsPayload(errs []*wire.Error) json.RawMessage {
	out, _ := json.Marshal(&wire.Response{Errors: errs})
	return out
}
