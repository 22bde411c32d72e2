package chatlive

import (
	"context"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
)

// StreamAfter is Stream for a subscription resumed from position after:
// backlog (the messages after it, read from the store once the subscription
// was already listening, oldest first) goes out first, then live messages,
// skipping those the backlog already held or that are not after the
// position. Subscribing before reading the backlog leaves no gap; the
// skipping leaves no duplicates.
//
// With tracing on, StreamAfter is the one sending values to the server, so
// it is the one that queues their traces (events.Deliveries): none for a
// backlog message, which no event brought, and, for a live one, the span
// the inner stream began in a queue of its own.
func StreamAfter(ctx context.Context, s *Subscription, after chatservice.Cursor, backlog []chatservice.Message, onEnd func(error)) <-chan *chatservice.Message {
	deliveries := events.DeliveriesFrom(ctx)
	inner := deliveries.Fork()
	liveCtx := ctx
	if inner != nil {
		liveCtx = events.ContextWithDeliveries(ctx, inner)
	}
	live := s.Stream(liveCtx, onEnd)
	out := make(chan *chatservice.Message)
	go func() {
		defer close(out)
		sent := make(map[string]bool, len(backlog))
		for i := range backlog {
			deliveries.Push(nil)
			select {
			case out <- &backlog[i]:
				sent[backlog[i].ID] = true
			case <-ctx.Done():
				return
			}
		}
		for m := range live {
			span := inner.Next()
			if sent[m.ID] || !chatservice.CursorOf(*m).After(after) {
				if span != nil {
					span.End()
				}
				continue
			}
			deliveries.Push(span)
			select {
			case out <- m:
			case <-ctx.Done():
				if span != nil {
					span.End()
				}
				return
			}
		}
	}()
	return out
}
