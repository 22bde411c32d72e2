// Package live fans video playback events out to live subscribers: one bus
// listener per process feeds every subscription, filtered by video, each
// with a bounded buffer so a slow subscriber is dropped instead of growing
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
	"github.com/cinegraph/cinegraph/subgraphs/video/service"
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

// Playback is one reported position, as subscribers receive it.
type Playback struct {
	VideoID         string
	ProfileID       string
	PositionSeconds int
	DurationSeconds int
	Completed       bool
	At              time.Time
}

// Progress is the share of the video watched, from 0 to 1.
func (p Playback) Progress() float64 {
	if p.DurationSeconds <= 0 {
		return 0
	}
	return min(1, float64(p.PositionSeconds)/float64(p.DurationSeconds))
}

// Hub routes video.progress.reported events to subscriptions.
type Hub struct {
	buffer int
	logger *slog.Logger

	mu      sync.Mutex
	subs    map[*Subscription]struct{}
	stopped bool
}

// Subscription receives playback events, for one video or all of them.
type Subscription struct {
	// C delivers events; it is closed when the subscription ends, after
	// which Err says why.
	C <-chan Playback

	hub   *Hub
	video string // "" for every video
	ch    chan Playback
	once  sync.Once
	err   error // set before ch closes
}

// New returns a hub; buffer <= 0 means DefaultBuffer.
func New(buffer int, logger *slog.Logger) *Hub {
	if buffer <= 0 {
		buffer = DefaultBuffer
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &Hub{buffer: buffer, logger: logger, subs: map[*Subscription]struct{}{}}
}

// Start listens to the bus's video events and fans them out until ctx is
// done, then ends every subscription. The listener is registered before
// Start returns, so events published afterwards reach the hub.
func (h *Hub) Start(ctx context.Context, bus events.Bus) (<-chan struct{}, error) {
	stream, err := bus.Listen(ctx, events.TopicVideoEvents)
	if err != nil {
		return nil, fmt.Errorf("video hub: %w", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer h.stop()
		for h.pump(ctx, stream) {
			// The stream ended while we still run: the bus failed. Listen
			// again; subscribers stay, though they miss what the gap held.
			h.logger.Warn("video hub: bus stream ended, listening again")
			select {
			case <-ctx.Done():
				return
			case <-time.After(relistenDelay):
			}
			if stream, err = bus.Listen(ctx, events.TopicVideoEvents); err != nil {
				h.logger.Error("video hub: listen", "err", err)
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

// dispatch delivers one event to the subscribers watching its video.
func (h *Hub) dispatch(ev events.Event) {
	if ev.Type != service.EventProgressReported {
		return
	}
	var p service.ProgressPayload
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		h.logger.Error("video hub: undecodable event", "id", ev.ID, "err", err)
		return
	}
	pb := Playback{
		VideoID: p.VideoID, ProfileID: p.ProfileID,
		PositionSeconds: p.PositionSeconds, DurationSeconds: p.DurationSeconds,
		Completed: p.Completed, At: ev.Time.UTC(),
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for sub := range h.subs {
		if sub.video != "" && sub.video != pb.VideoID {
			continue
		}
		select {
		case sub.ch <- pb:
		default:
			h.dropLocked(sub, ErrTooSlow)
		}
	}
}

// Subscribe returns a subscription to videoID's playback events, or to
// every video's when videoID is empty. Close it when done.
func (h *Hub) Subscribe(videoID string) *Subscription {
	ch := make(chan Playback, h.buffer)
	sub := &Subscription{C: ch, hub: h, video: videoID, ch: ch}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stopped {
		sub.end(ErrStopped)
		return sub
	}
	h.subs[sub] = struct{}{}
	return sub
}

// Subscribers returns how many subscriptions the hub feeds.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

func (h *Hub) dropLocked(sub *Subscription, err error) {
	if _, ok := h.subs[sub]; !ok {
		return
	}
	delete(h.subs, sub)
	sub.end(err)
}

func (h *Hub) stop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.stopped = true
	for sub := range h.subs {
		sub.end(ErrStopped)
	}
	h.subs = map[*Subscription]struct{}{}
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
func (s *Subscription) Stream(ctx context.Context, onEnd func(error)) <-chan *Playback {
	out := make(chan *Playback)
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
