// Package insightspostgres is the insights subgraph's cluster-mode Store on
// PostgreSQL (pgx/pgxpool): message scores, frame detections and views in
// one schema, migrated at open. Batch reads bind all keys as one array
// parameter and batch writes send whole slices as arrays through unnest, so
// every call is one statement whatever its size.
package insightspostgres

import (
	"context"
	"embed"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/postgres"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
)

// DefaultSchema is the schema insights live in unless told otherwise.
const DefaultSchema = "insights"

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store implements insightsservice.Store on PostgreSQL.
type Store struct {
	pool   *pgxpool.Pool
	schema string
}

var _ insightsservice.Store = (*Store)(nil)

// Option adjusts Open.
type Option func(*options)

type options struct {
	schema string
}

// WithSchema keeps the tables in schema instead of DefaultSchema (tests use
// a fresh schema each).
func WithSchema(schema string) Option {
	return func(o *options) { o.schema = schema }
}

// Open connects to cfg's database and migrates the insights schema.
func Open(ctx context.Context, cfg config.Postgres, opts ...Option) (*Store, error) {
	o := options{schema: DefaultSchema}
	for _, opt := range opts {
		opt(&o)
	}
	migrations, err := postgres.LoadMigrations(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("open insights store: %w", err)
	}
	pool, err := postgres.Open(ctx, cfg, o.schema)
	if err != nil {
		return nil, fmt.Errorf("open insights store: %w", err)
	}
	if err := postgres.Migrate(ctx, pool, o.schema, migrations); err != nil {
		pool.Close()
		return nil, fmt.Errorf("migrate insights store: %w", err)
	}
	return &Store{pool: pool, schema: o.schema}, nil
}

// Schema names the schema the store works in.
func (s *Store) Schema() string { return s.schema }

// Ping implements insightsservice.Store.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("ping insights store: %w", err)
	}
	return nil
}

// Close implements insightsservice.Store.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Empty implements insightsservice.Store.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	var found bool
	err := s.pool.QueryRow(ctx, `SELECT
		EXISTS (SELECT 1 FROM message_scores) OR EXISTS (SELECT 1 FROM detections) OR EXISTS (SELECT 1 FROM views)`).Scan(&found)
	if err != nil {
		return false, fmt.Errorf("check insights store is empty: %w", err)
	}
	return !found, nil
}
