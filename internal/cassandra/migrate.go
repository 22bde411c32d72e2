package cassandra

import (
	"context"
	"fmt"
	"time"

	"github.com/gocql/gocql"
)

// Migration is one schema version of a store: CQL statements that are safe
// to run twice (CREATE ... IF NOT EXISTS), so a migration interrupted half
// way is simply run again.
type Migration struct {
	Version    int
	Statements []string
}

const migrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	component text,
	version int,
	applied_at timestamp,
	PRIMARY KEY (component, version)
)`

// Migrate applies the migrations of component (e.g. "chat") that the
// keyspace has not recorded yet, in order, recording each once applied.
// Several stores share a keyspace; component keeps their versions apart.
func Migrate(ctx context.Context, s *gocql.Session, component string, migrations []Migration) error {
	if err := s.Query(migrationsTable).WithContext(ctx).Exec(); err != nil {
		return fmt.Errorf("migrate %s: create schema_migrations: %w", component, err)
	}
	applied := map[int]bool{}
	iter := s.Query(`SELECT version FROM schema_migrations WHERE component = ?`, component).WithContext(ctx).Iter()
	var v int
	for iter.Scan(&v) {
		applied[v] = true
	}
	if err := iter.Close(); err != nil {
		return fmt.Errorf("migrate %s: read applied versions: %w", component, err)
	}
	last := 0
	for _, m := range migrations {
		if m.Version <= last {
			return fmt.Errorf("migrate %s: version %d after %d: versions must increase", component, m.Version, last)
		}
		last = m.Version
		if applied[m.Version] {
			continue
		}
		for _, stmt := range m.Statements {
			if err := s.Query(stmt).WithContext(ctx).Exec(); err != nil {
				return fmt.Errorf("migrate %s to version %d: %w", component, m.Version, err)
			}
		}
		if err := s.Query(`INSERT INTO schema_migrations (component, version, applied_at) VALUES (?, ?, ?)`,
			component, m.Version, time.Now().UTC()).WithContext(ctx).Exec(); err != nil {
			return fmt.Errorf("migrate %s: record version %d: %w", component, m.Version, err)
		}
	}
	return nil
}
