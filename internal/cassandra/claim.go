package cassandra

import (
	"context"

	"github.com/gocql/gocql"
)

// Claim runs q, an INSERT ... IF NOT EXISTS that writes token (a timeuuid
// fresh for this claim) into column, and reports whether the row is ours.
// The driver retries a query whose answer timed out; when the first try
// was applied, the retry finds the row already there. The token tells that
// row, ours, from one someone else wrote.
func Claim(ctx context.Context, q *gocql.Query, column string, token gocql.UUID) (bool, error) {
	existing := map[string]any{}
	applied, err := q.WithContext(ctx).MapScanCAS(existing)
	if err != nil {
		return false, err
	}
	if applied {
		return true, nil
	}
	got, ok := existing[column].(gocql.UUID)
	return ok && got == token, nil
}
