package config

import (
	"slices"
	"time"
)

// SQLite configures how embedded SQLite databases are opened.
type SQLite struct {
	// Synchronous is normal (with WAL, a power loss may lose the last
	// transactions committed before it but never corrupts a database) or
	// full (every commit survives a power loss; each one waits for an
	// fsync).
	Synchronous string `koanf:"synchronous" yaml:"synchronous"`
}

// Events configures the embedded event bus.
type Events struct {
	// Retention bounds the embedded event log's history.
	Retention EventRetention `koanf:"retention" yaml:"retention"`
}

// EventRetention bounds the embedded event log. Events over a limit are
// deleted oldest first, but never one that a consumer group has not
// acknowledged yet. Kafka keeps its own retention in cluster mode.
type EventRetention struct {
	// MaxAge deletes events appended longer ago; 0 keeps them whatever
	// their age.
	MaxAge time.Duration `koanf:"max_age" yaml:"max_age"`
	// MaxBytes bounds the bytes of the events kept (payloads, ids, topics,
	// keys and types); 0 is no bound.
	MaxBytes int64 `koanf:"max_bytes" yaml:"max_bytes"`
	// Interval is how often the limits are applied, besides once at start.
	Interval time.Duration `koanf:"interval" yaml:"interval"`
}

// Defaults of the embedded engines.
const (
	// DefaultSQLiteSynchronous favours write throughput: with WAL, normal
	// never corrupts, and a crash of the process alone loses nothing.
	DefaultSQLiteSynchronous = "normal"
	// DefaultEventMaxAge is a week: long enough for a consumer to be down
	// over a weekend and still catch up on an unacknowledged backlog
	// (which is kept anyway), short enough that the log stays small.
	DefaultEventMaxAge = 7 * 24 * time.Hour
	// DefaultEventMaxBytes is generous for a single-machine deployment;
	// the age limit normally applies first.
	DefaultEventMaxBytes = 1 << 30
	// DefaultEventRetentionInterval applies the limits every few minutes;
	// a pass reads the log's sizes once and deletes in short transactions.
	DefaultEventRetentionInterval = 5 * time.Minute
)

func defaultSQLite() SQLite { return SQLite{Synchronous: DefaultSQLiteSynchronous} }

func defaultEvents() Events {
	return Events{Retention: EventRetention{
		MaxAge: DefaultEventMaxAge, MaxBytes: DefaultEventMaxBytes, Interval: DefaultEventRetentionInterval,
	}}
}

func (s SQLite) problems(check func(ok bool, format string, args ...any)) {
	check(slices.Contains([]string{"normal", "full"}, s.Synchronous), "storage.sqlite.synchronous: %q is not one of normal, full", s.Synchronous)
}

func (e Events) problems(check func(ok bool, format string, args ...any)) {
	r := e.Retention
	check(r.MaxAge >= 0, "events.retention.max_age: must not be negative (0 keeps events whatever their age), got %s", r.MaxAge)
	check(r.MaxBytes >= 0, "events.retention.max_bytes: must not be negative (0 is no bound), got %d", r.MaxBytes)
	check(r.Interval > 0, "events.retention.interval: must be positive, got %s", r.Interval)
}
