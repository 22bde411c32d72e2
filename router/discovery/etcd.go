package discovery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// DefaultEtcdPrefix is where instances register: the key
// <prefix><subgraph>/<instance id> holds the instance's URL.
const DefaultEtcdPrefix = "/cinegraph/subgraphs/"

// DefaultTTL is the lease of a registration: an instance that dies without
// deregistering leaves the registry this long after its last keep-alive.
const DefaultTTL = 10 * time.Second

// Etcd is a Registry that watches the instances registered in etcd under a
// prefix. Changes reach subscribers as soon as etcd's watch delivers them,
// well within a second on a healthy cluster.
type Etcd struct {
	hub
	client *clientv3.Client
	prefix string
	logger *slog.Logger

	mu        sync.Mutex
	instances map[string]map[string]string // subgraph → instance id → URL

	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

var _ Registry = (*Etcd)(nil)

// NewEtcd reads the instances registered under prefix ("" means
// DefaultEtcdPrefix) and watches for changes until Close. Only registered
// instances are routed to: a subgraph no one has registered has none. The
// client stays the caller's to close.
func NewEtcd(ctx context.Context, client *clientv3.Client, prefix string, logger *slog.Logger) (*Etcd, error) {
	if prefix == "" {
		prefix = DefaultEtcdPrefix
	}
	if !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	e := &Etcd{client: client, prefix: prefix, logger: logger, instances: map[string]map[string]string{}, done: make(chan struct{})}
	rev, err := e.load(ctx)
	if err != nil {
		return nil, fmt.Errorf("discovery: read %s from etcd: %w", prefix, err)
	}
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	e.cancel = cancel
	go e.watch(wctx, rev)
	return e, nil
}

// load replaces every subgraph's instances with what etcd holds now and
// returns the revision read.
func (e *Etcd) load(ctx context.Context) (int64, error) {
	resp, err := e.client.Get(ctx, e.prefix, clientv3.WithPrefix())
	if err != nil {
		return 0, err
	}
	found := map[string]map[string]string{}
	for _, kv := range resp.Kvs {
		if name, id, ok := e.split(string(kv.Key)); ok {
			if found[name] == nil {
				found[name] = map[string]string{}
			}
			found[name][id] = string(kv.Value)
		}
	}
	e.mu.Lock()
	old := e.instances
	e.instances = found
	e.mu.Unlock()
	for name := range old {
		if _, ok := found[name]; !ok {
			e.set(name, nil)
		}
	}
	for name, ids := range found {
		e.set(name, urlsOf(ids))
	}
	return resp.Header.Revision, nil
}

// split parses <prefix><subgraph>/<id>.
func (e *Etcd) split(key string) (subgraph, id string, ok bool) {
	rest, ok := strings.CutPrefix(key, e.prefix)
	if !ok {
		return "", "", false
	}
	subgraph, id, ok = strings.Cut(rest, "/")
	return subgraph, id, ok && subgraph != "" && id != ""
}

func urlsOf(ids map[string]string) []string {
	out := make([]string, 0, len(ids))
	for _, u := range ids {
		out = append(out, u)
	}
	return out
}

// watch follows the prefix from rev on; when the watch fails (a compacted
// revision, a lost connection) it reads everything again and resumes.
func (e *Etcd) watch(ctx context.Context, rev int64) {
	defer close(e.done)
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		wch := e.client.Watch(clientv3.WithRequireLeader(ctx), e.prefix, clientv3.WithPrefix(), clientv3.WithRev(rev+1))
		for wr := range wch {
			if err := wr.Err(); err != nil {
				e.logger.Warn("etcd watch of subgraph instances failed; reading them again", "prefix", e.prefix, "error", err)
				break
			}
			backoff = 100 * time.Millisecond
			changed := map[string]bool{}
			e.mu.Lock()
			for _, ev := range wr.Events {
				name, id, ok := e.split(string(ev.Kv.Key))
				if !ok {
					continue
				}
				changed[name] = true
				switch ev.Type {
				case clientv3.EventTypePut:
					if e.instances[name] == nil {
						e.instances[name] = map[string]string{}
					}
					e.instances[name][id] = string(ev.Kv.Value)
				case clientv3.EventTypeDelete:
					delete(e.instances[name], id)
				}
			}
			sets := map[string][]string{}
			for name := range changed {
				sets[name] = urlsOf(e.instances[name])
			}
			e.mu.Unlock()
			for name, urls := range sets {
				e.set(name, urls)
			}
			rev = wr.Header.Revision
		}
		if ctx.Err() != nil {
			return
		}
		// Read everything again: events may have been missed.
		for ctx.Err() == nil {
			lctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			r, err := e.load(lctx)
			cancel()
			if err == nil {
				rev = r
				break
			}
			e.logger.Warn("etcd read of subgraph instances failed", "prefix", e.prefix, "error", err)
			select {
			case <-ctx.Done():
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, 5*time.Second)
		}
	}
}

