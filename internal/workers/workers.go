// Package workers runs a component's background work (outbox relays, bus
// consumers, subscription hubs) under one context and stops it once: Stop
// cancels the work, waits for every worker, then releases what the workers
// used, and reports everything that failed.
package workers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
)

// Group is one component's set of background workers.
type Group struct {
	ctx    context.Context
	cancel context.CancelFunc
	logger *slog.Logger
	wg     sync.WaitGroup

	mu       sync.Mutex
	errs     []error
	cleanups []func() error

	once    sync.Once
	stopErr error
}

// New returns an empty group whose workers run until ctx is done or Stop.
func New(ctx context.Context, logger *slog.Logger) *Group {
	if logger == nil {
		logger = slog.Default()
	}
	ctx, cancel := context.WithCancel(ctx)
	return &Group{ctx: ctx, cancel: cancel, logger: logger}
}

// Context is the workers' context: done once Stop is called or the parent
// is done.
func (g *Group) Context() context.Context { return g.ctx }

// Go runs work in the background with the workers' context; work must
// return once that context is done. An error it returns while the group
// still runs is logged at once, since nothing else would notice a worker
// that died, and reported again by Stop.
func (g *Group) Go(name string, work func(ctx context.Context) error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		g.report(name, work(g.ctx))
	}()
}

// Start runs setup now, with the workers' context, and the loop it returns
// in the background. It is for workers that must be ready before the caller
// goes on (a bus listener registered before the first publish); setup's
// error is returned and nothing runs.
func (g *Group) Start(name string, setup func(ctx context.Context) (run func() error, err error)) error {
	run, err := setup(g.ctx)
	if err != nil {
		return fmt.Errorf("start %s: %w", name, err)
	}
	g.Go(name, func(context.Context) error { return run() })
	return nil
}

// OnStop registers cleanup to run after every worker returned, the last
// registered first: what is opened first (a store) is released after what
// was built on it.
func (g *Group) OnStop(cleanup func() error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.cleanups = append(g.cleanups, cleanup)
}

// Wait blocks until every worker returned, which they do once the parent
// context is done or Stop was called; it neither stops them nor cleans up.
func (g *Group) Wait() { g.wg.Wait() }

// Stop cancels the workers, waits for them, then runs the cleanups. It
// reports the workers' failures and the cleanups' errors together; calling
// it again only returns the same result.
func (g *Group) Stop() error {
	g.once.Do(func() {
		g.cancel()
		g.wg.Wait()
		g.mu.Lock()
		defer g.mu.Unlock()
		for i := len(g.cleanups) - 1; i >= 0; i-- {
			if err := g.cleanups[i](); err != nil {
				g.errs = append(g.errs, err)
			}
		}
		g.stopErr = errors.Join(g.errs...)
	})
	return g.stopErr
}

func (g *Group) report(name string, err error) {
	// A worker returning its context's error is a worker stopping as asked.
	if err == nil || (g.ctx.Err() != nil && errors.Is(err, g.ctx.Err())) {
		return
	}
	err = fmt.Errorf("%s: %w", name, err)
	if g.ctx.Err() == nil {
		g.logger.Error("background worker failed", "worker", name, "err", err)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.errs = append(g.errs, err)
}
