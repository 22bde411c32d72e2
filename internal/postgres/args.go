package postgres

import (
	"strconv"

	"github.com/cinegraph/cinegraph/internal/inlist"
)

// Args collects positional parameters while a statement is built.
type Args []any

// Add binds v and returns its placeholder: $1, $2, ...
func (a *Args) Add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// Keys returns the keys of a batch read to bind as one array, as in
// "id = ANY($1)": PostgreSQL takes arrays of any length, so there are no
// chunks, and without duplicates the array stays as small as the answer.
// It is never nil, since a nil slice binds as NULL, not as an empty array.
func Keys(keys []string) []string { return inlist.Unique(keys) }
