// Package fanout feeds live subscriptions from one bus topic: one listener
// per process, each event decoded once and routed by key to the
// subscriptions that asked for it, each with a bounded buffer so a slow
// subscriber is dropped instead of growing memory. Subgraphs supply only the
// topic, the key and the decoding. Each value keeps the trace context of
// its event, and Stream hands it to the GraphQL server (events.Deliveries)
// so that the subscription's response continues the event's trace.
package fanout

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/internal/events"
)

// DefaultBuffer is how many values a subscriber may lag behind before it is
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

// Listener is the part of the event bus a hub reads: live events of a topic.
type Listener interface {
	Listen(ctx context.Context, topic string) (<-chan events.Event, error)
}

// Config says what a hub delivers and to whom.
type Config[K comparable, T any] struct {
	// Name says whose hub this is, in errors and log lines ("chat hub").
	Name string
	// Topic is the bus topic the hub listens to.
	Topic string
	// Type is the event type the hub delivers; other types on the topic
	// are ignored.
	Type string
	// Decode turns an event of Type into what subscribers receive. An
	// event it fails on is logged and skipped.
	Decode func(events.Event) (T, error)
	// Key is what a value is routed by; Subscribe selects on it.
	Key func(T) K
	// Buffer is each subscriber's lag allowance; DefaultBuffer when <= 0.
	Buffer int
	Logger *slog.Logger
}

// Hub routes one topic's events to subscriptions by key.
type Hub[K comparable, T any] struct {
	cfg Config[K, T]

	mu      sync.Mutex
	byKey   map[K]map[*Subscription[K, T]]struct{}
	all     map[*Subscription[K, T]]struct{} // subscriptions to every key
	stopped bool
}

// Delivery is a value a subscription receives, with the trace context
// its event carried (events.Event.Headers; nil without).
type Delivery[T any] struct {
	Value   T
	Headers map[string]string
}

// Subscription receives the values of one key, or of every key.
type Subscription[K comparable, T any] struct {
	// C delivers values; it is closed when the subscription ends, after
	// which Err says why.
	C <-chan Delivery[T]

	hub   *Hub[K, T]
	key   K
	every bool
	ch    chan Delivery[T]
	once  sync.Once
	err   error // set before ch closes
}

// New returns a hub; start it with Listen.
func New[K comparable, T any](cfg Config[K, T]) *Hub[K, T] {
	if cfg.Buffer <= 0 {
		cfg.Buffer = DefaultBuffer
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Hub[K, T]{
		cfg:   cfg,
		byKey: map[K]map[*Subscription[K, T]]struct{}{},
		all:   map[*Subscription[K, T]]struct{}{},
	}
}

// Listen registers the hub's listener on bus before it returns, so events
// published afterwards reach the hub, and returns the loop that fans them
// out until ctx is done, then ends every subscription. Run the loop in the
// background; it always returns nil.
func (h *Hub[K, T]) Listen(ctx context.Context, bus Listener) (run func() error, err error) {
	stream, err := bus.Listen(ctx, h.cfg.Topic)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", h.cfg.Name, err)
	}
	return func() error {
		defer h.stop()
		for h.pump(ctx, stream) {
			// The stream ended while we still run: the bus failed. Listen
			// again; subscribers stay, though they miss what the gap held.
			h.cfg.Logger.Warn(h.cfg.Name + ": bus stream ended, listening again")
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(relistenDelay):
			}
			if stream, err = bus.Listen(ctx, h.cfg.Topic); err != nil {
				h.cfg.Logger.Error(h.cfg.Name+": listen", "err", err)
				closed := make(chan events.Event)
				close(closed)
				stream = closed
			}
		}
		return nil
	}, nil
}

