package chatlive

import (
	"context"

	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
)

// StreamAfter is Stream for a subscription resumed from position after:
// backlog (the messages after it, read from the store once the subscription
// was already listening, oldest first) goes out first, then live messages,
// skipping those the backlog already held or that are not after the
// position. Subscribing before reading the backlog leaves no gap; the
// skipping leaves no duplicates.
func StreamAfter(ctx context.Context, s *Subscription, after chatservice.Cursor, backlog []chatservice.Message, onEnd func(error)) <-chan *chatservice.Message {
	live := s.Stream(ctx, onEnd)
	out := make(chan *chatservice.Message)
	go func() {
		defer close(out)
		sent := make(map[string]bool, len(backlog))
		for i := range backlog {
			select {
			case out <- &backlog[i]:
				sent[backlog[i].ID] = true
			case <-ctx.Done():
				return
			}
		}
		for m := range live {
			if sent[m.ID] || !chatservice.CursorOf(*m).After(after) {
				continue
			}
			select {
			case out <- m:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}
