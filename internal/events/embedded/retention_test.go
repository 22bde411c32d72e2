package embedded

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/sqlite"
)

// clock is a settable Options.Now.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// logBuffer collects a logger's output.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func openRetained(t *testing.T, path string, r Retention, c *clock, log *logBuffer) *Bus {
	t.Helper()
	o := Options{Retention: r, Now: c.Now, Logger: slog.New(slog.NewTextHandler(log, nil))}
	b, err := OpenWith(context.Background(), path, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func publish(t *testing.T, b *Bus, topic, key string, from, to int) {
	t.Helper()
	for n := from; n <= to; n++ {
		if err := b.Publish(context.Background(), event(t, topic, key, n)); err != nil {
			t.Fatal(err)
		}
	}
}

func size(t *testing.T, b *Bus) Size {
	t.Helper()
	s, err := b.Size(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func prune(t *testing.T, b *Bus) Pruned {
	t.Helper()
	p, err := b.Prune(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// ack consumes topic as group and acknowledges exactly n events: collect
// would go on through the rest of a batch.
func ack(t *testing.T, b *Bus, topic, group string, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	errEnough := errors.New("enough")
	done := 0
	err := b.Consume(ctx, topic, group, func(context.Context, events.Event) error {
		if done == n {
			return errEnough // not committed
		}
		if done++; done == n {
			cancel()
		}
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		t.Fatal(err)
	}
	if done != n {
		t.Fatalf("acknowledged %d events of %s as %s, want %d", done, topic, group, n)
	}
}

func ids(evs []events.Event) string {
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = ev.ID
	}
	return strings.Join(out, " ")
}

// remaining lists the ids still in topic, oldest first.
func remaining(t *testing.T, b *Bus, topic string) string {
	t.Helper()
	evs, err := b.read(context.Background(), topic, 0)
	if err != nil {
		t.Fatal(err)
	}
	return ids(evs)
}

func TestRetentionByAge(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	tests := []struct {
		name string
		// setup publishes at the clock's start and acknowledges as groups
		// would; the clock then moves on by age before the prune.
		setup func(t *testing.T, b *Bus)
		age   time.Duration
		// want is what remains of topic "t", and of topic "u".
		wantT, wantU string
		wantHeld     int64
	}{
		{
			name: "acknowledged by every group and old: deleted",
			setup: func(t *testing.T, b *Bus) {
				publish(t, b, "t", "k", 1, 3)
				collect(t, b, "t", "g1", 3)
				collect(t, b, "t", "g2", 3)
			},
			age: 8 * day,
		},
		{
			name: "acknowledged but young: kept",
			setup: func(t *testing.T, b *Bus) {
				publish(t, b, "t", "k", 1, 3)
				collect(t, b, "t", "g1", 3)
			},
			age:   6 * day,
			wantT: "k-1 k-2 k-3",
		},
		{
			name: "a topic no group consumes holds nothing back",
			setup: func(t *testing.T, b *Bus) {
				publish(t, b, "u", "k", 1, 2)
			},
			age: 8 * day,
		},
		{
			name: "unacknowledged survives whatever its age",
			setup: func(t *testing.T, b *Bus) {
				publish(t, b, "t", "k", 1, 4)
				ack(t, b, "t", "fast", 4)
				ack(t, b, "t", "slow", 2)
				publish(t, b, "u", "k", 1, 1)
			},
			age:      365 * day,
			wantT:    "k-3 k-4",
			wantHeld: 2,
		},
		{
			name: "a group that never committed holds its topic",
			setup: func(t *testing.T, b *Bus) {
				publish(t, b, "t", "k", 1, 2)
				boom := errors.New("boom")
				err := b.Consume(context.Background(), "t", "failing", func(context.Context, events.Event) error { return boom })
				if !errors.Is(err, boom) {
					t.Fatalf("err = %v", err)
				}
				publish(t, b, "u", "k", 1, 1)
			},
			age:      30 * day,
			wantT:    "k-1 k-2",
			wantHeld: 2,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newClock()
			b := openRetained(t, filepath.Join(t.TempDir(), "events.db"), Retention{MaxAge: 7 * day}, c, &logBuffer{})
			tc.setup(t, b)
			c.Advance(tc.age)
			p := prune(t, b)
			if got := remaining(t, b, "t"); got != tc.wantT {
				t.Errorf("topic t keeps %q, want %q", got, tc.wantT)
			}
			if got := remaining(t, b, "u"); got != tc.wantU {
				t.Errorf("topic u keeps %q, want %q", got, tc.wantU)
			}
			if p.Held != tc.wantHeld {
				t.Errorf("held %d, want %d", p.Held, tc.wantHeld)
			}
		})
	}
}

func TestRetentionBySizeDeletesOldestFirst(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "events.db")
	c := newClock()
	b := openRetained(t, path, Retention{}, c, &logBuffer{})
	// Two topics interleaved: oldest first means by offset, across topics.
	for n := 1; n <= 3; n++ {
		publish(t, b, "a", "ka", n, n)
		publish(t, b, "b", "kb", n, n)
	}
	full := size(t, b)
	if full.Events != 6 || full.OldestOffset != 1 {
		t.Fatalf("size %+v", full)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	// Events of one topic all have the same size here; half the bytes keep
	// the newest three. Open applies the limits once before it returns.
	log := &logBuffer{}
	b = openRetained(t, path, Retention{MaxBytes: full.Bytes / 2}, c, log)
	got := size(t, b)
	if got.Events != 3 || got.Bytes > full.Bytes/2 || got.OldestOffset != 4 {
		t.Fatalf("after open: size %+v, want 3 events from offset 4 within %d bytes", got, full.Bytes/2)
	}
	if a, bb := remaining(t, b, "a"), remaining(t, b, "b"); a != "ka-3" || bb != "kb-2 kb-3" {
		t.Fatalf("kept a %q, b %q", a, bb)
	}
	if out := log.String(); !strings.Contains(out, "level=INFO") || !strings.Contains(out, "deleted_events=3") || !strings.Contains(out, "oldest_offset=4") {
		t.Fatalf("retention logged %q", out)
	}
}

func TestRetentionBySizeKeepsUnacknowledged(t *testing.T) {
	t.Parallel()
	c := newClock()
	log := &logBuffer{}
	b := openRetained(t, filepath.Join(t.TempDir(), "events.db"), Retention{MaxBytes: 1}, c, log)
	publish(t, b, "t", "k", 1, 5)
	ack(t, b, "t", "g", 2)
	p := prune(t, b)
	if p.Events != 2 || p.OverBytes <= 0 {
		t.Fatalf("pruned %+v, want 2 deleted and the rest over the limit", p)
	}
	if got := remaining(t, b, "t"); got != "k-3 k-4 k-5" {
		t.Fatalf("kept %q", got)
	}
	// The group catches up; the next prune may take the rest.
	ack(t, b, "t", "g", 3)
	if p := prune(t, b); p.Events != 3 || p.OverBytes != 0 || size(t, b) != (Size{}) {
		t.Fatalf("pruned %+v, size %+v", p, size(t, b))
	}
}

func TestConsumeAfterPrune(t *testing.T) {
	t.Parallel()
	c := newClock()
	b := openRetained(t, filepath.Join(t.TempDir(), "events.db"), Retention{MaxAge: time.Hour}, c, &logBuffer{})
	publish(t, b, "t", "k", 1, 3)
	first := collect(t, b, "t", "g", 3)
	c.Advance(2 * time.Hour)
	if p := prune(t, b); p.Events != 3 {
		t.Fatalf("pruned %+v", p)
	}
	if s := size(t, b); s.Events != 0 {
		t.Fatalf("size %+v", s)
	}
	publish(t, b, "t", "k", 4, 5)

	// The group resumes after its commit, and offsets go on growing even
	// though every event before them is gone.
	got := collect(t, b, "t", "g", 2)
	if ids(got) != "k-4 k-5" {
		t.Fatalf("group got %q", ids(got))
	}
	if got[0].Offset <= first[2].Offset || got[1].Offset <= got[0].Offset {
		t.Fatalf("offsets %d, %d after %d", got[0].Offset, got[1].Offset, first[2].Offset)
	}
	if s := size(t, b); s.OldestOffset != got[0].Offset || s.Events != 2 {
		t.Fatalf("size %+v", s)
	}
	// A new group starts at the oldest event kept.
	if fresh := collect(t, b, "t", "new", 2); ids(fresh) != "k-4 k-5" {
		t.Fatalf("new group got %q", ids(fresh))
	}
	// And the old group, once acknowledged again, lets the next prune go on.
	c.Advance(2 * time.Hour)
	if p := prune(t, b); p.Events != 2 {
		t.Fatalf("pruned %+v", p)
	}
	publish(t, b, "t", "k", 6, 6)
	if got := collect(t, b, "t", "g", 1); ids(got) != "k-6" {
		t.Fatalf("group got %q", ids(got))
	}
}

func TestRetentionOff(t *testing.T) {
	t.Parallel()
	c := newClock()
	b := openRetained(t, filepath.Join(t.TempDir(), "events.db"), Retention{}, c, &logBuffer{})
	publish(t, b, "t", "k", 1, 3)
	c.Advance(10 * 365 * 24 * time.Hour)
	if p := prune(t, b); p != (Pruned{}) {
		t.Fatalf("pruned %+v with no limits", p)
	}
	if s := size(t, b); s.Events != 3 {
		t.Fatalf("size %+v", s)
	}
}

func TestRetentionValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		r    Retention
		want string
	}{
		{name: "off", r: Retention{}},
		{name: "both limits", r: Retention{MaxAge: time.Hour, MaxBytes: 1 << 20, Interval: time.Minute}},
		{name: "negative age", r: Retention{MaxAge: -time.Hour}, want: "max age -1h0m0s is negative"},
		{name: "negative bytes", r: Retention{MaxBytes: -1}, want: "max bytes -1 is negative"},
		{name: "negative interval", r: Retention{MaxAge: time.Hour, Interval: -time.Second}, want: "interval -1s is negative"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b, err := OpenWith(context.Background(), filepath.Join(t.TempDir(), "events.db"), Options{Retention: tc.r})
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				_ = b.Close()
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestOpenWithSynchronous(t *testing.T) {
	t.Parallel()
	b, err := OpenWith(context.Background(), filepath.Join(t.TempDir(), "events.db"), Options{SQLite: sqlite.Options{Synchronous: sqlite.SynchronousFull}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var got int
	if err := b.db.QueryRow(`PRAGMA synchronous`).Scan(&got); err != nil || got != 2 {
		t.Fatalf("PRAGMA synchronous = %d (%v), want 2 (FULL)", got, err)
	}
}

func TestMigrationAgesExistingEventsByTheirTime(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "events.db")
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlite.Migrate(context.Background(), db, migrations[:1]); err != nil {
		t.Fatal(err)
	}
	at := newClock().Now()
	if _, err := db.Exec(`INSERT INTO events (id, topic, key, type, time, payload) VALUES ('old', 't', 'k', 'x', ?, '{}'), ('new', 't', 'k', 'x', ?, '{}')`,
		at.Add(-48*time.Hour).UnixNano(), at.UnixNano()); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	b := openRetained(t, path, Retention{MaxAge: 24 * time.Hour}, newClock(), &logBuffer{})
	if got := remaining(t, b, "t"); got != "new" {
		t.Fatalf("kept %q", got)
	}
}

func TestPruneInBatches(t *testing.T) {
	t.Parallel()
	total := 2*PruneBatch + 3
	for _, tc := range []struct {
		name string
		r    Retention
	}{
		{name: "by age", r: Retention{MaxAge: time.Hour}},
		{name: "by size", r: Retention{MaxBytes: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newClock()
			b := openRetained(t, filepath.Join(t.TempDir(), "events.db"), tc.r, c, &logBuffer{})
			evs := make([]events.Event, total)
			for i := range evs {
				evs[i] = event(t, "t", "k", i+1)
			}
			if err := b.Publish(context.Background(), evs...); err != nil {
				t.Fatal(err)
			}
			c.Advance(2 * time.Hour)
			// Every event is over the limit and no group holds any back.
			if p, s := prune(t, b), size(t, b); p.Events != int64(total) || s.Events != 0 {
				t.Fatalf("pruned %+v, kept %+v", p, s)
			}
		})
	}
}