// Close implements Registry.
func (e *Etcd) Close() error {
	e.once.Do(func() {
		e.cancel()
		<-e.done
		e.close()
	})
	return nil
}

// registerTimeout bounds each etcd call of a registration.
const registerTimeout = 10 * time.Second

// Registration is one instance's entry in etcd, kept alive by its lease.
type Registration struct {
	client *clientv3.Client
	key    string
	cancel context.CancelFunc
	done   chan struct{}

	mu    sync.Mutex
	lease clientv3.LeaseID
	// older are the leases granted before lease when the registration was
	// renewed: the key may still hang on one of them (a renewal whose Put
	// was cut short), so deregistering revokes them all.
	older []clientv3.LeaseID
	once  sync.Once
	err   error
}

// Key is the registration's etcd key.
func (r *Registration) Key() string { return r.key }

// Register registers the instance of subgraph at url under
// DefaultEtcdPrefix with a lease of ttl (0 means DefaultTTL), keeps the
// lease alive, and registers again should it be lost, until ctx is done or
// Deregister is called; both revoke the lease, so the router stops sending
// to the instance at once rather than when the lease would expire.
func Register(ctx context.Context, client *clientv3.Client, subgraph, url string, ttl time.Duration) (*Registration, error) {
	return RegisterAt(ctx, client, DefaultEtcdPrefix, subgraph, url, ttl)
}

// RegisterAt is Register under prefix.
func RegisterAt(ctx context.Context, client *clientv3.Client, prefix, subgraph, url string, ttl time.Duration) (*Registration, error) {
	if prefix == "" {
		prefix = DefaultEtcdPrefix
	}
	if !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	secs := max(int64(ttl/time.Second), 1)
	opCtx, cancel := context.WithTimeout(ctx, registerTimeout)
	defer cancel()
	lease, err := client.Grant(opCtx, secs)
	if err != nil {
		return nil, fmt.Errorf("discovery: register %s: %w", subgraph, err)
	}
	// The first lease's id names the instance for its whole life.
	r := &Registration{client: client, key: fmt.Sprintf("%s%s/%x", prefix, subgraph, int64(lease.ID)), lease: lease.ID, done: make(chan struct{})}
	if _, err := client.Put(opCtx, r.key, url, clientv3.WithLease(lease.ID)); err != nil {
		rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), registerTimeout)
		defer rcancel()
		_, _ = client.Revoke(rctx, lease.ID)
		return nil, fmt.Errorf("discovery: register %s: %w", subgraph, err)
	}
	kctx, stop := context.WithCancel(ctx)
	r.cancel = stop
	go r.keepAlive(kctx, url, secs)
	return r, nil
}

func (r *Registration) keepAlive(ctx context.Context, url string, secs int64) {
	defer close(r.done)
	for {
		r.mu.Lock()
		lease := r.lease
		r.mu.Unlock()
		ch, err := r.client.KeepAlive(ctx, lease)
		if err == nil {
			for range ch {
			}
		}
		if ctx.Err() != nil {
			r.revoke()
			return
		}
		// The lease expired or etcd was unreachable: register again.
		select {
		case <-ctx.Done():
			r.revoke()
			return
		case <-time.After(time.Second):
		}
		gctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		l, err := r.client.Grant(gctx, secs)
		if err == nil {
			// The new lease is the one kept alive from now on, even if the
			// Put below is cut short having reached etcd.
			r.mu.Lock()
			r.older = append(r.older, r.lease)
			r.lease = l.ID
			r.mu.Unlock()
			_, _ = r.client.Put(gctx, r.key, url, clientv3.WithLease(l.ID))
		}
		cancel()
	}
}

// revoke revokes the registration's lease and those it replaced, which
// deletes its key whichever of them it hangs on. A lease etcd no longer
// knows (expired) is already gone.
func (r *Registration) revoke() {
	r.mu.Lock()
	leases := append(slices.Clone(r.older), r.lease)
	r.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), registerTimeout)
	defer cancel()
	var errs []error
	for _, lease := range leases {
		if _, err := r.client.Revoke(ctx, lease); err != nil && !errors.Is(err, rpctypes.ErrLeaseNotFound) {
			errs = append(errs, err)
		}
	}
	r.err = errors.Join(errs...)
}

// Deregister revokes the registration's lease, which deletes its key, and
// stops keeping it alive.
func (r *Registration) Deregister() error {
	r.once.Do(func() {
		r.cancel()
		<-r.done
	})
	if r.err != nil && !errors.Is(r.err, context.Canceled) {
		return fmt.Errorf("discovery: deregister %s: %w", r.key, r.err)
	}
	return nil
}
