// Package catalogpostgres is the catalog's cluster-mode Store on PostgreSQL
// (pgx/pgxpool): titles, people, genres, credits, seasons and episodes,
// profiles, My List and the event outbox in one schema, migrated at open.
// Batch reads bind a whole page of keys as one array parameter, and a
// catalog replacement streams rows in with COPY inside one transaction.
package catalogpostgres

import (
	"context"
	"embed"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/postgres"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
)

// DefaultSchema is the schema the catalog lives in unless told otherwise.
const DefaultSchema = "catalog"

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store implements catalogservice.Store on PostgreSQL.
type Store struct {
	pool   *pgxpool.Pool
	schema string
}

var _ catalogservice.Store = (*Store)(nil)

// Option adjusts Open.
type Option func(*options)

type options struct {
	schema string
}

// WithSchema keeps the catalog's tables in schema instead of DefaultSchema
// (tests use a fresh schema each).
func WithSchema(schema string) Option {
	return func(o *options) { o.schema = schema }
}

// Open connects to cfg's database and migrates the catalog schema.
func Open(ctx context.Context, cfg config.Postgres, opts ...Option) (*Store, error) {
	o := options{schema: DefaultSchema}
	for _, opt := range opts {
		opt(&o)
	}
	migrations, err := postgres.LoadMigrations(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("open catalog store: %w", err)
	}
	pool, err := postgres.Open(ctx, cfg, o.schema)
	if err != nil {
		return nil, fmt.Errorf("open catalog store: %w", err)
	}
	if err := postgres.Migrate(ctx, pool, o.schema, migrations); err != nil {
		pool.Close()
		return nil, fmt.Errorf("migrate catalog store: %w", err)
	}
	return &Store{pool: pool, schema: o.schema}, nil
}

// Schema names the schema the store works in.
func (s *Store) Schema() string { return s.schema }

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("ping catalog store: %w", err)
	}
	return nil
}

// Close closes the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Version returns the catalog content version.
func (s *Store) Version(ctx context.Context) (int64, error) {
	var v int64
	if err := s.pool.QueryRow(ctx, `SELECT value FROM catalog_meta WHERE key = 'version'`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read catalog version: %w", err)
	}
	return v, nil
}
