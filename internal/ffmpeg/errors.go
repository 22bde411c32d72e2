package ffmpeg

import (
	"errors"
	"fmt"
)

// The kinds of bad input. An InputError wraps exactly one of them, so
// errors.Is(err, ErrTooLong) and the like tell them apart; IsBadInput
// tells all of them from failures of the machine (which a caller reports
// as internal and may retry).
var (
	ErrNotFile  = errors.New("not a local regular file")
	ErrNotVideo = errors.New("not a video file")
	ErrNoVideo  = errors.New("no video stream")
	ErrTooLong  = errors.New("longer than allowed")
	ErrTooLarge = errors.New("larger than allowed")
)

// InputError says why an input was refused. Its message names the kind
// and a detail, never the command line.
type InputError struct {
	Kind   error // one of the Err* kinds above
	Path   string
	Detail string
}

func (e *InputError) Error() string {
	if e.Detail == "" {
		return fmt.Sprintf("ffmpeg: %s: %v", e.Path, e.Kind)
	}
	return fmt.Sprintf("ffmpeg: %s: %v (%s)", e.Path, e.Kind, e.Detail)
}

// Unwrap returns the kind.
func (e *InputError) Unwrap() error { return e.Kind }

// IsBadInput reports whether err refuses the input itself (a caller's
// BAD_USER_INPUT): retrying cannot help.
func IsBadInput(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}

func inputErr(kind error, path, detail string) error {
	return &InputError{Kind: kind, Path: path, Detail: detail}
}
