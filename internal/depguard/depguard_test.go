package depguard_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/depguard"
	"github.com/cinegraph/cinegraph/internal/errs"
)

var errDown = errors.New("dependency down")

// fake is a dependency that fails while down and counts its calls.
type fake struct {
	down  atomic.Bool
	calls atomic.Int64
}

func (f *fake) call(ctx context.Context) (string, error) {
	f.calls.Add(1)
	if f.down.Load() {
		return "", errDown
	}
	return "ok", nil
}

// fastPolicy opens after 5 failures in a row and probes soon after.
var fastPolicy = depguard.Policy{
	Timeout: time.Second, ConsecutiveFailures: 5, MinCalls: 1000,
	OpenFor: 50 * time.Millisecond, HalfOpenProbes: 2,
}

func TestBreakerOpensAfterRepeatedFailuresAndRefusesAtOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := &fake{}
	f.down.Store(true)
	g := depguard.New("test.fake", fastPolicy, nil)
	for i := range 5 {
		if g.State().String() != "closed" {
			t.Fatalf("open after %d failures", i)
		}
		if _, err := depguard.Do(ctx, g, f.call); !errors.Is(err, errDown) {
			t.Fatalf("call %d: err = %v, want the dependency's own", i, err)
		}
	}
	if got := g.State().String(); got != "open" {
		t.Fatalf("state after 5 failures = %s, want open", got)
	}
	before := f.calls.Load()
	started := time.Now()
	_, err := depguard.Do(ctx, g, f.call)
	if depguard.ReasonOf(err) != depguard.CircuitOpen || errs.CodeOf(err) != errs.Unavailable {
		t.Fatalf("err = %v (reason %q, code %s), want an UNAVAILABLE refusal", err, depguard.ReasonOf(err), errs.CodeOf(err))
	}
	if f.calls.Load() != before {
		t.Fatal("an open breaker let the call reach the dependency")
	}
	if d := time.Since(started); d > 20*time.Millisecond {
		t.Fatalf("refusal took %v", d)
	}
	if !depguard.Failed(ctx, err) {
		t.Fatal("a refusal should call for the fallback")
	}
	r := g.Report()
	if r.Failures != 5 || r.Refusals != 1 || r.Successes != 0 || r.State != "open" || r.Breakers["consecutive failures"] != "open" {
		t.Fatalf("report %+v", r)
	}

	t.Run("half-open probes close it again", func(t *testing.T) {
		f.down.Store(false)
		time.Sleep(2 * fastPolicy.OpenFor)
		for i := range 2 {
			if _, err := depguard.Do(ctx, g, f.call); err != nil {
				t.Fatalf("probe %d: %v", i, err)
			}
		}
		if got := g.State().String(); got != "closed" {
			t.Fatalf("state after probes = %s", got)
		}
	})
}

func TestFailureRateOpensBreaker(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	g := depguard.New("test.rate", depguard.Policy{ConsecutiveFailures: 100, FailureRate: 50, MinCalls: 4, Window: time.Minute}, nil)
	f := &fake{}
	for i := range 4 {
		f.down.Store(i%2 == 0)
		_, _ = depguard.Do(ctx, g, f.call)
	}
	r := g.Report()
	if r.State != "open" || r.Breakers["failure rate"] != "open" || r.Breakers["consecutive failures"] != "closed" {
		t.Fatalf("report %+v", r)
	}
}

func TestNotCountedAgainstTheDependency(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		call func(g *depguard.Guard) error
	}{
		{"cancelled during the call", func(g *depguard.Guard) error {
			ctx, cancel := context.WithCancel(context.Background())
			_, err := depguard.Do(ctx, g, func(ctx context.Context) (int, error) {
				cancel()
				<-ctx.Done()
				return 0, ctx.Err()
			})
			return err
		}},
		{"cancelled before the call", func(g *depguard.Guard) error {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			_, err := depguard.Do(ctx, g, func(context.Context) (int, error) { return 0, errDown })
			return err
		}},
		{"caller's deadline passed", func(g *depguard.Guard) error {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
			defer cancel()
			_, err := depguard.Do(ctx, g, func(ctx context.Context) (int, error) {
				<-ctx.Done()
				return 0, ctx.Err()
			})
			return err
		}},
		{"bad user input", func(g *depguard.Guard) error {
			_, err := depguard.Do(context.Background(), g, func(context.Context) (int, error) {
				return 0, errs.Invalid("query", "too long")
			})
			return err
		}},
		{"not found", func(g *depguard.Guard) error {
			_, err := depguard.Do(context.Background(), g, func(context.Context) (int, error) {
				return 0, errs.Missing("title", "t1")
			})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := depguard.New("test.caller", depguard.Policy{ConsecutiveFailures: 1, MinCalls: 1}, nil)
			for range 3 {
				if err := tc.call(g); err == nil {
					t.Fatal("want the call's error back")
				} else if depguard.ReasonOf(err) != "" {
					t.Fatalf("err = %v: refused", err)
				}
			}
			r := g.Report()
			if r.State != "closed" || r.Failures != 0 || r.Refusals != 0 || r.NotCounted != 3 {
				t.Fatalf("report %+v", r)
			}
		})
	}
}

