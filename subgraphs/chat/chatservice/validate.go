package chatservice

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cinegraph/cinegraph/internal/errs"
)

// Limits on input.
const (
	// MaxFirst bounds every page size.
	MaxFirst = 100
	// MaxBodyRunes bounds a message body, counted in characters after
	// trimming.
	MaxBodyRunes = 1000
)

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$`)

// ValidID reports whether s has the shape of a chat, title or profile id.
func ValidID(s string) bool { return idPattern.MatchString(s) }

func checkID(field, s string) error {
	if s == "" {
		return errs.Invalid(field, "%s must not be empty", field)
	}
	if !ValidID(s) {
		return errs.Invalid(field, "%s is malformed: want letters, digits, '-' or '_' (at most 128)", field)
	}
	return nil
}

func checkFirst(field string, first int) error {
	if first < 1 || first > MaxFirst {
		return errs.Invalid(field, "%s must be between 1 and %d, got %d", field, MaxFirst, first)
	}
	return nil
}

// NormalizeBody trims body and checks it is 1..MaxBodyRunes characters of
// valid UTF-8 with no control characters other than newline. Windows line
// ends become newlines first, since text areas send them.
func NormalizeBody(body string) (string, error) {
	if !utf8.ValidString(body) {
		return "", errs.Invalid("body", "body is not valid UTF-8")
	}
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	if body == "" {
		return "", errs.Invalid("body", "body must not be empty")
	}
	if n := utf8.RuneCountInString(body); n > MaxBodyRunes {
		return "", errs.Invalid("body", "body must be at most %d characters, got %d", MaxBodyRunes, n)
	}
	for _, r := range body {
		if r != '\n' && unicode.IsControl(r) {
			return "", errs.Invalid("body", "body must not contain control characters (found %U)", r)
		}
	}
	return body, nil
}