// pump dispatches stream until it closes (true) or ctx is done (false).
func (h *Hub[K, T]) pump(ctx context.Context, stream <-chan events.Event) bool {
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

// dispatch delivers one event to the subscriptions of its key and to those
// of every key.
func (h *Hub[K, T]) dispatch(ev events.Event) {
	if ev.Type != h.cfg.Type {
		return
	}
	v, err := h.cfg.Decode(ev)
	if err != nil {
		h.cfg.Logger.Error(h.cfg.Name+": undecodable event", "id", ev.ID, "err", err)
		return
	}
	key := h.cfg.Key(v)
	d := Delivery[T]{Value: v, Headers: ev.Headers}
	h.mu.Lock()
	defer h.mu.Unlock()
	for sub := range h.byKey[key] {
		h.sendLocked(sub, d)
	}
	for sub := range h.all {
		h.sendLocked(sub, d)
	}
}

func (h *Hub[K, T]) sendLocked(sub *Subscription[K, T], v Delivery[T]) {
	select {
	case sub.ch <- v:
	default:
		h.dropLocked(sub, ErrTooSlow)
	}
}

// Subscribe returns a subscription to key's values. Close it when done.
func (h *Hub[K, T]) Subscribe(key K) *Subscription[K, T] {
	return h.subscribe(key, false)
}

// SubscribeAll returns a subscription to every key's values. Close it when
// done.
func (h *Hub[K, T]) SubscribeAll() *Subscription[K, T] {
	var none K
	return h.subscribe(none, true)
}

func (h *Hub[K, T]) subscribe(key K, every bool) *Subscription[K, T] {
	ch := make(chan Delivery[T], h.cfg.Buffer)
	sub := &Subscription[K, T]{C: ch, hub: h, key: key, every: every, ch: ch}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stopped {
		sub.end(ErrStopped)
		return sub
	}
	if every {
		h.all[sub] = struct{}{}
		return sub
	}
	if h.byKey[key] == nil {
		h.byKey[key] = map[*Subscription[K, T]]struct{}{}
	}
	h.byKey[key][sub] = struct{}{}
	return sub
}

// Subscribers returns how many subscriptions key has, not counting those
// to every key.
func (h *Hub[K, T]) Subscribers(key K) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.byKey[key])
}

// Len returns how many subscriptions the hub feeds in all.
func (h *Hub[K, T]) Len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := len(h.all)
	for _, subs := range h.byKey {
		n += len(subs)
	}
	return n
}

func (h *Hub[K, T]) dropLocked(sub *Subscription[K, T], err error) {
	if sub.every {
		if _, ok := h.all[sub]; !ok {
			return
		}
		delete(h.all, sub)
		sub.end(err)
		return
	}
	subs := h.byKey[sub.key]
	if _, ok := subs[sub]; !ok {
		return
	}
	delete(subs, sub)
	if len(subs) == 0 {
		delete(h.byKey, sub.key)
	}
	sub.end(err)
}

func (h *Hub[K, T]) stop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.stopped = true
	for _, subs := range h.byKey {
		for sub := range subs {
			sub.end(ErrStopped)
		}
	}
	for sub := range h.all {
		sub.end(ErrStopped)
	}
	h.byKey = map[K]map[*Subscription[K, T]]struct{}{}
	h.all = map[*Subscription[K, T]]struct{}{}
}

func (s *Subscription[K, T]) end(err error) {
	s.once.Do(func() {
		s.err = err
		close(s.ch)
	})
}

// Close ends the subscription; further values are not delivered.
func (s *Subscription[K, T]) Close() {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	s.hub.dropLocked(s, nil)
	s.end(nil)
}

// Err says why C closed: nil after Close, ErrTooSlow or ErrStopped.
// Only meaningful once C is closed.
func (s *Subscription[K, T]) Err() error { return s.err }

// Stream adapts a subscription to a channel of value pointers bound to ctx,
// the shape GraphQL subscription resolvers return. When the hub ends the
// stream (not ctx), the reason goes to the Outcome in ctx, if any, and to
// onEnd, when not nil, before the channel closes. With tracing on, each
// value's delivery is begun in the events.Deliveries of ctx just before
// it is sent, so the server's response for it carries its trace.
func (s *Subscription[K, T]) Stream(ctx context.Context, onEnd func(error)) <-chan *T {
	out := make(chan *T)
	deliveries := events.DeliveriesFrom(ctx)
	topic := s.hub.cfg.Topic
	go func() {
		defer close(out)
		defer s.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case d, ok := <-s.C:
				if !ok {
					if err := s.Err(); err != nil && ctx.Err() == nil {
						outcomeFrom(ctx).set(err)
						if onEnd != nil {
							onEnd(err)
						}
					}
					return
				}
				v := d.Value
				span := deliveries.Begin(topic, d.Headers)
				select {
				case out <- &v:
				case <-ctx.Done():
					if span != nil {
						span.End()
					}
					return
				}
			}
		}
	}()
	return out
}

// JSON decodes an event whose payload is the subscribers' value as is.
func JSON[T any](ev events.Event) (T, error) {
	var v T
	err := json.Unmarshal(ev.Payload, &v)
	return v, err
}
