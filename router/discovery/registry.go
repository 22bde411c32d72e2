package discovery

import (
	"maps"
	"slices"
	"sync"
)

// Registry yields the live instance URLs of each subgraph.
type Registry interface {
	// Instances returns the URLs of subgraph's instances now, sorted; none
	// when the registry knows of none.
	Instances(subgraph string) []string
	// Subscribe calls fn with a subgraph's name and its new instance URLs,
	// sorted, whenever they change, until cancel is called. Calls are made
	// one at a time, in order, and never during Subscribe itself.
	Subscribe(fn func(subgraph string, urls []string)) (cancel func())
	// Close stops the registry's background work; subscribers hear no more.
	Close() error
}

// hub holds the instance sets of a registry and tells subscribers of
// changes, in order, from one goroutine per subscriber.
type hub struct {
	mu     sync.Mutex
	sets   map[string][]string
	subs   map[int]*subscriber
	nextID int
	closed bool
}

type subscriber struct {
	fn func(string, []string)
	// pending are the changes not yet delivered, by subgraph (the latest
	// set wins); order keeps the subgraphs in the order they changed.
	mu      sync.Mutex
	pending map[string][]string
	order   []string
	wake    chan struct{}
	done    chan struct{}
	stopped sync.Once
}

func (s *subscriber) stop() { s.stopped.Do(func() { close(s.done) }) }

func (h *hub) Instances(subgraph string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.sets[subgraph])
}

func (h *hub) Subscribe(fn func(string, []string)) func() {
	s := &subscriber{fn: fn, pending: map[string][]string{}, wake: make(chan struct{}, 1), done: make(chan struct{})}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return func() {}
	}
	if h.subs == nil {
		h.subs = map[int]*subscriber{}
	}
	id := h.nextID
	h.nextID++
	h.subs[id] = s
	h.mu.Unlock()
	go s.run()
	return func() {
		h.mu.Lock()
		delete(h.subs, id)
		h.mu.Unlock()
		s.stop()
	}
}

func (s *subscriber) notify(subgraph string, urls []string) {
	s.mu.Lock()
	if _, ok := s.pending[subgraph]; !ok {
		s.order = append(s.order, subgraph)
	}
	s.pending[subgraph] = urls
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *subscriber) run() {
	for {
		select {
		case <-s.done:
			return
		case <-s.wake:
		}
		s.mu.Lock()
		pending, order := s.pending, s.order
		s.pending, s.order = map[string][]string{}, nil
		s.mu.Unlock()
		for _, name := range order {
			select {
			case <-s.done:
				return
			default:
			}
			s.fn(name, pending[name])
		}
	}
}

// set replaces subgraph's instances and tells subscribers if they changed.
func (h *hub) set(subgraph string, urls []string) {
	urls = normalize(urls)
	h.mu.Lock()
	if h.closed || slices.Equal(h.sets[subgraph], urls) {
		h.mu.Unlock()
		return
	}
	if h.sets == nil {
		h.sets = map[string][]string{}
	}
	if len(urls) == 0 {
		delete(h.sets, subgraph)
	} else {
		h.sets[subgraph] = urls
	}
	subs := slices.Collect(maps.Values(h.subs))
	h.mu.Unlock()
	for _, s := range subs {
		s.notify(subgraph, slices.Clone(urls))
	}
}

// names returns the subgraphs the hub holds instances of.
func (h *hub) names() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Sorted(maps.Keys(h.sets))
}

func (h *hub) close() {
	h.mu.Lock()
	h.closed = true
	subs := h.subs
	h.subs = nil
	h.mu.Unlock()
	for _, s := range subs {
		s.stop()
	}
}

// normalize sorts urls and drops empty and repeated ones.
func normalize(urls []string) []string {
	out := make([]string, 0, len(urls))
	for _, u := range urls {
		if u != "" {
			out = append(out, u)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Static is a Registry of fixed instance lists, e.g. from configuration;
// Set changes one at run time.
type Static struct{ hub }

var _ Registry = (*Static)(nil)

// NewStatic returns a Static registry of the instance URLs by subgraph.
func NewStatic(instances map[string][]string) *Static {
	s := &Static{}
	for name, urls := range instances {
		s.set(name, urls)
	}
	return s
}

// Set replaces the instances of subgraph; none removes the subgraph.
func (s *Static) Set(subgraph string, urls []string) { s.set(subgraph, urls) }

// Close implements Registry.
func (s *Static) Close() error {
	s.close()
	return nil
}
