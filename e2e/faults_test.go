package e2e

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/bench/faults"
)

// TestFaults runs the router and every subgraph as separate processes (chat
// twice) under a steady load and injects the faults of bench/faults: the
// video subgraph hung and resumed, a chat instance killed, a broken
// configuration pushed, and the chat instances killed in turn under
// websocket subscribers. It checks what clients saw by counts, never by
// time; `make bench-faults` prints the figures.
func TestFaults(t *testing.T) {
	bin := prepare(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c, err := faults.Start(ctx, faults.Options{Bin: bin, DataParent: t.TempDir(), FetchTimeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const rate, phase = 10, 1500 * time.Millisecond

	t.Run("subgraph hung", func(t *testing.T) {
		rep, err := faults.Hang(ctx, c, "video", "catalog+video", rate, phase)
		if err != nil {
			t.Fatal(err)
		}
		rep.Print(os.Stderr)
		// The default breaker opens after 5 timeouts in a row.
		if rep.CutOffAfter < 0 || rep.CutOffAfter > 7 {
			t.Errorf("the hung subgraph was cut off after %d requests (-1: never), want within 8", rep.CutOffAfter)
		}
		for _, kind := range []string{"catalog", "catalog+chat"} {
			if s := rep.Stats("hung, breaker open", kind); s.Sent == 0 || s.Failed > 0 {
				t.Errorf("%s while video was hung: %s %v, want none failed", kind, s, s.Reasons)
			}
		}
		if s := rep.Stats("hung, breaker open", "catalog+video"); s.Reasons["CIRCUIT_OPEN"] != s.Sent {
			t.Errorf("catalog+video with the breaker open: %s %v, want every one refused by the breaker", s, s.Reasons)
		}
		if rep.Recovered < 0 {
			t.Error("video was not answered again after SIGCONT")
		}
		if s := rep.Stats("resumed", ""); s.Sent == 0 || s.Failed > 0 {
			t.Errorf("after recovery: %s %v, want none failed", s, s.Reasons)
		}
	})

	t.Run("one of two instances killed", func(t *testing.T) {
		rep, err := faults.KillInstance(ctx, c, "chat-2", "catalog+chat", rate, phase)
		if err != nil {
			t.Fatal(err)
		}
		rep.Print(os.Stderr)
		if rep.FailedAfterKill > rep.InFlight {
			t.Errorf("%d requests needing chat failed after the kill, more than the %d in flight", rep.FailedAfterKill, rep.InFlight)
		}
		for _, w := range []string{"both instances", "one instance"} {
			if s := rep.Stats(w, ""); s.Sent == 0 || s.Failed > 0 {
				t.Errorf("%s: %s %v, want none failed", w, s, s.Reasons)
			}
		}
	})

	t.Run("subscription upstream killed", func(t *testing.T) {
		// Phases longer than the breaker's open_for, so that the instance
		// restarted after the first kill is back in rotation by the second.
		rep, err := faults.KillUpstream(ctx, c, 10, rate, 6*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		rep.Print(os.Stderr)
		if rep.Resumes == 0 {
			t.Error("no kill hit the router's upstream subscription")
		}
		if len(rep.Posted) == 0 || rep.Missing+rep.Duplicated+rep.OutOfOrder > 0 || rep.Ended > 0 {
			t.Errorf("clients saw %d missing, %d duplicated, %d out of order of %d messages, and %d subscriptions ended %v; want all once, in order, none ended",
				rep.Missing, rep.Duplicated, rep.OutOfOrder, len(rep.Posted), rep.Ended, rep.Endings)
		}
	})

	t.Run("broken configuration", func(t *testing.T) {
		rep, err := faults.BrokenConfig(ctx, c, rate, phase)
		if err != nil {
			t.Fatal(err)
		}
		rep.Print(os.Stderr)
		if !rep.Refused {
			t.Errorf("the router did not log that it refused the broken configuration:\n%s", c.Process("router").Log())
		}
		if rep.Failed > 0 {
			t.Errorf("%d requests failed while the broken configuration was pushed", rep.Failed)
		}
	})
}
