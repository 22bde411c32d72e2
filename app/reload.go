package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/health"
	"github.com/cinegraph/cinegraph/router/resilience"
)

// LiveRouter serves the router of the current configuration and swaps in
// a new one when the configuration changes (Archaius' role): timeouts,
// breakers, bulkheads, retries, limits, rate limits, authentication and the
// supergraph itself. A request or websocket that began on the old router
// finishes on it; the old router is released once the last one ends. A
// configuration that cannot be applied is refused and the current one
// stays.
type LiveRouter struct {
	ctx     context.Context
	logger  *slog.Logger
	checker *health.Checker
	// urls gives the subgraph URLs of a configuration.
	urls func(config.Config) map[string]string

	mu      sync.Mutex // serializes Reload and Close
	current atomic.Pointer[generation]
	closed  bool

	// metrics count into the process's registry across reloads; nil
	// counts nothing.
	metrics *Metrics
	// ops answers the supergraph's ops query for every router this
	// builds, and keeps their slowest operations (ops.go).
	ops *opsSource
	// swapMu orders swapping the current router with reading the dedupe
	// totals; replaced holds the counts of the routers replaced, so the
	// totals never go down.
	swapMu   sync.Mutex
	replaced dedupeCounts
}

// generation is one configuration's router and the requests running on it.
type generation struct {
	cfg       config.Config
	rt        *Router
	stopWatch func()
	inflight  atomic.Int64
	retired   atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

// NewLiveRouter builds the router of cfg (urls names the subgraphs' URLs
// for a configuration) and watches its subgraphs on checker.
// Its metrics (NewMetrics, per metrics.*) are the process's; Metrics
// returns them.
func NewLiveRouter(ctx context.Context, cfg config.Config, urls func(config.Config) map[string]string, checker *health.Checker, logger *slog.Logger) (*LiveRouter, error) {
	return newLiveRouter(ctx, cfg, urls, checker, logger, NewMetrics(cfg))
}

// newLiveRouter is NewLiveRouter counting into m, which may be nil.
func newLiveRouter(ctx context.Context, cfg config.Config, urls func(config.Config) map[string]string, checker *health.Checker, logger *slog.Logger, m *Metrics) (*LiveRouter, error) {
	l := &LiveRouter{ctx: ctx, logger: logger, checker: checker, urls: urls, metrics: m}
	l.ops = newOpsSource(l, logger.With("component", "ops"))
	g, err := l.build(cfg)
	if err != nil {
		return nil, err
	}
	l.current.Store(g)
	m.watch(l)
	return l, nil
}

func (l *LiveRouter) build(cfg config.Config) (*generation, error) {
	rt, err := openRouter(l.ctx, cfg, l.urls(cfg), l.logger, l.metrics.Router(), l.ops)
	if err != nil {
		return nil, err
	}
	return &generation{cfg: cfg, rt: rt}, nil
}

// Reload applies cfg: it builds the new router first and swaps it in only
// when that worked, so an error leaves the current router serving.
// Settings a running process cannot change (listeners, storage, the data
// directory, ...) refuse the whole reload.
func (l *LiveRouter) Reload(cfg config.Config) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return errors.New("reload: the router is closed")
	}
	old := l.current.Load()
	if err := Reloadable(old.cfg, cfg); err != nil {
		return err
	}
	g, err := l.build(cfg)
	if err != nil {
		return fmt.Errorf("reload: %w", err)
	}
	// Checks of subgraphs no longer required go; the new router's come.
	for _, name := range old.cfg.Router.Resilience.Required {
		l.checker.Remove("router:" + name)
	}
	old.unwatch()
	g.stopWatch = g.rt.Watch(l.ctx, l.checker)
	l.swapMu.Lock()
	l.replaced = l.replaced.plus(old.rt.dedupe.counts())
	l.current.Store(g)
	l.swapMu.Unlock()
	l.retire(old)
	return nil
}

// Watch starts the active checks of the current router's subgraphs; Close
// stops them.
func (l *LiveRouter) Watch() {
	l.mu.Lock()
	defer l.mu.Unlock()
	g := l.current.Load()
	if g.stopWatch == nil {
		g.stopWatch = g.rt.Watch(l.ctx, l.checker)
	}
}

func (g *generation) unwatch() {
	if g.stopWatch != nil {
		g.stopWatch()
		g.stopWatch = nil
	}
}

