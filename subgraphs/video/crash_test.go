package video_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/cassandra/cassandratest"
	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/enginetest"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/embedded"
	"github.com/cinegraph/cinegraph/internal/events/kafka"
	"github.com/cinegraph/cinegraph/internal/events/outbox"
	"github.com/cinegraph/cinegraph/subgraphs/video/store/videocassandra"
	"github.com/cinegraph/cinegraph/subgraphs/video/store/videosqlite"
	"github.com/cinegraph/cinegraph/subgraphs/video/store/videostoretest"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

// Environment the crash child reads; the parent sets it.
const (
	crashRoleEnv  = "CINEGRAPH_VIDEO_CRASH_ROLE"      // "embedded" or "cluster"
	crashPathEnv  = "CINEGRAPH_VIDEO_CRASH_PATH"      // SQLite file (embedded)
	crashCassEnv  = "CINEGRAPH_VIDEO_CRASH_CASSANDRA" // config.Cassandra as JSON (cluster)
	committedLine = "committed "
	crashProfile  = videostoretest.Watcher
	crashVideo    = videostoretest.MovieFeature
	crashPosition = 4321
)

// crashEngines is one engine pair the outbox must be safe on.
type crashEngines struct {
	name string
	// env is the child's environment naming its store.
	env func(t *testing.T) []string
	// open opens the store the child wrote to.
	open func(t *testing.T) videoservice.Store
	// bus opens the bus the relay publishes to after the crash.
	bus func(t *testing.T) events.Bus
}

func embeddedEngines(t *testing.T) crashEngines {
	dir := t.TempDir()
	path := filepath.Join(dir, "video.db")
	return crashEngines{
		name: "embedded",
		env:  func(*testing.T) []string { return []string{crashRoleEnv + "=embedded", crashPathEnv + "=" + path} },
		open: func(t *testing.T) videoservice.Store {
			s, err := videosqlite.Open(context.Background(), path)
			if err != nil {
				t.Fatalf("open sqlite store: %v", err)
			}
			return s
		},
		bus: func(t *testing.T) events.Bus {
			b, err := embedded.Open(context.Background(), filepath.Join(dir, "events.db"))
			if err != nil {
				t.Fatalf("open embedded bus: %v", err)
			}
			t.Cleanup(func() { _ = b.Close() })
			return b
		},
	}
}

func clusterEngines(t *testing.T) crashEngines {
	enginetest.Kafka(t)
	cfg := cassandratest.Config(t)
	kcfg := enginetest.Storage(t).Kafka
	prefix := fmt.Sprintf("crash-%d.", time.Now().UnixNano())
	return crashEngines{
		name: "cluster",
		env: func(t *testing.T) []string {
			raw, err := json.Marshal(cfg)
			if err != nil {
				t.Fatal(err)
			}
			return []string{crashRoleEnv + "=cluster", crashCassEnv + "=" + string(raw)}
		},
		open: func(t *testing.T) videoservice.Store {
			s, err := videocassandra.Open(context.Background(), cfg)
			if err != nil {
				t.Fatalf("open cassandra store: %v", err)
			}
			return s
		},
		bus: func(t *testing.T) events.Bus {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			b, err := kafka.Open(ctx, kcfg, kafka.Options{TopicPrefix: prefix})
			if err != nil {
				t.Fatalf("open kafka bus: %v", err)
			}
			t.Cleanup(func() { _ = b.Close() })
			return b
		},
	}
}

// TestCrashBetweenStoreAndBus kills a process that has committed a
// playback progress report but not yet published its event, then checks
// that a restarted relay publishes the event exactly once and the progress
// survived.
func TestCrashBetweenStoreAndBus(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	cases := []struct {
		name    string
		engines func(t *testing.T) crashEngines
	}{
		{"embedded SQLite and embedded bus", embeddedEngines},
		{"cluster Cassandra and Kafka", clusterEngines},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			eng := tc.engines(t)
			ctx := context.Background()

			seedCrashStore(t, eng)
			sessionID, eventID := runUntilCommitted(t, eng.env(t))

			// First restart: the real relay drains what the dead process left.
			bus := eng.bus(t)
			store := eng.open(t)
			runRelayUntilEmpty(t, store, bus)
			sessions, err := store.SessionsByIDs(ctx, []string{sessionID})
			if err != nil {
				t.Fatalf("read session after crash: %v", err)
			}
			if len(sessions) != 1 || sessions[0].PositionSeconds != crashPosition {
				t.Fatalf("session %s after crash = %+v, want one at %ds", sessionID, sessions, crashPosition)
			}
			v, found, err := store.ViewingOf(ctx, crashProfile, crashVideo)
			if err != nil {
				t.Fatalf("read viewing after crash: %v", err)
			}
			if !found || v.PositionSeconds != crashPosition {
				t.Fatalf("viewing of %s by %s after crash = %+v (found %v), want %ds", crashVideo, crashProfile, v, found, crashPosition)
			}
			if err := store.Close(); err != nil {
				t.Fatal(err)
			}

			// Second restart: nothing is left to publish.
			store = eng.open(t)
			n, err := outbox.New(store, bus, outbox.Options{}).Flush(ctx)
			if err != nil {
				t.Fatalf("second flush: %v", err)
			}
			if n != 0 {
				t.Errorf("second restart published %d events, want 0", n)
			}
			if err := store.Close(); err != nil {
				t.Fatal(err)
			}

			got := consumeAll(t, bus, events.TopicVideoEvents)
			if len(got) != 1 || got[0].ID != eventID {
				t.Fatalf("bus holds %d events %v, want exactly event %s", len(got), eventIDs(got), eventID)
			}
			if got[0].Type != videoservice.EventProgressReported || got[0].Key != crashVideo {
				t.Errorf("event = type %q key %q, want %q keyed by %s", got[0].Type, got[0].Key, videoservice.EventProgressReported, crashVideo)
			}
			var p videoservice.ProgressPayload
			if err := json.Unmarshal(got[0].Payload, &p); err != nil {
				t.Fatalf("decode payload: %v", err)
			}
			if p.ProfileID != crashProfile || p.PositionSeconds != crashPosition {
				t.Errorf("payload = %+v, want %s at %ds", p, crashProfile, crashPosition)
			}
		})
	}
}

