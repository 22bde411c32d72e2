package subscription

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/router/wire"
)

// DefaultBuffer is how many results a client may lag behind before its
// subscription is ended.
const DefaultBuffer = 32

// Source describes one upstream subscription and how to turn its events
// into client results.
type Source struct {
	// Key identifies identical subscriptions (operation, variables, the
	// headers that reach subgraphs): clients with equal keys share one.
	Key      string
	Subgraph string
	Request  *wire.SubgraphRequest
	Header   http.Header
	// Complete turns one subgraph event into the client result, running the
	// rest of the query plan; it is called once per event per shared
	// subscription, in event order.
	Complete func(ctx context.Context, ev *wire.SubgraphResponse) Result
	// Resume, when set, makes the subscription survive its upstream: when
	// it is lost (not completed, not refused), it is reopened with the
	// request Resume returns for the last event delivered (nil when none
	// was), which continues right after it (see Resumable).
	Resume func(last *wire.SubgraphResponse) *wire.SubgraphRequest
}

// Manager shares upstream subscriptions among clients.
type Manager struct {
	upstream Upstream
	buffer   int
	logger   *slog.Logger
	// Metrics, set before the first Subscribe, counts what it does.
	Metrics Metrics

	mu      sync.Mutex
	groups  map[string]*group
	stopped bool
}

// NewManager returns a manager over upstream; buffer <= 0 means
// DefaultBuffer.
func NewManager(upstream Upstream, buffer int, logger *slog.Logger) *Manager {
	if buffer <= 0 {
		buffer = DefaultBuffer
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Manager{upstream: upstream, buffer: buffer, logger: logger, groups: map[string]*group{}}
}

// Metrics counts a Manager's work; a nil field counts nothing.
// Prometheus' Gauge and Counter fit.
type Metrics struct {
	// Upstreams goes up when an upstream subscription opens and down when
	// it ends.
	Upstreams interface {
		Inc()
		Dec()
	}
	// Delivered counts results handed to client streams, one per client
	// per event; Dropped those a client lagging more than the buffer
	// behind missed (its subscription then ends with an error).
	Delivered, Dropped interface{ Add(float64) }
}

// group is one upstream subscription and the clients it feeds.
type group struct {
	key    string
	cancel context.CancelFunc
	subs   map[*Stream]struct{}
	ended  bool
}

// Subscribe joins the shared subscription for src, opening it upstream if
// it is the first. The stream ends when the upstream subscription ends,
// when the client falls more than the buffer behind, or on Close.
func (m *Manager) Subscribe(src Source) *Stream {
	m.mu.Lock()
	defer m.mu.Unlock()
	var s *Stream
	if m.stopped {
		s = newStream(0, nil)
		s.end(ErrorPayload(errs.Unavailable, "the router is shutting down"))
		return s
	}
	g := m.groups[src.Key]
	if g == nil {
		ctx, cancel := context.WithCancel(context.Background())
		g = &group{key: src.Key, cancel: cancel, subs: map[*Stream]struct{}{}}
		m.groups[src.Key] = g
		if m.Metrics.Upstreams != nil {
			m.Metrics.Upstreams.Inc()
		}
		go m.run(ctx, g, src)
	}
	s = newStream(m.buffer, nil)
	s.stop = func() { m.leave(g, s) }
	g.subs[s] = struct{}{}
	return s
}

// Groups returns how many upstream subscriptions are open.
func (m *Manager) Groups() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.groups)
}

// Clients returns how many client streams the open upstream subscriptions
// feed.
func (m *Manager) Clients() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, g := range m.groups {
		n += len(g.subs)
	}
	return n
}

// leave removes s; the last client out stops the upstream subscription.
func (m *Manager) leave(g *group, s *Stream) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := g.subs[s]; ok {
		delete(g.subs, s)
		s.end(nil)
	}
	if len(g.subs) == 0 && !g.ended {
		m.endLocked(g)
	}
}