// retire releases g once nothing runs on it any more.
func (l *LiveRouter) retire(g *generation) {
	g.retired.Store(true)
	if g.inflight.Load() == 0 {
		l.release(g)
	}
}

func (l *LiveRouter) release(g *generation) {
	g.closeOnce.Do(func() {
		g.closeErr = g.rt.Close()
		if g.closeErr != nil {
			l.logger.Warn("releasing a replaced router", "error", g.closeErr)
		}
	})
}

// acquire is the current generation, counted as in use until done.
func (l *LiveRouter) acquire() *generation {
	for {
		g := l.current.Load()
		g.inflight.Add(1)
		if !g.retired.Load() {
			return g
		}
		// Replaced meanwhile: use the new one.
		l.done(g)
	}
}

func (l *LiveRouter) done(g *generation) {
	if g.inflight.Add(-1) == 0 && g.retired.Load() {
		l.release(g)
	}
}

// ServeHTTP serves a request, a websocket's whole life included, on the
// router current when it began.
func (l *LiveRouter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g := l.acquire()
	defer l.done(g)
	g.rt.ServeHTTP(w, r)
}

// Mount registers the router's public endpoints on mux, each served by the
// current router.
func (l *LiveRouter) Mount(mux *http.ServeMux) {
	mux.Handle("/graphql", l)
	mux.Handle(AuthConfigPath, l.identityHandler(func(id *identity) http.Handler { return authConfigHandler(id) }))
	mux.Handle(DemoTokenPath, l.identityHandler(func(id *identity) http.Handler {
		if id == nil || id.issuer == nil {
			return http.NotFoundHandler()
		}
		return id.issuer.Handler()
	}))
}

func (l *LiveRouter) identityHandler(h func(*identity) http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g := l.acquire()
		defer l.done(g)
		h(g.rt.identity).ServeHTTP(w, r)
	})
}

// Config is the configuration in force.
func (l *LiveRouter) Config() config.Config { return l.current.Load().cfg }

// Report is the current router's view of its subgraph instances.
func (l *LiveRouter) Report() map[string]resilience.InstanceReport {
	return l.current.Load().rt.Guard.Report()
}

// Dedupe is what the current router shared in flight since it was built.
func (l *LiveRouter) Dedupe() DedupeReport { return l.current.Load().rt.dedupe }

// dedupeTotals is what every router of this process shared in flight:
// the replaced ones' counts as they stood when replaced, and the current
// one's.
func (l *LiveRouter) dedupeTotals() dedupeCounts {
	l.swapMu.Lock()
	defer l.swapMu.Unlock()
	return l.replaced.plus(l.current.Load().rt.dedupe.counts())
}

// Metrics are the process's metrics the router counts into; nil with
// metrics.enabled off.
func (l *LiveRouter) Metrics() *Metrics { return l.metrics }

// Close stops the current router's checks and releases it; routers
// replaced earlier are released as their last requests end (a server's
// shutdown ends them).
func (l *LiveRouter) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	g := l.current.Load()
	g.unwatch()
	g.retired.Store(true)
	l.release(g)
	return g.closeErr
}

// Reloadable reports which settings of next a running process cannot take
// from a reload: everything but router.* and auth.* needs a restart, and
// so does router.auth_token, which the subgraphs hold.
func Reloadable(current, next config.Config) error {
	cmp := next
	cmp.Router, cmp.Auth = current.Router, current.Auth
	var fixed []string
	cv, nv := reflect.ValueOf(current), reflect.ValueOf(cmp)
	for i := range cv.NumField() {
		if !reflect.DeepEqual(cv.Field(i).Interface(), nv.Field(i).Interface()) {
			fixed = append(fixed, settingName(cv.Type().Field(i)))
		}
	}
	if next.Router.AuthToken != current.Router.AuthToken {
		fixed = append(fixed, "router.auth_token")
	}
	if len(fixed) > 0 {
		return fmt.Errorf("reload refused: %s cannot change while running; restart to apply", strings.Join(fixed, ", "))
	}
	return nil
}

// settingName is a configuration field's key, from its koanf tag.
func settingName(f reflect.StructField) string {
	if tag, _, _ := strings.Cut(f.Tag.Get("koanf"), ","); tag != "" {
		return tag
	}
	return strings.ToLower(f.Name)
}
