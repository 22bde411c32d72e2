package videoservice

import (
	"strings"
	"testing"
)

func TestViewingProgress(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name          string
		position, dur int
		progress      float64
		completed     bool
	}{
		{"not started", 0, 100, 0, false},
		{"half", 50, 100, 0.5, false},
		{"just under completed", 94, 100, 0.94, false},
		{"completed at 95%", 95, 100, 0.95, true},
		{"to the end", 100, 100, 1, true},
		{"zero duration", 0, 0, 0, false},
		{"odd duration boundary", 1710, 1800, 0.95, true},
		{"odd duration below", 1709, 1800, 1709.0 / 1800, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := Viewing{PositionSeconds: tc.position, DurationSeconds: tc.dur}
			if got := v.Progress(); got != tc.progress {
				t.Errorf("progress %v, want %v", got, tc.progress)
			}
			if got := v.Completed(); got != tc.completed {
				t.Errorf("completed %v, want %v", got, tc.completed)
			}
		})
	}
}

func TestRenditionResolution(t *testing.T) {
	t.Parallel()
	if got := (Rendition{Width: 1920, Height: 1080}).Resolution(); got != "1920x1080" {
		t.Fatalf("got %s", got)
	}
}

func TestChecks(t *testing.T) {
	t.Parallel()
	long := "v-" + strings.Repeat("a", 81)
	cases := []struct {
		name  string
		err   error
		valid bool
	}{
		{"video id", CheckVideoID("id", "v-t0001-feature"), true},
		{"episode video id", CheckVideoID("id", "v-t0002-s01e01"), true},
		{"empty video id", CheckVideoID("id", ""), false},
		{"video id without prefix", CheckVideoID("id", "t0001"), false},
		{"video id with spaces", CheckVideoID("id", "v-t0001 feature"), false},
		{"oversized video id", CheckVideoID("id", long), false},
		{"session id", CheckSessionID("sessionId", "ps-0b6c2d3e-1f2a-4b5c-8d9e-0a1b2c3d4e5f"), true},
		{"empty session id", CheckSessionID("sessionId", ""), false},
		{"session id not a uuid", CheckSessionID("sessionId", "ps-123"), false},
		{"first 1", CheckFirst(1), true},
		{"first 100", CheckFirst(100), true},
		{"first 0", CheckFirst(0), false},
		{"first 101", CheckFirst(101), false},
		{"first negative", CheckFirst(-5), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if (tc.err == nil) != tc.valid {
				t.Fatalf("err %v, want valid=%v", tc.err, tc.valid)
			}
		})
	}
}
