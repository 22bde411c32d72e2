package embedded

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cinegraph/cinegraph/internal/sqlite"
)

// Retention bounds the log. Events beyond a limit are deleted oldest
// first, but never one that a consumer group of its topic has not
// acknowledged (committed) yet: a lagging or stopped consumer loses
// nothing, and the log grows past the limits until it catches up.
// Listeners are live streams and hold nothing back.
type Retention struct {
	// MaxAge deletes events appended longer ago; 0 turns it off.
	MaxAge time.Duration
	// MaxBytes bounds the bytes of the events kept (Size.Bytes); 0 turns
	// it off.
	MaxBytes int64
	// Interval is how often the limits are applied after the first time,
	// at open; DefaultRetentionInterval if 0.
	Interval time.Duration
}

// Tuning of retention.
const (
	// DefaultRetentionInterval is Retention.Interval's default.
	DefaultRetentionInterval = 5 * time.Minute
	// PruneBatch bounds the events one transaction deletes, so publishers
	// never wait long for the write lock behind a large prune.
	PruneBatch = 5000
)

// Validate reports limits that make no sense.
func (r Retention) Validate() error {
	var problems []error
	if r.MaxAge < 0 {
		problems = append(problems, fmt.Errorf("retention max age %s is negative", r.MaxAge))
	}
	if r.MaxBytes < 0 {
		problems = append(problems, fmt.Errorf("retention max bytes %d is negative", r.MaxBytes))
	}
	if r.Interval < 0 {
		problems = append(problems, fmt.Errorf("retention interval %s is negative", r.Interval))
	}
	return errors.Join(problems...)
}

func (r Retention) enabled() bool { return r.MaxAge > 0 || r.MaxBytes > 0 }

func (r Retention) interval() time.Duration {
	if r.Interval <= 0 {
		return DefaultRetentionInterval
	}
	return r.Interval
}

// Size is the extent of the log.
type Size struct {
	// Events is the number of events kept.
	Events int64
	// Bytes is their size: ids, topics, keys, types and payloads. The
	// file is larger (indexes, free pages): SQLite reuses the pages
	// retention frees rather than shrinking the file.
	Bytes int64
	// OldestOffset is the offset of the oldest event kept, 0 if none.
	OldestOffset int64
}

// Pruned is what one application of the limits did.
type Pruned struct {
	// Events and Bytes were deleted.
	Events, Bytes int64
	// Held counts the events past MaxAge kept because a consumer group
	// has not acknowledged them.
	Held int64
	// OverBytes is how far the log stays over MaxBytes with events a
	// consumer group has not acknowledged.
	OverBytes int64
}

// eventBytes is an event's size in Size.Bytes.
const eventBytes = `octet_length(events.id) + octet_length(events.topic) + octet_length(events.key) + octet_length(events.type) + octet_length(events.payload) + COALESCE(octet_length(events.headers), 0)`

// acknowledged holds for an event every consumer group of its topic has
// committed: at or before the lowest committed offset (a group registers
// at offset 0 before it commits anything). A topic no group consumes holds
// nothing back.
const acknowledged = `events.seq <= COALESCE((SELECT MIN(o.seq) FROM consumer_offsets o WHERE o.topic = events.topic), 9223372036854775807)`

// Size reports the extent of the log.
func (b *Bus) Size(ctx context.Context) (Size, error) {
	var s Size
	err := b.db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(`+eventBytes+`), 0), COALESCE(MIN(seq), 0) FROM events`).
		Scan(&s.Events, &s.Bytes, &s.OldestOffset)
	if err != nil {
		return Size{}, fmt.Errorf("event log size: %w", err)
	}
	return s, nil
}

// Prune applies the retention limits once: first age, then size, each
// deleting the oldest acknowledged events first, at most PruneBatch per
// transaction.
func (b *Bus) Prune(ctx context.Context) (Pruned, error) {
	var p Pruned
	if r := b.retention; r.MaxAge > 0 {
		cutoff := b.now().Add(-r.MaxAge).UnixNano()
		for {
			// By the appended index: a pass with nothing to delete reads
			// only what is held back.
			found, n, bytes, err := b.pruneBatch(ctx, `events.appended < ?`, `events.appended, events.seq`, []any{cutoff}, 0)
			p.Events, p.Bytes = p.Events+n, p.Bytes+bytes
			if err != nil {
				return p, err
			}
			if found < PruneBatch || n == 0 {
				break
			}
		}
		if err := b.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM events WHERE appended < ?`, cutoff).Scan(&p.Held); err != nil {
			return p, fmt.Errorf("event log retention: %w", err)
		}
	}
	if r := b.retention; r.MaxBytes > 0 {
		size, err := b.Size(ctx)
		if err != nil {
			return p, err
		}
		excess := size.Bytes - r.MaxBytes
		for excess > 0 {
			_, n, bytes, err := b.pruneBatch(ctx, `1`, `events.seq`, nil, excess)
			p.Events, p.Bytes = p.Events+n, p.Bytes+bytes
			if err != nil {
				return p, err
			}
			excess -= bytes
			if n == 0 {
				break
			}
		}
		p.OverBytes = max(excess, 0)
	}
	return p, nil
}

