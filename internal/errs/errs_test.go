package errs

import (
	"errors"
	"fmt"
	"testing"
)

func TestCodeOf(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		err  error
		want Code
	}{
		{"plain error is internal", errors.New("boom"), Internal},
		{"coded", Missing("title", "t1"), NotFound},
		{"wrapped", fmt.Errorf("load: %w", Invalid("first", "must be positive")), BadUserInput},
		{"unknown code is internal", &Error{Code: "TEAPOT"}, Internal},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := CodeOf(tc.err); got != tc.want {
				t.Fatalf("CodeOf = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestErrorKeepsCause(t *testing.T) {
	t.Parallel()
	cause := errors.New("dial tcp: refused")
	err := Unavailablef(cause, "search is unavailable")
	if !errors.Is(err, cause) {
		t.Fatal("cause lost")
	}
	if err.Message != "search is unavailable" {
		t.Fatalf("message %q", err.Message)
	}
}
