package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/trace"

	"github.com/cinegraph/cinegraph/internal/config"
)

func spanContext(t *testing.T) trace.SpanContext {
	t.Helper()
	tid, _ := trace.TraceIDFromHex("4bf92f3577b34da6a3ce929d0e0e4736")
	sid, _ := trace.SpanIDFromHex("00f067aa0ba902b7")
	sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: sid, TraceFlags: trace.FlagsSampled})
	if !sc.IsValid() {
		t.Fatal("span context not valid")
	}
	return sc
}

// TestHandler checks the attributes each kind of context adds, in both
// formats.
func TestHandler(t *testing.T) {
	t.Parallel()
	sc := spanContext(t)
	traced := trace.ContextWithSpanContext(context.Background(), sc)
	withIDs := With(traced, slog.String(KeyRequestID, "r-1"), slog.String(KeyOperation, "Top"))
	tests := []struct {
		name string
		ctx  context.Context
		want map[string]string // attribute -> value; "" means absent
	}{
		{"no context values", context.Background(), map[string]string{KeyTraceID: "", KeySpanID: "", KeyRequestID: "", KeyOperation: ""}},
		{"span only", traced, map[string]string{KeyTraceID: sc.TraceID().String(), KeySpanID: sc.SpanID().String(), KeyRequestID: ""}},
		{"stored only", With(context.Background(), slog.String(KeyRequestID, "r-2")), map[string]string{KeyTraceID: "", KeyRequestID: "r-2"}},
		{"span and stored", withIDs, map[string]string{KeyTraceID: sc.TraceID().String(), KeyRequestID: "r-1", KeyOperation: "Top"}},
		{"a later value replaces", With(withIDs, slog.String(KeyOperation, "Other")), map[string]string{KeyRequestID: "r-1", KeyOperation: "Other"}},
		{"invalid span context", trace.ContextWithSpanContext(context.Background(), trace.SpanContext{}), map[string]string{KeyTraceID: ""}},
	}
	for _, format := range []string{"json", "text"} {
		for _, tc := range tests {
			t.Run(format+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				var buf bytes.Buffer
				logger := New(&buf, config.Log{Level: "info", Format: format}).With("component", "router")
				logger.ErrorContext(tc.ctx, "boom", "error", "x")
				got := fields(t, format, buf.String())
				if got["msg"] != "boom" || got["component"] != "router" || got["error"] != "x" {
					t.Fatalf("own attributes lost: %v", got)
				}
				for k, v := range tc.want {
					if got[k] != v {
						t.Errorf("%s = %q, want %q (line %s)", k, got[k], v, buf.String())
					}
				}
			})
		}
	}
}

// fields reads one line of either format into its attributes.
func fields(t *testing.T, format, line string) map[string]string {
	t.Helper()
	out := map[string]string{}
	if format == "json" {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		for k, v := range m {
			s, _ := v.(string)
			out[k] = s
		}
		return out
	}
	for _, f := range strings.Fields(strings.TrimSpace(line)) {
		k, v, _ := strings.Cut(f, "=")
		out[k] = v
	}
	return out
}

// TestHandlerLevel checks that the wrapper keeps the configured level.
func TestHandlerLevel(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := New(&buf, config.Log{Level: "warn", Format: "text"})
	ctx := With(context.Background(), slog.String(KeyRequestID, "r"))
	logger.InfoContext(ctx, "quiet")
	logger.DebugContext(ctx, "quiet")
	if buf.Len() != 0 {
		t.Fatalf("below the level: %s", buf.String())
	}
	logger.WarnContext(ctx, "loud")
	if !strings.Contains(buf.String(), "request_id=r") {
		t.Fatalf("warn line: %s", buf.String())
	}
}

// TestHandlerCheap checks that a context without attributes costs the
// wrapped handler no allocation.
func TestHandlerCheap(t *testing.T) {
	h := NewHandler(slog.DiscardHandler)
	logger := slog.New(h)
	ctx := context.Background()
	allocs := testing.AllocsPerRun(100, func() {
		logger.InfoContext(ctx, "x")
	})
	if allocs > 0 {
		t.Fatalf("%v allocations per line without attributes", allocs)
	}
}

func TestRequestID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		keep     bool
	}{
		{"uuid", "5f0c6f0e-6c1a-4d8e-9f0a-1b2c3d4e5f60", true},
		{"token", "abc_DEF.1:2/3+4=", true},
		{"empty", "", false},
		{"space", "a b", false},
		{"newline", "a\nlevel=ERROR", false},
		{"quote", `a"b`, false},
		{"too long", strings.Repeat("a", MaxRequestIDLen+1), false},
		{"longest", strings.Repeat("a", MaxRequestIDLen), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := RequestID(tc.in)
			if (got == tc.in) != tc.keep {
				t.Fatalf("RequestID(%q) = %q, keep %v", tc.in, got, tc.keep)
			}
			if !SaneRequestID(got) {
				t.Fatalf("RequestID(%q) = %q, not sane", tc.in, got)
			}
		})
	}
	if a, b := NewRequestID(), NewRequestID(); a == b || len(a) != 32 {
		t.Fatalf("ids %q %q", a, b)
	}
}