func TestTimeoutCountsAsFailure(t *testing.T) {
	t.Parallel()
	g := depguard.New("test.slow", depguard.Policy{Timeout: 20 * time.Millisecond, ConsecutiveFailures: 2}, nil)
	hang := func(ctx context.Context) (int, error) {
		<-ctx.Done()
		return 0, ctx.Err()
	}
	for range 2 {
		_, err := depguard.Do(context.Background(), g, hang)
		if depguard.ReasonOf(err) != depguard.Timeout || errs.CodeOf(err) != errs.Unavailable {
			t.Fatalf("err = %v", err)
		}
	}
	if r := g.Report(); r.State != "open" || r.Failures != 2 || r.Timeouts != 2 {
		t.Fatalf("report %+v", r)
	}
}

func TestBulkheadRefusesWhenFull(t *testing.T) {
	t.Parallel()
	g := depguard.New("test.busy", depguard.Policy{MaxConcurrent: 1, MaxWait: 10 * time.Millisecond}, nil)
	release := make(chan struct{})
	entered := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, _ = depguard.Do(context.Background(), g, func(context.Context) (int, error) {
			close(entered)
			<-release
			return 1, nil
		})
	}()
	<-entered
	_, err := depguard.Do(context.Background(), g, func(context.Context) (int, error) { return 2, nil })
	close(release)
	wg.Wait()
	if depguard.ReasonOf(err) != depguard.BulkheadFull {
		t.Fatalf("err = %v", err)
	}
	if r := g.Report(); r.Refusals != 1 || r.Successes != 1 || r.State != "closed" {
		t.Fatalf("report %+v", r)
	}
}

func TestDoReturnsValue(t *testing.T) {
	t.Parallel()
	for _, g := range []*depguard.Guard{nil, depguard.New("test.value", depguard.Policy{}, nil)} {
		got, err := depguard.Do(context.Background(), g, func(context.Context) ([]string, error) { return []string{"a"}, nil })
		if err != nil || len(got) != 1 || got[0] != "a" {
			t.Fatalf("guard %v: %v %v", g, got, err)
		}
	}
}

func TestDegradedMarksAndCounts(t *testing.T) {
	t.Parallel()
	reg := depguard.NewRegistry(nil)
	g := reg.Guard("catalog.search", depguard.Policy{})
	if reg.Guard("catalog.search", depguard.Policy{Timeout: time.Hour}) != g {
		t.Fatal("a second ask made a second guard")
	}
	reg.Guard("catalog.cache", depguard.Policy{})

	ctx := depguard.Collect(context.Background())
	g.Degraded(ctx, "store")
	g.Degraded(ctx, "store")
	depguard.Degraded(ctx, "insights.sentiment", "null")
	// Without Collect nothing is kept, but the use is still counted.
	g.Degraded(context.Background(), "store")

	want := []depguard.Mark{{Dependency: "catalog.search", Fallback: "store"}, {Dependency: "insights.sentiment", Fallback: "null"}}
	got := depguard.Marks(ctx)
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("marks %+v, want %+v", got, want)
	}
	if depguard.Marks(context.Background()) != nil {
		t.Fatal("marks without Collect")
	}
	report := reg.Report()
	if len(report) != 2 || report["catalog.search"].Fallbacks["store"] != 3 || report["catalog.search"].Policy.Timeout != "1s" {
		t.Fatalf("report %+v", report)
	}
	if names := reg.Names(); len(names) != 2 || names[0] != "catalog.cache" {
		t.Fatalf("names %v", names)
	}
}
