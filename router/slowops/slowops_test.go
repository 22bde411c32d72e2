package slowops

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/router"
)

func TestLog(t *testing.T) {
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	// op ends at base+at and took ms milliseconds.
	op := func(name string, ms int, at time.Duration) router.OperationRecord {
		d := time.Duration(ms) * time.Millisecond
		return router.OperationRecord{
			Name: name, Kind: "query", Start: base.Add(at - d), Duration: d, Outcome: "ok",
			Plan: map[string]any{"kind": "Fetch", "op": name},
		}
	}
	tests := []struct {
		name     string
		capacity int
		window   time.Duration
		ops      []router.OperationRecord
		readAt   time.Duration
		want     []string
	}{
		{name: "empty", capacity: 3, window: time.Minute, want: []string{}},
		{
			name: "under capacity: all, slowest first", capacity: 3, window: time.Minute,
			ops:    []router.OperationRecord{op("a", 10, 0), op("b", 30, time.Second), op("c", 20, 2*time.Second)},
			readAt: 3 * time.Second, want: []string{"b", "c", "a"},
		},
		{
			name: "full: a slower one displaces the fastest", capacity: 2, window: time.Minute,
			ops:  []router.OperationRecord{op("a", 10, 0), op("b", 30, 0), op("c", 20, 0)},
			want: []string{"b", "c"},
		},
		{
			name: "full: a faster one is not kept", capacity: 2, window: time.Minute,
			ops:  []router.OperationRecord{op("a", 10, 0), op("b", 30, 0), op("c", 5, 0)},
			want: []string{"b", "a"},
		},
		{
			name: "old ones leave the window", capacity: 3, window: time.Minute,
			ops:    []router.OperationRecord{op("old", 500, 0), op("new", 5, 90*time.Second)},
			readAt: 100 * time.Second, want: []string{"new"},
		},
		{
			name: "an expired slow one makes room", capacity: 1, window: time.Minute,
			ops:    []router.OperationRecord{op("old", 500, 0), op("new", 5, 2*time.Minute)},
			readAt: 2 * time.Minute, want: []string{"new"},
		},
		{
			name: "ties: the latest first", capacity: 3, window: time.Minute,
			ops:    []router.OperationRecord{op("first", 10, 0), op("second", 10, time.Second)},
			readAt: time.Second, want: []string{"second", "first"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := New(tt.capacity, tt.window)
			clock := base
			l.now = func() time.Time { return clock }
			for _, rec := range tt.ops {
				clock = rec.Start.Add(rec.Duration)
				l.Observe(rec)
			}
			clock = base.Add(tt.readAt)
			got := l.Slowest()
			names := []string{}
			for _, o := range got {
				names = append(names, o.Name)
				var plan map[string]any
				if err := json.Unmarshal(o.Plan, &plan); err != nil || plan["op"] != o.Name {
					t.Errorf("%s: plan %s, want the operation's own", o.Name, o.Plan)
				}
			}
			if strings.Join(names, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("slowest = %v, want %v", names, tt.want)
			}
		})
	}
}

func TestLogDefaultsAndConcurrency(t *testing.T) {
	l := New(0, 0)
	if l.Capacity() != DefaultCapacity || l.Window() != DefaultWindow {
		t.Fatalf("defaults = %d, %v", l.Capacity(), l.Window())
	}
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.Observe(router.OperationRecord{Name: "q", Kind: "query", Start: time.Now(), Duration: time.Duration(i) * time.Millisecond})
			_ = l.Slowest()
		}()
	}
	wg.Wait()
	got := l.Slowest()
	if len(got) != DefaultCapacity || got[0].Duration != 49*time.Millisecond {
		t.Fatalf("kept %d, slowest %v; want %d, 49ms", len(got), got[0].Duration, DefaultCapacity)
	}
	if string(got[0].Plan) != "null" {
		t.Fatalf("plan without one = %s, want null", got[0].Plan)
	}
}
