// Package hub fans chat messages out to live subscribers: one bus listener
// per process feeds every subscription, routed by room, each with a bounded
// buffer so a slow subscriber is dropped instead of growing memory.
package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/subgraphs/chat/service"
)

// DefaultBuffer is how many messages a subscriber may lag behind before it
// is dropped.
const DefaultBuffer = 64

// relistenDelay is how long the hub waits before listening again after the
// bus stream ended on its own.
const relistenDelay = time.Second

// Errors a subscription ends with.
var (
	// ErrTooSlow ends a subscription that fell more than its buffer behind.
	ErrTooSlow = errs.New(errs.Unavailable, "subscription dropped: the client fell too far behind")
	// ErrStopped ends subscriptions when the hub stops.
	ErrStopped = errs.New(errs.Unavailable, "subscription ended: the server is shutting down")
)

// Hub routes chat.messages events to subscriptions by room.
type Hub struct {
	buffer int
	logger *slog.Logger

	mu      sync.Mutex
	rooms   map[string]map[*Subscription]struct{}
	stopped bool
}

// Subscription receives the messages posted to one room.
type Subscription struct {
	// C delivers messages; it is closed when the subscription ends, after
	// which Err says why.
	C <-chan service.Message

	hub  *Hub
	room string
	ch   chan service.Message
	once sync.Once
	err  error // set before ch closes
}

// New returns a hub; buffer <= 0 means DefaultBuffer.
func New(buffer int, logger *slog.Logger) *Hub {
	if buffer <= 0 {
		buffer = DefaultBuffer
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &Hub{buffer: buffer, logger: logger, rooms: map[string]map[*Subscription]struct{}{}}
}

// Start listens to the bus's chat.messages topic and fans events out until
// ctx is done, then ends every subscription. The listener is registered
// before Start returns, so messages published afterwards reach the hub.
func (h *Hub) Start(ctx context.Context, bus events.Bus) (<-chan struct{}, error) {
	stream, err := bus.Listen(ctx, events.TopicChatMessages)
	if err != nil {
		return nil, fmt.Errorf("chat hub: %w", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer h.stop()
		for {
			if !h.pump(ctx, stream) {
				return
			}
			// The stream ended while we still run: the bus failed. Listen
			// again; subscribers stay, though they miss what the gap held.
			h.logger.Warn("chat hub: bus stream ended, listening again")
			select {
			case <-ctx.Done():
				return
			case <-time.After(relistenDelay):
			}
			if stream, err = bus.Listen(ctx, events.TopicChatMessages); err != nil {
				h.logger.Error("chat hub: listen", "err", err)
				stream = closedStream()
			}
		}
	}()
	return done, nil
}

// pump dispatches stream until it closes (true) or ctx is done (false).
func (h *Hub) pump(ctx context.Context, stream <-chan events.Event) bool {
	for {
		select {
		case <-ctx.Done():
			return false
		case ev, ok := <-stream:
			if !ok {
				return ctx.Err() == nil
			}
			h.dispatch(ev)
		}
	}
}

func closedStream() <-chan events.Event {
	ch := make(chan events.Event)
	close(ch)
	return ch
}

// Dispatch delivers one event to the subscribers of its room.
func (h *Hub) dispatch(ev events.Event) {
	if ev.Type != service.EventMessagePosted {
		return
	}
	var p service.MessagePosted
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		h.logger.Error("chat hub: undecodable event", "id", ev.ID, "err", err)
		return
	}
	m := p.Message()
	h.mu.Lock()
	defer h.mu.Unlock()
	for sub := range h.rooms[m.RoomID] {
		select {
		case sub.ch <- m:
		default:
			h.dropLocked(sub, ErrTooSlow)
		}
	}
}

// Subscribe returns a subscription to roomID's messages. Close it when done.
func (h *Hub) Subscribe(roomID string) *Subscription {
	ch := make(chan service.Message, h.buffer)
	sub := &Subscription{C: ch, hub: h, room: roomID, ch: ch}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stopped {
		sub.end(ErrStopped)
		return sub
	}
	if h.rooms[roomID] == nil {
		h.rooms[roomID] = map[*Subscription]struct{}{}
	}
	h.rooms[roomID][sub] = struct{}{}
	return sub
}

// Subscribers returns how many subscriptions roomID has.
func (h *Hub) Subscribers(roomID string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.rooms[roomID])
}

func (h *Hub) dropLocked(sub *Subscription, err error) {
	subs := h.rooms[sub.room]
	if _, ok := subs[sub]; !ok {
		return
	}
	delete(subs, sub)
	if len(subs) == 0 {
		delete(h.rooms, sub.room)
	}
	sub.end(err)
}

func (h *Hub) stop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.stopped = true
	for _, subs := range h.rooms {
		for sub := range subs {
			sub.end(ErrStopped)
		}
	}
	h.rooms = map[string]map[*Subscription]struct{}{}
}

func (s *Subscription) end(err error) {
	s.once.Do(func() {
		s.err = err
		close(s.ch)
	})
}

// Close ends the subscription; further messages are not delivered.
func (s *Subscription) Close() {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	s.hub.dropLocked(s, nil)
	s.end(nil)
}

// Err says why C closed: nil after Close, ErrTooSlow or ErrStopped.
// Only meaningful once C is closed.
func (s *Subscription) Err() error { return s.err }

// Stream adapts a subscription to a channel of message pointers bound to
// ctx, the shape GraphQL subscription resolvers return. When the hub ends
// the stream (not ctx), the reason goes to the Outcome in ctx, if any, and
// to onEnd, when not nil, before the channel closes.
func (s *Subscription) Stream(ctx context.Context, onEnd func(error)) <-chan *service.Message {
	out := make(chan *service.Message)
	go func() {
		defer close(out)
		defer s.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-s.C:
				if !ok {
					if err := s.Err(); err != nil && ctx.Err() == nil {
						outcomeFrom(ctx).set(err)
						if onEnd != nil {
							onEnd(err)
						}
					}
					return
				}
				select {
				case out <- &m:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}