// pruneBatch deletes the oldest acknowledged events that match where, in
// the order given: PruneBatch of them, or when want is positive, as few as
// free want bytes. It returns how many it found and what it deleted.
func (b *Bus) pruneBatch(ctx context.Context, where, order string, args []any, want int64) (found int, n, bytes int64, err error) {
	// The candidates are read without the write lock, so publishers do not
	// wait on the scan; the delete checks again that each one is
	// acknowledged, in case a group registered meanwhile.
	rows, err := b.db.QueryContext(ctx, `SELECT seq, `+eventBytes+` FROM events WHERE `+acknowledged+` AND `+where+` ORDER BY `+order+` LIMIT ?`,
		slices.Concat(args, []any{PruneBatch})...)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("event log retention: %w", err)
	}
	var seqs []any
	var sum int64
	for (want <= 0 || sum < want) && rows.Next() {
		var seq, size int64
		if err := rows.Scan(&seq, &size); err != nil {
			_ = rows.Close()
			return 0, 0, 0, fmt.Errorf("event log retention: %w", err)
		}
		seqs, sum = append(seqs, seq), sum+size
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return 0, 0, 0, fmt.Errorf("event log retention: %w", err)
	}
	if len(seqs) == 0 {
		return 0, 0, 0, nil
	}
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("event log retention: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	for chunk := range slices.Chunk(seqs, sqlite.MaxIn) {
		rows, err := tx.QueryContext(ctx, `DELETE FROM events WHERE seq IN (`+sqlite.Placeholders(len(chunk))+`) AND `+acknowledged+` RETURNING `+eventBytes, chunk...)
		if err != nil {
			return 0, 0, 0, fmt.Errorf("event log retention: %w", err)
		}
		for rows.Next() {
			var size int64
			if err := rows.Scan(&size); err != nil {
				_ = rows.Close()
				return 0, 0, 0, fmt.Errorf("event log retention: %w", err)
			}
			n, bytes = n+1, bytes+size
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return 0, 0, 0, fmt.Errorf("event log retention: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, 0, fmt.Errorf("event log retention: %w", err)
	}
	return len(seqs), n, bytes, nil
}

// retain applies the limits once and logs what that did.
func (b *Bus) retain(ctx context.Context) {
	p, err := b.Prune(ctx)
	if err != nil {
		if ctx.Err() == nil {
			b.logger.Warn("event log retention failed", "err", err, "deleted_events", p.Events)
		}
		return
	}
	if p.Held > 0 || p.OverBytes > 0 {
		b.logger.Warn("event log over its retention limits: consumer groups have not acknowledged the rest",
			"held_past_max_age", p.Held, "bytes_over_max_bytes", p.OverBytes)
	}
	if p.Events == 0 {
		return
	}
	size, err := b.Size(ctx)
	if err != nil {
		b.logger.Warn("event log retention", "deleted_events", p.Events, "deleted_bytes", p.Bytes, "err", err)
		return
	}
	b.logger.Info("event log retention", "deleted_events", p.Events, "deleted_bytes", p.Bytes,
		"events", size.Events, "bytes", size.Bytes, "oldest_offset", size.OldestOffset)
}

// retainEvery applies the limits every interval until ctx is done.
func (b *Bus) retainEvery(ctx context.Context) {
	defer close(b.done)
	t := time.NewTicker(b.retention.interval())
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			b.retain(ctx)
		}
	}
}
