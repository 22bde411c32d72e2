package catalogservice

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/cinegraph/cinegraph/internal/errs"
)

// Bounds on inputs.
const (
	// DefaultPageSize is the page size when a client names none.
	DefaultPageSize = 20
	// MaxPageSize bounds `first` everywhere.
	MaxPageSize = 100
	// MaxQueryLength bounds a search query, in characters.
	MaxQueryLength = 200
	// MinYear and MaxYear bound release-year filters.
	MinYear = 1870
	MaxYear = 2100
)

var (
	idPattern   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)
	slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)
)

// ValidateID checks that id is well formed; field names the argument.
func ValidateID(field, id string) error {
	if id == "" {
		return errs.Invalid(field, "%s must not be empty", field)
	}
	if !idPattern.MatchString(id) {
		return errs.Invalid(field, "%s %q is malformed: want letters, digits, '-' or '_' (at most 64)", field, truncate(id))
	}
	return nil
}

// ValidateIDs checks every id of a batch.
func ValidateIDs(field string, ids []string) error {
	for _, id := range ids {
		if err := ValidateID(field, id); err != nil {
			return err
		}
	}
	return nil
}

// ValidateSlug checks that a genre slug is well formed.
func ValidateSlug(field, slug string) error {
	if !slugPattern.MatchString(slug) {
		return errs.Invalid(field, "%s %q is malformed: want lower-case letters, digits or '-' (at most 32)", field, truncate(slug))
	}
	return nil
}

// PageSize reads a `first` argument: nil means the default, else 1..100.
func PageSize(field string, first *int) (int, error) {
	if first == nil {
		return DefaultPageSize, nil
	}
	if *first < 1 || *first > MaxPageSize {
		return 0, errs.Invalid(field, "%s must be between 1 and %d, got %d", field, MaxPageSize, *first)
	}
	return *first, nil
}

// validateFilter checks a filter's shape; references are checked by the
// Service against the store.
func validateFilter(f TitleFilter) error {
	if f.Kind != "" && !slices.Contains(Kinds, f.Kind) {
		return errs.Invalid("filter.kind", "unknown kind %q", truncate(f.Kind))
	}
	if len(f.Genres) > 32 {
		return errs.Invalid("filter.genres", "at most 32 genres, got %d", len(f.Genres))
	}
	for _, g := range f.Genres {
		if err := ValidateSlug("filter.genres", g); err != nil {
			return err
		}
	}
	for _, r := range f.MaturityRatings {
		if !slices.Contains(MaturityRatings, r) {
			return errs.Invalid("filter.maturityRatings", "unknown maturity rating %q", truncate(r))
		}
	}
	for field, y := range map[string]int{"filter.releaseYearFrom": f.ReleaseYearFrom, "filter.releaseYearTo": f.ReleaseYearTo} {
		if y != 0 && (y < MinYear || y > MaxYear) {
			return errs.Invalid(field, "%s must be between %d and %d, got %d", field, MinYear, MaxYear, y)
		}
	}
	if f.ReleaseYearFrom != 0 && f.ReleaseYearTo != 0 && f.ReleaseYearFrom > f.ReleaseYearTo {
		return errs.Invalid("filter.releaseYearFrom", "releaseYearFrom %d is after releaseYearTo %d", f.ReleaseYearFrom, f.ReleaseYearTo)
	}
	return nil
}

// normalizeQuery trims a search query and checks its length.
func normalizeQuery(q string) (string, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return "", errs.Invalid("query", "query must not be empty")
	}
	if !utf8.ValidString(q) {
		return "", errs.Invalid("query", "query is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(q); n > MaxQueryLength {
		return "", errs.Invalid("query", "query must be at most %d characters, got %d", MaxQueryLength, n)
	}
	return q, nil
}

// truncate keeps echoed input short in messages.
func truncate(s string) string {
	if len(s) <= 40 {
		return s
	}
	return s[:40] + "…"
}
