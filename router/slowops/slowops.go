// Package slowops keeps the slowest operations a router ran recently, with
// their query plans: the ones an operator looks at first. Its Log is fed
// by router.Config.OnOperation and read whenever asked; it holds a fixed
// number of operations whatever the traffic.
package slowops

import (
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/cinegraph/cinegraph/router"
)

// Defaults for a Log made with zero settings.
const (
	DefaultCapacity = 20
	DefaultWindow   = 10 * time.Minute
)

// Operation is one operation the log kept.
type Operation struct {
	Name       string
	Kind       string
	Duration   time.Duration
	FinishedAt time.Time
	Outcome    string
	// Plan is the query plan as JSON.
	Plan json.RawMessage
}

// Log holds the Capacity slowest operations that finished within Window
// of now. Its methods may be called concurrently.
type Log struct {
	capacity int
	window   time.Duration
	now      func() time.Time

	mu   sync.Mutex
	kept []entry
}

// entry is a kept operation; its plan is marshalled when read, so an
// operation soon displaced costs no encoding.
type entry struct {
	op   Operation
	plan any
}

// New returns a log of the capacity slowest operations of the last window;
// zero or less takes the default.
func New(capacity int, window time.Duration) *Log {
	if capacity <= 0 {
		capacity = DefaultCapacity
	}
	if window <= 0 {
		window = DefaultWindow
	}
	return &Log{capacity: capacity, window: window, now: time.Now}
}

// Capacity is how many operations the log keeps at most.
func (l *Log) Capacity() int { return l.capacity }

// Window is how far back the log looks.
func (l *Log) Window() time.Duration { return l.window }

// Observe records rec; its signature is router.Config.OnOperation's. It
// is kept when the log has room or rec is slower than the fastest kept.
func (l *Log) Observe(rec router.OperationRecord) {
	e := entry{
		op: Operation{
			Name: rec.Name, Kind: rec.Kind, Duration: rec.Duration,
			FinishedAt: rec.Start.Add(rec.Duration), Outcome: rec.Outcome,
		},
		plan: rec.Plan,
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.expire()
	if len(l.kept) < l.capacity {
		l.kept = append(l.kept, e)
		return
	}
	fastest := 0
	for i, k := range l.kept {
		if k.op.Duration < l.kept[fastest].op.Duration {
			fastest = i
		}
	}
	if e.op.Duration > l.kept[fastest].op.Duration {
		l.kept[fastest] = e
	}
}

// expire drops the operations that finished before the window; l.mu is
// held.
func (l *Log) expire() {
	cutoff := l.now().Add(-l.window)
	l.kept = slices.DeleteFunc(l.kept, func(e entry) bool { return e.op.FinishedAt.Before(cutoff) })
}

// Slowest returns the operations kept, slowest first.
func (l *Log) Slowest() []Operation {
	l.mu.Lock()
	l.expire()
	kept := slices.Clone(l.kept)
	l.mu.Unlock()
	slices.SortStableFunc(kept, func(a, b entry) int {
		switch {
		case a.op.Duration > b.op.Duration:
			return -1
		case a.op.Duration < b.op.Duration:
			return 1
		}
		return b.op.FinishedAt.Compare(a.op.FinishedAt)
	})
	out := make([]Operation, len(kept))
	for i, e := range kept {
		out[i] = e.op
		out[i].Plan = marshalPlan(e.plan)
	}
	return out
}

// marshalPlan is plan as JSON; null when there is none or it cannot be
// encoded.
func marshalPlan(plan any) json.RawMessage {
	if plan == nil {
		return json.RawMessage("null")
	}
	raw, err := json.Marshal(plan)
	if err != nil {
		return json.RawMessage("null")
	}
	return raw
}
