package rediscache

import (
	"context"
	"errors"
	"maps"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/redis/go-redis/v9"

	"github.com/cinegraph/cinegraph/internal/storetrace"
)

// observer is the go-redis hook that gives every Redis round trip of the
// cache a client span and a timing (internal/storetrace), named by the
// command (MGET, INCR, DEL) or PIPELINE for a pipeline's one round trip.
// It hooks the client rather than the cache's methods because a cached
// read makes one or two round trips and falls through to the store behind
// it, whose own spans then nest under the read's. (redisotel, go-redis's
// own instrumentation, is not in go.mod and shapes its spans differently.)
type observer struct {
	in       *storetrace.Instrument
	pipeline *storetrace.Op

	mu sync.Mutex
	// ops are the commands seen so far, copied on write so that a call
	// reads them without a lock or an allocation.
	ops atomic.Pointer[map[string]*storetrace.Op]
}

var _ redis.Hook = (*observer)(nil)

func newObserver() *observer {
	in := storetrace.New(storetrace.Options{
		Subgraph: "catalog",
		System:   storetrace.Redis,
		// A key that is not there is an answer.
		Expected: func(err error) bool { return errors.Is(err, redis.Nil) },
	})
	o := &observer{in: in, pipeline: in.Op("PIPELINE", "")}
	o.ops.Store(&map[string]*storetrace.Op{})
	return o
}

// op is the operation of the command called name (go-redis names them in
// lower case).
func (o *observer) op(name string) *storetrace.Op {
	if op, ok := (*o.ops.Load())[name]; ok {
		return op
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	current := *o.ops.Load()
	if op, ok := current[name]; ok {
		return op
	}
	next := maps.Clone(current)
	next[name] = o.in.Op(strings.ToUpper(name), "")
	o.ops.Store(&next)
	return next[name]
}

// DialHook leaves dialling alone: a connection's cost shows in the
// command that waited for it.
func (o *observer) DialHook(next redis.DialHook) redis.DialHook { return next }

func (o *observer) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		ctx, c := o.op(cmd.Name()).Start(ctx)
		err := next(ctx, cmd)
		c.End(err)
		return err
	}
}

func (o *observer) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		ctx, c := o.pipeline.Start(ctx)
		err := next(ctx, cmds)
		c.End(err)
		return err
	}
}
