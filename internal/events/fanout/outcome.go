package fanout

import (
	"context"
	"sync"
)

// Outcome records why a subscription stream ended on the server's side
// (dropped for lagging, server stopping), so the layer that owns the
// client connection can tell the client instead of just completing.
type Outcome struct {
	mu  sync.Mutex
	err error
}

type outcomeKey struct{}

// WithOutcome returns ctx carrying a fresh Outcome for the streams started
// under it.
func WithOutcome(ctx context.Context) (context.Context, *Outcome) {
	o := &Outcome{}
	return context.WithValue(ctx, outcomeKey{}, o), o
}

func outcomeFrom(ctx context.Context) *Outcome {
	o, _ := ctx.Value(outcomeKey{}).(*Outcome)
	return o
}

func (o *Outcome) set(err error) {
	if o == nil {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err == nil {
		o.err = err
	}
}

// Err returns why the stream ended, nil if it has not ended or ended
// because the client left.
func (o *Outcome) Err() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.err
}
