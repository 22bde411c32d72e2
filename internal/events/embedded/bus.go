// Package embedded is the event bus Cinegraph uses when no Kafka is
// configured: an append-only log in a local SQLite file, with per-topic
// offsets, consumer groups that commit after processing, and in-process
// listeners woken on publish. It survives restarts, so consumers resume where
// they stopped and nothing published is lost. Retention (retention.go)
// bounds the log by age and size without ever deleting an event a consumer
// group has not acknowledged.
package embedded

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/internal/telemetry"
)

// Tuning of the poll loops.
const (
	// BatchSize is how many events a consumer reads per query.
	BatchSize = 256
	// PollInterval bounds how long a consumer waits without a wake-up, so an
	// event written by another process sharing the file is still seen.
	PollInterval = 500 * time.Millisecond
	// ListenBuffer is the channel capacity of a listener.
	ListenBuffer = 256
	// ListenRetry is the pause before a listener reads again after an error.
	ListenRetry = 200 * time.Millisecond
)

var _ events.Bus = (*Bus)(nil)

var migrations = []string{
	`CREATE TABLE events (
		seq     INTEGER PRIMARY KEY AUTOINCREMENT,
		id      TEXT NOT NULL UNIQUE,
		topic   TEXT NOT NULL,
		key     TEXT NOT NULL,
		type    TEXT NOT NULL,
		time    INTEGER NOT NULL,
		payload BLOB NOT NULL
	);
	CREATE INDEX events_topic_seq ON events (topic, seq);
	CREATE TABLE consumer_offsets (
		topic TEXT NOT NULL,
		grp   TEXT NOT NULL,
		seq   INTEGER NOT NULL,
		PRIMARY KEY (topic, grp)
	);`,
	// appended is the bus's clock when the event was stored, which
	// retention ages by: an event's own time is the publisher's to set.
	`ALTER TABLE events ADD COLUMN appended INTEGER NOT NULL DEFAULT 0;
	UPDATE events SET appended = time;
	CREATE INDEX events_appended ON events (appended);`,
	// headers are an event's trace context (events.Event.Headers) as a
	// JSON object; NULL for events without, as every earlier one is.
	`ALTER TABLE events ADD COLUMN headers BLOB;`,
}

// Options tune a bus beyond its file. The zero value keeps every event,
// opens the file with sqlite's default options and logs to slog.Default().
type Options struct {
	// SQLite are the options the log's database is opened with.
	SQLite sqlite.Options
	// Retention bounds the log; its zero value keeps everything.
	Retention Retention
	// Logger reports what retention deletes.
	Logger *slog.Logger
	// Now is the clock events are appended and aged by; time.Now if nil.
	Now func() time.Time
	// Tracing is the provider of the bus's producer and consumer spans;
	// the process's (telemetry.Current) when nil.
	Tracing *telemetry.Provider
}

// Bus is the SQLite-backed event log.
type Bus struct {
	db        *sql.DB
	retention Retention
	logger    *slog.Logger
	now       func() time.Time
	tracing   *events.Tracing // nil when tracing is off

	mu     sync.Mutex
	wake   chan struct{} // closed and replaced on every publish
	closed bool

	// stop ends the retention loop, which closes done on its way out.
	stop     context.CancelFunc
	done     chan struct{}
	stopOnce sync.Once
}

// Open opens (creating if needed) the log at path, keeping every event.
func Open(ctx context.Context, path string) (*Bus, error) {
	return OpenWith(ctx, path, Options{})
}

