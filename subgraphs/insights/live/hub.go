// Package live fans scored chat messages out to live subscribers: one bus
// listener per process feeds every subscription, routed by room, each with
// a bounded buffer so a slow subscriber is dropped instead of growing
// memory.
package live

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/subgraphs/insights/service"
)

// DefaultBuffer is how many events a subscriber may lag behind before it is
// dropped.
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

// Scored is one live message's sentiment, as subscribers receive it.
type Scored = service.SentimentScored

// Hub routes insights.sentiment.scored events to subscriptions by room.
type Hub struct {
	buffer int
	logger *slog.Logger

	mu      sync.Mutex
	rooms   map[string]map[*Subscription]struct{}
	stopped bool
}

// Subscription receives the scores of one room's messages.
type Subscription struct {
	// C delivers events; it is closed when the subscription ends, after
	// which Err says why.
	C <-chan Scored

	hub  *Hub
	room string
	ch   chan Scored
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

// Start listens to the bus's insights topic and fans them out until ctx is
// done, then ends every subscription. The listener is registered before
// Start returns, so events published afterwards reach the hub.
func (h *Hub) Start(ctx context.Context, bus events.Bus) (<-chan struct{}, error) {
	stream, err := bus.Listen(ctx, events.TopicInsights)
	if err != nil {
		return nil, fmt.Errorf("insights hub: %w", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer h.stop()
		for h.pump(ctx, stream) {
			// The stream ended while we still run: the bus failed. Listen
			// again; subscribers stay, though they miss what the gap held.
			h.logger.Warn("insights hub: bus stream ended, listening again")
			select {
			case <-ctx.Done():
				return
			case <-time.After(relistenDelay):
			}
			if stream, err = bus.Listen(ctx, events.TopicInsights); err != nil {
				h.logger.Error("insights hub: listen", "err", err)
				closed := make(chan events.Event)
				close(closed)
				stream = closed
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

// dispatch delivers one event to the subscribers of its room.
func (h *Hub) dispatch(ev events.Event) {
	if ev.Type != service.EventTypeSentimentScored {
		return
	}
	var sc Scored
	if err := json.Unmarshal(ev.Payload, &sc); err != nil {
		h.logger.Error("insights hub: undecodable event", "id", ev.ID, "err", err)
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for sub := range h.rooms[sc.RoomID] {
		select {
		case sub.ch <- sc:
		default:
			h.dropLocked(sub, ErrTooSlow)
		}
	}
}

// Subscribe returns a subscription to roomID's scores. Close it when done.
func (h *Hub) Subscribe(roomID string) *Subscription {
	ch := make(chan Scored, h.buffer)
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

// Close ends the subscription; further events are not delivered.
func (s *Subscription) Close() {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	s.hub.dropLocked(s, nil)
	s.end(nil)
}

// Err says why C closed: nil after Close, ErrTooSlow or ErrStopped.
// Only meaningful once C is closed.
func (s *Subscription) Err() error { return s.err }

// Stream adapts a subscription to a channel of event pointers bound to ctx,
// the shape GraphQL subscription resolvers return. When the hub ends the
// stream (not ctx), onEnd, when not nil, receives the reason before the
// channel closes.
func (s *Subscription) Stream(ctx context.Context, onEnd func(error)) <-chan *Scored {
	out := make(chan *Scored)
	go func() {
		defer close(out)
		defer s.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case p, ok := <-s.C:
				if !ok {
					if err := s.Err(); err != nil && ctx.Err() == nil && onEnd != nil {
						onEnd(err)
					}
					return
				}
				select {
				case out <- &p:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}
