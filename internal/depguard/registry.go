package depguard

import (
	"log/slog"
	"maps"
	"slices"
	"sync"
)

// Registry keeps the guards of a subgraph's (or a process's) dependencies,
// one per name, and reports them together.
type Registry struct {
	logger *slog.Logger

	mu     sync.Mutex
	guards map[string]*Guard
}

// NewRegistry returns an empty registry whose guards log to logger.
func NewRegistry(logger *slog.Logger) *Registry {
	return &Registry{logger: logger, guards: map[string]*Guard{}}
}

// Guard returns the guard of the dependency called name, made with p the
// first time it is asked for; later calls share that guard and its policy,
// whatever p they pass.
func (r *Registry) Guard(name string, p Policy) *Guard {
	r.mu.Lock()
	defer r.mu.Unlock()
	if g, ok := r.guards[name]; ok {
		return g
	}
	g := New(name, p, r.logger)
	r.guards[name] = g
	return g
}

// Names lists the registered dependencies, sorted.
func (r *Registry) Names() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Sorted(maps.Keys(r.guards))
}

// Report is every guard's report, by dependency name.
func (r *Registry) Report() map[string]Report {
	r.mu.Lock()
	guards := maps.Clone(r.guards)
	r.mu.Unlock()
	out := make(map[string]Report, len(guards))
	for name, g := range guards {
		out[name] = g.Report()
	}
	return out
}