// OpenWith opens (creating if needed) the log at path with o. With a
// retention limit set, it applies the limits once before returning and
// then every o.Retention.Interval until Close.
func OpenWith(ctx context.Context, path string, o Options) (*Bus, error) {
	if err := o.Retention.Validate(); err != nil {
		return nil, fmt.Errorf("event log: %w", err)
	}
	db, err := sqlite.OpenWith(path, o.SQLite)
	if err != nil {
		return nil, fmt.Errorf("event log: %w", err)
	}
	if err := sqlite.Migrate(ctx, db, migrations); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("event log: %w", err)
	}
	b := &Bus{db: db, retention: o.Retention, logger: o.Logger, now: o.Now, wake: make(chan struct{}), done: make(chan struct{})}
	b.tracing = events.NewTracing(o.Tracing, events.SystemEmbedded)
	if b.logger == nil {
		b.logger = slog.Default()
	}
	if b.now == nil {
		b.now = time.Now
	}
	if !b.retention.enabled() {
		close(b.done)
		return b, nil
	}
	b.retain(ctx)
	// The loop outlives Open's ctx, which may only bound opening; Close
	// stops it.
	loopCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	b.stop = stop
	go b.retainEvery(loopCtx)
	return b, nil
}

// Publish appends evs in one transaction; an event whose ID is already in
// the log is skipped, which makes retried publishes safe. With tracing on,
// each event is sent in a producer span and carries its trace context.
func (b *Bus) Publish(ctx context.Context, evs ...events.Event) (err error) {
	if len(evs) == 0 {
		return nil
	}
	for _, ev := range evs {
		if err := ev.Validate(); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
	}
	evs, end := b.tracing.Publish(ctx, evs)
	defer func() { end(err) }()
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO events (id, topic, key, type, time, payload, appended, headers) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	defer stmt.Close()
	appended := b.now().UnixNano()
	for _, ev := range evs {
		headers, err := encodeHeaders(ev.Headers)
		if err != nil {
			return fmt.Errorf("publish %s to %s: headers: %w", ev.ID, ev.Topic, err)
		}
		if _, err := stmt.ExecContext(ctx, ev.ID, ev.Topic, ev.Key, ev.Type, ev.Time.UnixNano(), []byte(ev.Payload), appended, headers); err != nil {
			return fmt.Errorf("publish %s to %s: %w", ev.ID, ev.Topic, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	b.notify()
	return nil
}

func (b *Bus) notify() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	close(b.wake)
	b.wake = make(chan struct{})
}

func (b *Bus) waiter() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.wake
}

// Consume delivers topic's events to h for group, committing each event's
// offset after h succeeds, until ctx is done. From its first call on, the
// group holds back retention: no event it has not acknowledged is deleted.
func (b *Bus) Consume(ctx context.Context, topic, group string, h events.Handler) error {
	if topic == "" || group == "" {
		return errors.New("consume: topic and group are required")
	}
	// Registering the group before its first commit keeps retention from
	// deleting what it has yet to process, e.g. while its first event
	// keeps failing.
	if _, err := b.db.ExecContext(ctx, `INSERT INTO consumer_offsets (topic, grp, seq) VALUES (?, ?, 0) ON CONFLICT (topic, grp) DO NOTHING`, topic, group); err != nil {
		return fmt.Errorf("consume %s as %s: %w", topic, group, err)
	}
	var from int64
	err := b.db.QueryRowContext(ctx, `SELECT seq FROM consumer_offsets WHERE topic = ? AND grp = ?`, topic, group).Scan(&from)
	if err != nil {
		return fmt.Errorf("consume %s as %s: %w", topic, group, err)
	}
	lag := events.ConsumerLag(topic, group)
	var end int64 // the topic's last offset, as of the batch in hand
	onBatch := func(batch []events.Event) error {
		if len(batch) < BatchSize {
			// The batch reached the end of the log.
			end = batch[len(batch)-1].Offset
			return nil
		}
		// More are waiting: one indexed look-up says how many.
		return b.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM events WHERE topic = ?`, topic).Scan(&end)
	}
	return b.tail(ctx, topic, from, onBatch, func(ev events.Event) error {
		hctx, done := b.tracing.Process(ctx, group, ev)
		err := h(hctx, ev)
		done(err)
		if err != nil {
			return fmt.Errorf("consume %s as %s: event %s: %w", topic, group, ev.ID, err)
		}
		// The commit must land even if ctx ends while h ran: the event was
		// processed, and skipping the commit would redeliver it.
		_, err = b.db.ExecContext(context.WithoutCancel(ctx), `INSERT INTO consumer_offsets (topic, grp, seq) VALUES (?, ?, ?)
			ON CONFLICT (topic, grp) DO UPDATE SET seq = excluded.seq`, topic, group, ev.Offset)
		if err != nil {
			return fmt.Errorf("commit %s as %s at %d: %w", topic, group, ev.Offset, err)
		}
		lag.Set(float64(max(end-ev.Offset, 0)))
		return nil
	})
}

// Listen streams events published to topic after the call. A listener that
// does not keep up holds back only itself: it reads the log at its own pace.
func (b *Bus) Listen(ctx context.Context, topic string) (<-chan events.Event, error) {
	var last int64
	if err := b.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM events WHERE topic = ?`, topic).Scan(&last); err != nil {
		return nil, fmt.Errorf("listen %s: %w", topic, err)
	}
	out := make(chan events.Event, ListenBuffer)
	go func() {
		defer close(out)
		// A failed read (a locked or briefly unreadable file) must not end
		// the stream: live subscribers would silently stop receiving. Retry
		// from the last delivered event until ctx is done.
		for {
			err := b.tail(ctx, topic, last, nil, func(ev events.Event) error {
				select {
				case out <- ev:
					last = ev.Offset
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
			if err == nil || ctx.Err() != nil {
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(ListenRetry):
			}
		}
	}()
	return out, nil
}

// tail calls deliver for each event of topic after offset from, in order,
// waiting for new ones until ctx is done. onBatch, when not nil, sees each
// non-empty batch read before its events are delivered.
func (b *Bus) tail(ctx context.Context, topic string, from int64, onBatch func([]events.Event) error, deliver func(events.Event) error) error {
	timer := time.NewTimer(PollInterval)
	defer timer.Stop()
	for {
		wake := b.waiter()
		batch, err := b.read(ctx, topic, from)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if onBatch != nil && len(batch) > 0 {
			if err := onBatch(batch); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return fmt.Errorf("read %s: %w", topic, err)
			}
		}
		for _, ev := range batch {
			if err := deliver(ev); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			from = ev.Offset
		}
		if len(batch) == BatchSize {
			continue
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(PollInterval)
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
		case <-timer.C:
		}
	}
}

func (b *Bus) read(ctx context.Context, topic string, after int64) ([]events.Event, error) {
	rows, err := b.db.QueryContext(ctx, `SELECT seq, id, key, type, time, payload, headers FROM events WHERE topic = ? AND seq > ? ORDER BY seq LIMIT ?`, topic, after, BatchSize)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", topic, err)
	}
	defer rows.Close()
	var out []events.Event
	for rows.Next() {
		ev := events.Event{Topic: topic}
		var nanos int64
		var payload, headers []byte
		if err := rows.Scan(&ev.Offset, &ev.ID, &ev.Key, &ev.Type, &nanos, &payload, &headers); err != nil {
			return nil, fmt.Errorf("read %s: %w", topic, err)
		}
		ev.Time = time.Unix(0, nanos).UTC()
		ev.Payload = payload
		if len(headers) > 0 {
			if err := json.Unmarshal(headers, &ev.Headers); err != nil {
				// Lost trace context must not stop the log: the event
				// is delivered without it.
				b.logger.Warn("event log: unreadable headers dropped", "topic", topic, "id", ev.ID, "err", err)
				ev.Headers = nil
			}
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}

// Close stops retention and releases the log. Consumers and listeners
// should be stopped first through their contexts.
func (b *Bus) Close() error {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.stopOnce.Do(func() {
		if b.stop != nil {
			b.stop()
		}
	})
	<-b.done
	return b.db.Close()
}

// encodeHeaders is the headers column of an event: NULL (nil) for none,
// which costs an untraced publish nothing.
func encodeHeaders(h map[string]string) (any, error) {
	if len(h) == 0 {
		return nil, nil
	}
	return json.Marshal(h)
}
