package ratelimit

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"sync"
	"time"
)

// Names of the limits, as clients see them in errors.
const (
	LimitPerClient      = "per_client"
	LimitPerOperation   = "per_operation"
	LimitConnections    = "websocket.max_per_client"
	LimitAllConnections = "websocket.max_total"
)

// Config configures a Policy. Zero limits are off.
type Config struct {
	// Limiter counts requests; nil means a Memory limiter.
	Limiter Limiter
	// Key names a request's client; nil means HeaderOrIP().
	Key KeyFunc
	// PerClient bounds each client's requests (operations, and websocket
	// connections opened).
	PerClient Limit
	// PerOperation bounds each client's requests of the named operations,
	// on top of PerClient.
	PerOperation map[string]Limit
	// MaxConnectionsPerClient and MaxConnections bound the websockets open
	// at once from one client and in all, in this process.
	MaxConnectionsPerClient int
	MaxConnections          int
	Logger                  *slog.Logger
}

// Policy applies the configured limits.
type Policy struct {
	cfg Config

	mu    sync.Mutex
	open  map[string]int
	total int
}

// New returns the Policy cfg describes.
func New(cfg Config) *Policy {
	if cfg.Limiter == nil {
		cfg.Limiter = &Memory{}
	}
	if cfg.Key == nil {
		cfg.Key = HeaderOrIP()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Policy{cfg: cfg, open: map[string]int{}}
}

// Exceeded is a request over a limit.
type Exceeded struct {
	// Limit names the limit (LimitPerClient ...).
	Limit string
	// Operation is the operation name of a per-operation limit.
	Operation string
	// RetryAfter is when to try again; zero for connection caps, which
	// free up as sockets close.
	RetryAfter time.Duration
}

func (e *Exceeded) Error() string {
	what := e.Limit
	if e.Operation != "" {
		what = fmt.Sprintf("%s (%s)", e.Limit, e.Operation)
	}
	if e.RetryAfter > 0 {
		return fmt.Sprintf("rate limit %s exceeded; retry in %ds", what, e.RetryAfterSeconds())
	}
	return fmt.Sprintf("limit %s exceeded", what)
}

// RetryAfterSeconds is RetryAfter for a Retry-After header: whole seconds,
// rounded up, at least 1.
func (e *Exceeded) RetryAfterSeconds() int {
	s := int(math.Ceil(e.RetryAfter.Seconds()))
	return max(s, 1)
}

// Key names the client of r.
func (p *Policy) Key(r *http.Request) string { return p.cfg.Key(r) }

// Request spends one request of client's allowance.
func (p *Policy) Request(ctx context.Context, client string) *Exceeded {
	return p.allow(ctx, "client\x00"+client, p.cfg.PerClient, LimitPerClient, "")
}

// Operation spends one request of client's allowance for the named
// operation, when it has a limit of its own.
func (p *Policy) Operation(ctx context.Context, client, name string) *Exceeded {
	limit, ok := p.cfg.PerOperation[name]
	if !ok || name == "" {
		return nil
	}
	return p.allow(ctx, "operation\x00"+name+"\x00"+client, limit, LimitPerOperation, name)
}

// allow asks the limiter; a limiter that fails lets the request through
// (and logs), so a Redis outage costs the limits, not the service.
func (p *Policy) allow(ctx context.Context, key string, limit Limit, name, op string) *Exceeded {
	if !limit.Valid() {
		return nil
	}
	d, err := p.cfg.Limiter.Allow(ctx, key, limit)
	if err != nil {
		p.cfg.Logger.WarnContext(ctx, "rate limiter failed; request allowed", "error", err, "limit", name)
		return nil
	}
	if d.Allowed {
		return nil
	}
	return &Exceeded{Limit: name, Operation: op, RetryAfter: d.RetryAfter}
}

// Connect admits a websocket from client: it spends one request of the
// client's allowance (a flood of connections is a flood of requests) and
// holds a place under the connection caps until release is called.
func (p *Policy) Connect(ctx context.Context, client string) (release func(), exceeded *Exceeded) {
	if e := p.Request(ctx, client); e != nil {
		return nil, e
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cfg.MaxConnections > 0 && p.total >= p.cfg.MaxConnections {
		return nil, &Exceeded{Limit: LimitAllConnections}
	}
	if p.cfg.MaxConnectionsPerClient > 0 && p.open[client] >= p.cfg.MaxConnectionsPerClient {
		return nil, &Exceeded{Limit: LimitConnections}
	}
	p.total++
	p.open[client]++
	var once sync.Once
	return func() {
		once.Do(func() {
			p.mu.Lock()
			defer p.mu.Unlock()
			p.total--
			if p.open[client]--; p.open[client] <= 0 {
				delete(p.open, client)
			}
		})
	}, nil
}
