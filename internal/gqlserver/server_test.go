package gqlserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/internal/logging"
)

func TestPresenter(t *testing.T) {
	t.Parallel()
	present := Presenter(slog.New(slog.NewTextHandler(io.Discard, nil)))
	cases := []struct {
		name        string
		err         error
		wantCode    string
		wantMessage string
	}{
		{"coded keeps message", errs.Missing("title", "t9"), "NOT_FOUND", `title "t9" not found`},
		{"wrapped coded", fmt.Errorf("resolve: %w", errs.Invalid("first", "first must be between 1 and 100")), "BAD_USER_INPUT", "first must be between 1 and 100"},
		{"unknown hides detail", errors.New("pq: relation titles does not exist"), "INTERNAL", "internal error"},
		{"validation error", gqlerror.Errorf("Cannot query field \"nope\" on type \"Query\"."), "BAD_USER_INPUT", "Cannot query field \"nope\" on type \"Query\"."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := present(context.Background(), tc.err)
			if got.Extensions["code"] != tc.wantCode {
				t.Fatalf("code %v, want %s", got.Extensions["code"], tc.wantCode)
			}
			if got.Message != tc.wantMessage {
				t.Fatalf("message %q, want %q", got.Message, tc.wantMessage)
			}
		})
	}
}

func TestRecover(t *testing.T) {
	t.Parallel()
	err := Recover(slog.New(slog.NewTextHandler(io.Discard, nil)))(context.Background(), "nil map")
	if errs.CodeOf(err) != errs.Internal {
		t.Fatalf("code %s", errs.CodeOf(err))
	}
}

// TestPresenterLogLevel: a failure is logged as an error, unless the
// request's caller went away first (the router cancelled the fetch), when
// it is logged at debug level only. Either way the client sees the same.
func TestPresenterLogLevel(t *testing.T) {
	t.Parallel()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	deadline, stop := context.WithTimeout(context.Background(), 0)
	defer stop()
	<-deadline.Done()
	cases := []struct {
		name      string
		ctx       context.Context
		err       error
		wantLevel string // "" means nothing logged
	}{
		{"internal error", context.Background(), &errs.Error{Code: errs.Internal, Message: "load", Err: errors.New("pq: broken")}, "ERROR"},
		{"unknown error", context.Background(), errors.New("pq: broken"), "ERROR"},
		{"client gone, coded", cancelled, errs.Unavailablef(context.Canceled, "catalog is unavailable"), "DEBUG"},
		{"client gone, uncoded", cancelled, fmt.Errorf("query: %w", context.Canceled), "DEBUG"},
		{"deadline is still an error", deadline, fmt.Errorf("query: %w", context.DeadlineExceeded), "ERROR"},
		{"coded user error", context.Background(), errs.Missing("title", "t9"), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			present := Presenter(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
			present(tc.ctx, tc.err)
			got := ""
			if _, rest, ok := strings.Cut(buf.String(), "level="); ok {
				got, _, _ = strings.Cut(rest, " ")
			}
			if got != tc.wantLevel {
				t.Fatalf("logged at %q, want %q: %s", got, tc.wantLevel, buf.String())
			}
		})
	}
}

// TestRequestIDInLogs: the request id the router forwards names the
// subgraph's log lines for the request, when it is a sane token.
func TestRequestIDInLogs(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, sent, want string
	}{
		{"forwarded", "req-42", "req-42"},
		{"none", "", ""},
		{"not a token", "a b", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			logger := slog.New(logging.NewHandler(slog.NewJSONHandler(&buf, nil)))
			h := withRequestID(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
				logger.InfoContext(r.Context(), "resolving")
			}))
			req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
			if tc.sent != "" {
				req.Header.Set("X-Request-Id", tc.sent)
			}
			h.ServeHTTP(httptest.NewRecorder(), req)
			var line map[string]any
			if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
				t.Fatal(err)
			}
			if got, _ := line["request_id"].(string); got != tc.want {
				t.Fatalf("request_id %q, want %q", got, tc.want)
			}
		})
	}
}
