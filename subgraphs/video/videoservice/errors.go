package videoservice

import (
	"errors"
	"regexp"

	"github.com/cinegraph/cinegraph/internal/errs"
)

// ErrSessionNotFound is what stores return when a write names a session
// that does not exist.
var ErrSessionNotFound = errors.New("playback session not found")

// Bounds on list arguments.
const (
	MinFirst = 1
	MaxFirst = 100
)

// Identifier shapes. They bound length too, so oversized input is rejected
// before it reaches a store.
var (
	videoIDPattern   = regexp.MustCompile(`^v-[A-Za-z0-9_-]{1,80}$`)
	sessionIDPattern = regexp.MustCompile(`^ps-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// CheckVideoID rejects a malformed video id in argument field.
func CheckVideoID(field, id string) error {
	if id == "" {
		return errs.Invalid(field, "%s must not be empty", field)
	}
	if !videoIDPattern.MatchString(id) {
		return errs.Invalid(field, "%s is not a video id", field)
	}
	return nil
}

// CheckSessionID rejects a malformed playback session id in argument field.
func CheckSessionID(field, id string) error {
	if id == "" {
		return errs.Invalid(field, "%s must not be empty", field)
	}
	if !sessionIDPattern.MatchString(id) {
		return errs.Invalid(field, "%s is not a playback session id", field)
	}
	return nil
}

// CheckFirst rejects a page size outside MinFirst..MaxFirst.
func CheckFirst(first int) error {
	if first < MinFirst || first > MaxFirst {
		return errs.Invalid("first", "first must be between %d and %d", MinFirst, MaxFirst)
	}
	return nil
}