func (m *Manager) endLocked(g *group) {
	g.ended = true
	m.upstreamEnded()
	g.cancel()
	if m.groups[g.key] == g {
		delete(m.groups, g.key)
	}
}

func (m *Manager) run(ctx context.Context, g *group, src Source) {
	req := src.Request
	var last, held *wire.SubgraphResponse
	var err error
	for attempt := 0; ; {
		held = nil
		err = m.upstream.Open(ctx, src.Subgraph, req, src.Header, func(ev *wire.SubgraphResponse) {
			if src.Resume != nil && lostEvent(ev) {
				// Perhaps the subgraph's last word before it ends the
				// stream: kept from clients unless more follows.
				held = ev
				return
			}
			if held != nil {
				m.deliver(g, src.Complete(ctx, held))
				held = nil
			}
			last, attempt = ev, 0
			m.deliver(g, src.Complete(ctx, ev))
		})
		if ctx.Err() != nil || src.Resume == nil || attempt >= maxResumes || !shouldResume(err, held) {
			break
		}
		attempt++
		reason := "the subgraph ended it as unavailable"
		if err != nil {
			reason = err.Error()
		}
		m.logger.Info("upstream subscription lost; resuming from the last event", "subgraph", src.Subgraph, "attempt", attempt, "reason", reason)
		select {
		case <-ctx.Done():
		case <-time.After(resumeDelay(attempt)):
		}
		if ctx.Err() != nil {
			break
		}
		req = src.Resume(last)
	}
	if held != nil && ctx.Err() == nil {
		m.deliver(g, src.Complete(ctx, held))
	}
	var final json.RawMessage
	var gqlErrs GraphQLErrors
	switch {
	case ctx.Err() != nil:
		// Every client left, or shutdown ended them already.
	case errors.As(err, &gqlErrs):
		out := make([]*wire.Error, len(gqlErrs))
		for i, e := range gqlErrs {
			out[i] = &wire.Error{Message: e.Message, Path: e.Path, Extensions: e.Extensions}
		}
		final = errorsPayload(out)
	case err != nil:
		m.logger.Warn("upstream subscription failed", "subgraph", src.Subgraph, "error", err)
		final = ErrorPayload(errs.Unavailable, "subscription to subgraph %s failed", src.Subgraph)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for s := range g.subs {
		s.end(final)
	}
	g.subs = nil
	if !g.ended {
		m.endLocked(g)
	}
}

// deliver fans res out without ever blocking: a client whose buffer is
// full is ended with an error, so a burst cannot stall the others.
func (m *Manager) deliver(g *group, res Result) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delivered, dropped := 0, 0
	for s := range g.subs {
		select {
		case s.ch <- res:
			delivered++
		default:
			dropped++
			delete(g.subs, s)
			s.end(ErrorPayload(errs.Unavailable, "subscription ended: the client fell more than %d results behind", cap(s.ch)))
		}
	}
	if delivered > 0 && m.Metrics.Delivered != nil {
		m.Metrics.Delivered.Add(float64(delivered))
	}
	if dropped > 0 && m.Metrics.Dropped != nil {
		m.Metrics.Dropped.Add(float64(dropped))
	}
	if len(g.subs) == 0 && !g.ended {
		m.endLocked(g)
	}
}

// upstreamEnded counts an upstream subscription ended; each ends once.
func (m *Manager) upstreamEnded() {
	if m.Metrics.Upstreams != nil {
		m.Metrics.Upstreams.Dec()
	}
}

// Shutdown ends every subscription with an error result and refuses new
// ones.
func (m *Manager) Shutdown() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.stopped = true
	final := ErrorPayload(errs.Unavailable, "the router is shutting down")
	for _, g := range m.groups {
		for s := range g.subs {
			s.end(final)
		}
		g.subs = map[*Stream]struct{}{}
		g.ended = true
		m.upstreamEnded()
		g.cancel()
	}
	m.groups = map[string]*group{}
}
