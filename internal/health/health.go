// Package health serves liveness and readiness: /health/live answers while
// the process runs; /health/ready runs every registered check and answers 503
// naming the checks that fail, with the details registered alongside (what a
// router knows of its subgraphs) in the body.
package health

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"sync"
	"time"
)

// CheckTimeout bounds one readiness probe.
const CheckTimeout = 2 * time.Second

// Check reports whether a dependency can serve.
type Check func(ctx context.Context) error

// Checker holds the named readiness checks of a process.
type Checker struct {
	mu     sync.RWMutex
	checks map[string]Check
	// details add to the readiness body without deciding readiness.
	details map[string]func() any
	// draining turns readiness off during shutdown so balancers stop sending.
	draining bool
}

// New returns an empty Checker.
func New() *Checker { return &Checker{checks: map[string]Check{}, details: map[string]func() any{}} }

// Add registers a named check.
func (c *Checker) Add(name string, check Check) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.checks[name] = check
}

// Remove unregisters a named check.
func (c *Checker) Remove(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.checks, name)
}

// AddDetail registers a named part of the readiness body: detail is called
// on every readiness request, so it must be cheap (report what background
// work found rather than probe anything).
func (c *Checker) AddDetail(name string, detail func() any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.details[name] = detail
}

// Drain marks the process as shutting down: readiness fails from now on.
func (c *Checker) Drain() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.draining = true
}

// Report is the readiness body.
type Report struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
	// Details holds what AddDetail registered, by name.
	Details map[string]any `json:"details,omitempty"`
}

// Ready runs every check concurrently.
func (c *Checker) Ready(ctx context.Context) Report {
	c.mu.RLock()
	names := make([]string, 0, len(c.checks))
	for name := range c.checks {
		names = append(names, name)
	}
	sort.Strings(names)
	checks := make([]Check, len(names))
	for i, name := range names {
		checks[i] = c.checks[name]
	}
	draining := c.draining
	detailFuncs := make(map[string]func() any, len(c.details))
	for name, detail := range c.details {
		detailFuncs[name] = detail
	}
	c.mu.RUnlock()
	var details map[string]any
	for name, detail := range detailFuncs {
		if details == nil {
			details = map[string]any{}
		}
		details[name] = detail()
	}

	ctx, cancel := context.WithTimeout(ctx, CheckTimeout)
	defer cancel()
	results := make([]string, len(names))
	var wg sync.WaitGroup
	for i := range checks {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results[i] = "ok"
			if err := checks[i](ctx); err != nil {
				results[i] = err.Error()
			}
		}(i)
	}
	wg.Wait()
	report := Report{Status: "ok", Checks: map[string]string{}, Details: details}
	for i, name := range names {
		report.Checks[name] = results[i]
		if results[i] != "ok" {
			report.Status = "unavailable"
		}
	}
	if draining {
		report.Status = "draining"
	}
	return report
}

// Register mounts /health/live and /health/ready on mux.
func (c *Checker) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /health/live", func(w http.ResponseWriter, r *http.Request) {
		write(w, http.StatusOK, Report{Status: "ok", Checks: map[string]string{}})
	})
	mux.HandleFunc("GET /health/ready", func(w http.ResponseWriter, r *http.Request) {
		report := c.Ready(r.Context())
		status := http.StatusOK
		if report.Status != "ok" {
			status = http.StatusServiceUnavailable
		}
		write(w, status, report)
	})
}

func write(w http.ResponseWriter, status int, body Report) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
