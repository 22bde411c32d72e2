// Package postgres opens the PostgreSQL connection pools behind Cinegraph's
// cluster-mode stores: one pool per store, confined to the store's own
// schema through search_path, with versioned SQL migrations applied once
// each at open, and helps the stores build statements: positional
// parameters and the key arrays of batch reads.
package postgres

import (
	"context"
	"fmt"
	"regexp"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cinegraph/cinegraph/internal/config"
)

// schemaName keeps schema names to plain identifiers, so they can be
// spliced into DDL and search_path without quoting surprises.
var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// ValidSchema reports whether name can be used as a store's schema.
func ValidSchema(name string) error {
	if !schemaName.MatchString(name) {
		return fmt.Errorf("schema name %q: want lower-case letters, digits and underscores", name)
	}
	return nil
}

// Open connects a pool whose sessions all work in schema, creating the
// schema if needed, and checks the server answers.
func Open(ctx context.Context, cfg config.Postgres, schema string) (*pgxpool.Pool, error) {
	if err := ValidSchema(schema); err != nil {
		return nil, err
	}
	pcfg, err := pgxpool.ParseConfig(cfg.DSN)
	if err != nil {
		// The DSN carries a password: never echo it.
		return nil, fmt.Errorf("parse postgres dsn: invalid connection string")
	}
	if cfg.MaxConns > 0 {
		pcfg.MaxConns = cfg.MaxConns
	}
	// Unqualified table names in the stores' SQL resolve to their schema.
	pcfg.ConnConfig.RuntimeParams["search_path"] = schema
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("connect postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect postgres at %s:%d: %w", pcfg.ConnConfig.Host, pcfg.ConnConfig.Port, err)
	}
	if err := ensureSchema(ctx, pool, schema); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

// ensureSchema creates schema under the migration lock, since concurrent
// CREATE SCHEMA IF NOT EXISTS can still collide on the catalog's unique key.
func ensureSchema(ctx context.Context, pool *pgxpool.Pool, schema string) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if err := lock(ctx, tx, schema); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+schema); err != nil {
			return fmt.Errorf("create schema %s: %w", schema, err)
		}
		return nil
	})
}

// DropSchema removes schema and everything in it; tests use it to clean up
// the schema they opened a store in.
func DropSchema(ctx context.Context, cfg config.Postgres, schema string) error {
	if err := ValidSchema(schema); err != nil {
		return err
	}
	conn, err := pgx.Connect(ctx, cfg.DSN)
	if err != nil {
		return fmt.Errorf("drop schema %s: %w", schema, err)
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	if _, err := conn.Exec(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE`); err != nil {
		return fmt.Errorf("drop schema %s: %w", schema, err)
	}
	return nil
}

// lock serialises schema creation and migrations of one schema across
// processes (replicas starting together) until tx ends.
func lock(ctx context.Context, tx pgx.Tx, schema string) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('cinegraph.migrate.' || $1))`, schema); err != nil {
		return fmt.Errorf("lock schema %s: %w", schema, err)
	}
	return nil
}
