package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/cinegraph/cinegraph/internal/inlist"
)

// MaxIn bounds the keys bound into one IN (...) list, well under SQLite's
// limit on variables per statement.
const MaxIn = 500

// Querier is what both *sql.DB and *sql.Tx offer for reads.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Execer is what both *sql.DB and *sql.Tx offer for writes.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Chunks returns keys without duplicates, split into IN lists of at most
// MaxIn. Removing duplicates first keeps a key asked for twice from being
// read (and counted) twice when its copies would fall in different chunks.
func Chunks(keys []string) [][]string { return inlist.Chunks(keys, MaxIn) }

// Placeholders returns "?,?,?" for n values.
func Placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// Args returns keys as statement arguments.
func Args(keys []string) []any {
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = k
	}
	return out
}

// QueryIn runs query once per chunk of keys (see Chunks), with the chunk's
// placeholders in place of its one %s, handing every row to scan.
func QueryIn(ctx context.Context, q Querier, query string, keys []string, scan func(*sql.Rows) error) error {
	for _, chunk := range Chunks(keys) {
		if err := queryChunk(ctx, q, fmt.Sprintf(query, Placeholders(len(chunk))), Args(chunk), scan); err != nil {
			return err
		}
	}
	return nil
}

func queryChunk(ctx context.Context, q Querier, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return rows.Close()
}

// ExecIn runs statement once per chunk of keys (see Chunks), with the
// chunk's placeholders in place of its one %s, and reports the rows
// affected in all.
func ExecIn(ctx context.Context, e Execer, statement string, keys []string) (int64, error) {
	var total int64
	for _, chunk := range Chunks(keys) {
		res, err := e.ExecContext(ctx, fmt.Sprintf(statement, Placeholders(len(chunk))), Args(chunk)...)
		if err != nil {
			return total, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}