func seedCrashStore(t *testing.T, eng crashEngines) {
	t.Helper()
	store := eng.open(t)
	defer func() { _ = store.Close() }()
	if err := store.Replace(context.Background(), videostoretest.Fixture()); err != nil {
		t.Fatalf("seed store: %v", err)
	}
}

// runUntilCommitted starts the child, waits for its committed line and
// SIGKILLs it there, returning the session and event ids it reported.
func runUntilCommitted(t *testing.T, env []string) (sessionID, eventID string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start child: %v", err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		rest, ok := strings.CutPrefix(line, committedLine)
		if !ok {
			continue
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatalf("kill child: %v", err)
		}
		fields := strings.Fields(rest)
		if len(fields) != 2 {
			t.Fatalf("child line %q: want session and event id", line)
		}
		sessionID, eventID = fields[0], fields[1]
		break
	}
	werr := cmd.Wait()
	if sessionID == "" {
		t.Fatalf("child ended without committing: %v", werr)
	}
	if st, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !st.Signaled() || st.Signal() != syscall.SIGKILL {
		t.Fatalf("child was not killed by SIGKILL: %v", werr)
	}
	return sessionID, eventID
}

// runRelayUntilEmpty runs the real relay until the outbox is empty.
func runRelayUntilEmpty(t *testing.T, store videoservice.Store, bus events.Publisher) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r := outbox.New(store, bus, outbox.Options{})
	done := make(chan struct{})
	runCtx, stop := context.WithCancel(ctx)
	go func() { defer close(done); _ = r.Run(runCtx) }()
	defer func() { stop(); <-done }()
	for {
		pending, err := store.PendingEvents(ctx, 10)
		if err != nil {
			t.Fatalf("read outbox: %v", err)
		}
		if len(pending) == 0 {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("outbox still holds %d events", len(pending))
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// consumeAll reads topic from the start with a fresh group, until it has
// been quiet for a while after the first event.
func consumeAll(t *testing.T, bus events.Bus, topic string) []events.Event {
	t.Helper()
	const quiet = 3 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var (
		mu   sync.Mutex
		got  []events.Event
		last time.Time
	)
	done := make(chan error, 1)
	go func() {
		done <- bus.Consume(ctx, topic, fmt.Sprintf("crash-check-%d", time.Now().UnixNano()), func(_ context.Context, ev events.Event) error {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, ev)
			last = time.Now()
			return nil
		})
	}()
	for {
		mu.Lock()
		settled := len(got) > 0 && time.Since(last) > quiet
		mu.Unlock()
		if settled || ctx.Err() != nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("consume %s: %v", topic, err)
	}
	mu.Lock()
	defer mu.Unlock()
	return append([]events.Event(nil), got...)
}

func eventIDs(evs []events.Event) []string {
	ids := make([]string, len(evs))
	for i, ev := range evs {
		ids[i] = ev.ID
	}
	return ids
}

// blockingPublisher never publishes: it reports the first event it is
// handed and then blocks, as a process would that dies mid-publish.
type blockingPublisher struct{ entered chan events.Event }

func (p blockingPublisher) Publish(ctx context.Context, evs ...events.Event) error {
	select {
	case p.entered <- evs[0]:
	default:
	}
	<-ctx.Done()
	return ctx.Err()
}

// TestHelperProcess is the crash child: it reports playback progress
// through the real service with the relay's publisher blocked, prints the committed line and
// waits to be killed. It does nothing unless started by the crash test.
func TestHelperProcess(t *testing.T) {
	role := os.Getenv(crashRoleEnv)
	if role == "" {
		t.Skip("crash child only")
	}
	ctx := context.Background()
	var (
		store videoservice.Store
		err   error
	)
	switch role {
	case "embedded":
		store, err = videosqlite.Open(ctx, os.Getenv(crashPathEnv))
	case "cluster":
		var cfg config.Cassandra
		if err = json.Unmarshal([]byte(os.Getenv(crashCassEnv)), &cfg); err == nil {
			store, err = videocassandra.Open(ctx, cfg)
		}
	default:
		err = fmt.Errorf("unknown role %q", role)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "crash child:", err)
		os.Exit(2)
	}
	pub := blockingPublisher{entered: make(chan events.Event, 1)}
	rel := outbox.New(store, pub, outbox.Options{})
	go func() { _ = rel.Run(ctx) }()
	svc := videoservice.New(store, videoservice.WithNotify(rel.Wake))
	session, err := svc.StartPlayback(ctx, crashProfile, crashVideo)
	if err != nil {
		fmt.Fprintln(os.Stderr, "crash child: start playback:", err)
		os.Exit(2)
	}
	if _, err := svc.ReportProgress(ctx, crashProfile, session.ID, crashPosition); err != nil {
		fmt.Fprintln(os.Stderr, "crash child: report progress:", err)
		os.Exit(2)
	}
	// The progress is committed and the relay is inside Publish, which will
	// never return: this is the window the kill lands in.
	ev := <-pub.entered
	fmt.Printf("%s%s %s\n", committedLine, session.ID, ev.ID)
	time.Sleep(time.Hour)
}
