package resilience

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/cinegraph/cinegraph/internal/health"
	"github.com/cinegraph/cinegraph/router/wire"
)

// probeQuery is the cheapest operation every GraphQL server answers.
const probeQuery = "{ __typename }"

// Run checks every instance now and then every health interval, until ctx
// is done. Checks go straight to the instance, past its breaker and
// bulkhead, so they see a subgraph recover while its breaker is still open.
func (g *Guard) Run(ctx context.Context) {
	t := time.NewTicker(g.health.Interval)
	defer t.Stop()
	for {
		g.checkAll(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (g *Guard) checkAll(ctx context.Context) {
	var wg sync.WaitGroup
	for _, in := range g.snapshot() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx, cancel := context.WithTimeout(ctx, g.health.Timeout)
			defer cancel()
			err := in.probe(cctx)
			if ctx.Err() != nil {
				return // shutting down: the check says nothing of the subgraph
			}
			in.record(err)
		}()
	}
	wg.Wait()
}

func (g *Guard) snapshot() []*instance {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.instances)
}

// probe checks the instance once: a GET of its health URL, or the probe
// query through its own fetcher.
func (in *instance) probe(ctx context.Context) error {
	if in.policy.HealthURL != "" {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, in.policy.HealthURL, nil)
		if err != nil {
			return err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			return fmt.Errorf("health URL answered HTTP %d", resp.StatusCode)
		}
		return nil
	}
	resp, err := in.next.Fetch(ctx, &wire.SubgraphRequest{Query: probeQuery, OperationKind: "query"}, nil)
	if err != nil {
		return err
	}
	if resp.Data == nil {
		if len(resp.Errors) > 0 {
			return fmt.Errorf("probe query failed: %s", resp.Errors[0].Message)
		}
		return errors.New("probe query returned no data")
	}
	return nil
}

// record keeps the outcome of a check, logging when it changes.
func (in *instance) record(err error) {
	in.mu.Lock()
	first := in.checked.IsZero()
	was := in.down
	in.checked, in.down = time.Now(), err
	in.mu.Unlock()
	switch {
	case err != nil && (was == nil || first):
		in.logger.Warn("subgraph is down", "subgraph", in.subgraph, "url", in.url, "error", err)
	case err == nil && was != nil:
		in.logger.Info("subgraph is up again", "subgraph", in.subgraph, "url", in.url)
	}
}

// Subgraph health as reported.
const (
	StatusUp      = "up"
	StatusDown    = "down"
	StatusUnknown = "unknown" // not checked yet
)

// InstanceReport is the health of one subgraph instance as readiness shows
// it.
type InstanceReport struct {
	URL    string `json:"url"`
	Status string `json:"status"`
	// Error is what the last check found when the instance is down.
	Error     string     `json:"error,omitempty"`
	CheckedAt *time.Time `json:"checked_at,omitempty"`
	// Breaker is closed, open or half-open: the breakers taken together.
	Breaker string `json:"breaker"`
	// Breakers are each breaker's rule, state and the executions it has
	// counted in its current state.
	Breakers []BreakerReport `json:"breakers"`
	Required bool            `json:"required"`
}

// BreakerReport is one circuit breaker of an instance.
type BreakerReport struct {
	Rule       string `json:"rule"`
	State      string `json:"state"`
	Executions uint   `json:"executions"`
	Failures   uint   `json:"failures"`
	Successes  uint   `json:"successes"`
}

// Report is the health of every instance by subgraph name; a subgraph with
// several instances lists each after the first as name@url.
func (g *Guard) Report() map[string]InstanceReport {
	out := map[string]InstanceReport{}
	for _, in := range g.snapshot() {
		key := in.subgraph
		if _, seen := out[key]; seen {
			key += "@" + in.url
		}
		out[key] = in.report(slices.Contains(g.cfg.Required, in.subgraph))
	}
	return out
}

func (in *instance) report(required bool) InstanceReport {
	r := InstanceReport{URL: in.url, Status: StatusUnknown, Breaker: in.breakerState().String(), Required: required}
	for i, b := range in.breakers {
		m := b.Metrics()
		r.Breakers = append(r.Breakers, BreakerReport{Rule: in.rules[i], State: b.State().String(), Executions: m.Executions(), Failures: m.Failures(), Successes: m.Successes()})
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if !in.checked.IsZero() {
		at := in.checked.UTC().Truncate(time.Millisecond)
		r.CheckedAt = &at
		r.Status = StatusUp
		if in.down != nil {
			r.Status, r.Error = StatusDown, in.down.Error()
		}
	}
	return r
}

// Register adds the guard's view to a readiness checker: the report of
// every subgraph as the "subgraphs" detail, and a check per required
// subgraph, which fails while the subgraph is down or not checked yet.
// Other subgraphs being down leaves the router ready: it serves what it can.
func (g *Guard) Register(c *health.Checker) {
	c.AddDetail("subgraphs", func() any { return g.Report() })
	for _, name := range g.cfg.Required {
		c.Add("router:"+name, func(context.Context) error { return g.ready(name) })
	}
}

// ready says whether a required subgraph has an instance that is up.
func (g *Guard) ready(subgraph string) error {
	var last error = fmt.Errorf("subgraph %s is not routed", subgraph)
	for _, in := range g.snapshot() {
		if in.subgraph != subgraph {
			continue
		}
		r := in.report(true)
		switch r.Status {
		case StatusUp:
			return nil
		case StatusUnknown:
			last = fmt.Errorf("subgraph %s is not checked yet", subgraph)
		default:
			last = fmt.Errorf("subgraph %s is down: %s", subgraph, r.Error)
		}
	}
	return last
}
