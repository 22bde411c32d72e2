package gqlserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/cinegraph/cinegraph/internal/errs"
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
