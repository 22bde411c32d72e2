package catalogservice

import "github.com/cinegraph/cinegraph/internal/errs"

// ErrUnknownReference is what a store returns (wrapped) when a write names a
// profile or title that does not exist; nothing is written.
var ErrUnknownReference = errs.New(errs.NotFound, "unknown reference")

func invalidf(field, format string, args ...any) error {
	return errs.Invalid(field, format, args...)
}

func missing(kind, id string) error {
	return errs.Missing(kind, id)
}
