// Package errs defines Cinegraph's closed set of error codes and the error
// type domain packages return, so that every GraphQL error a client sees
// carries one of these codes in extensions.code.
package errs

import (
	"errors"
	"fmt"
)

// Code is one of the closed set of codes a client can see.
type Code string

// The closed set. Anything that is not one of these is reported as Internal
// with a generic message.
const (
	BadUserInput    Code = "BAD_USER_INPUT"
	NotFound        Code = "NOT_FOUND"
	Unauthenticated Code = "UNAUTHENTICATED"
	Forbidden       Code = "FORBIDDEN"
	Unavailable     Code = "UNAVAILABLE"
	Internal        Code = "INTERNAL"
	// RateLimited: the client went over a rate limit (extensions.limit
	// names it); it may retry after extensions.retryAfter seconds, which
	// HTTP also sends as Retry-After with status 429.
	RateLimited Code = "RATE_LIMITED"

	// PersistedQueryNotFound and PersistedQueryNotSupported belong to the
	// automatic persisted queries protocol rather than to any domain:
	// Apollo Client's PersistedQueryLink reads them to resend the full
	// document (not found) or to stop sending hashes (not supported).
	PersistedQueryNotFound     Code = "PERSISTED_QUERY_NOT_FOUND"
	PersistedQueryNotSupported Code = "PERSISTED_QUERY_NOT_SUPPORTED"
)

// Codes lists the closed set, in a stable order.
var Codes = []Code{BadUserInput, NotFound, Unauthenticated, Forbidden, Unavailable, Internal, RateLimited, PersistedQueryNotFound, PersistedQueryNotSupported}

// Valid reports whether c belongs to the closed set.
func (c Code) Valid() bool {
	for _, known := range Codes {
		if c == known {
			return true
		}
	}
	return false
}

// Error is a failure meant for the client: its Message is safe to show.
type Error struct {
	Code    Code
	Message string
	// Field names the argument or input field at fault, for BAD_USER_INPUT.
	Field string
	// Err is the cause, kept for logs and errors.Is; never shown to clients.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error with the given code and client-safe message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid reports bad input in one argument or input field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: BadUserInput, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Missing reports that the thing named does not exist.
func Missing(kind, id string) *Error {
	return &Error{Code: NotFound, Message: fmt.Sprintf("%s %q not found", kind, id)}
}

// Unavailablef reports a dependency that cannot serve now; cause is kept for logs.
func Unavailablef(cause error, format string, args ...any) *Error {
	return &Error{Code: Unavailable, Message: fmt.Sprintf(format, args...), Err: cause}
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// CodeOf returns err's code, or Internal when err carries none.
func CodeOf(err error) Code {
	if e, ok := As(err); ok && e.Code.Valid() {
		return e.Code
	}
	return Internal
}
