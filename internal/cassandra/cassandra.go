// Package cassandra opens the Apache Cassandra sessions behind Cinegraph's
// cluster-mode stores (chat messages, viewing history): the keyspace is
// created with the configured replication factor, and consistency, timeouts
// and retries come from config.Cassandra. Migrate applies each store's
// versioned CQL migrations once.
package cassandra

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/gocql/gocql"

	"github.com/cinegraph/cinegraph/internal/config"
)

// keyspaceName keeps keyspace names to what CQL accepts unquoted, so they
// can be spliced into DDL.
var keyspaceName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,47}$`)

// ValidKeyspace reports whether name can be used as a keyspace.
func ValidKeyspace(name string) error {
	if !keyspaceName.MatchString(name) {
		return fmt.Errorf("keyspace name %q: want lower-case letters, digits and underscores, at most 48", name)
	}
	return nil
}

// ddlTimeout bounds schema changes, which wait for the schema to settle
// and are much slower than reads and writes.
const ddlTimeout = time.Minute

// Open creates cfg.Keyspace if needed, applies component's migrations in
// it and returns a session working in it.
func Open(ctx context.Context, cfg config.Cassandra, component string, migrations []Migration) (*gocql.Session, error) {
	if err := ValidKeyspace(cfg.Keyspace); err != nil {
		return nil, err
	}
	if len(cfg.Hosts) == 0 {
		return nil, errors.New("connect cassandra: no hosts configured")
	}
	ddl := cfg
	ddl.Timeout = max(cfg.Timeout, ddlTimeout)
	admin, err := Connect(ddl, "")
	if err != nil {
		return nil, err
	}
	err = createKeyspace(ctx, admin, cfg)
	admin.Close()
	if err != nil {
		return nil, err
	}
	admin, err = Connect(ddl, cfg.Keyspace)
	if err != nil {
		return nil, err
	}
	err = Migrate(ctx, admin, component, migrations)
	admin.Close()
	if err != nil {
		return nil, err
	}
	return Connect(cfg, cfg.Keyspace)
}

// Connect opens a session on cfg's hosts, in keyspace unless it is empty.
func Connect(cfg config.Cassandra, keyspace string) (*gocql.Session, error) {
	cluster, err := clusterConfig(cfg)
	if err != nil {
		return nil, err
	}
	cluster.Keyspace = keyspace
	s, err := cluster.CreateSession()
	if err != nil {
		return nil, fmt.Errorf("connect cassandra at %s: %w", strings.Join(cfg.Hosts, ","), err)
	}
	return s, nil
}

func clusterConfig(cfg config.Cassandra) (*gocql.ClusterConfig, error) {
	cluster := gocql.NewCluster(cfg.Hosts...)
	consistency := "LOCAL_QUORUM"
	if cfg.Consistency != "" {
		consistency = cfg.Consistency
	}
	c, err := parseConsistency(consistency)
	if err != nil {
		return nil, err
	}
	cluster.Consistency = c
	// Lightweight transactions stay in the local data centre when reads
	// and writes do.
	cluster.SerialConsistency = gocql.Serial
	if strings.HasPrefix(strings.ToUpper(consistency), "LOCAL_") {
		cluster.SerialConsistency = gocql.LocalSerial
	}
	if cfg.Timeout > 0 {
		cluster.Timeout = cfg.Timeout
		cluster.ConnectTimeout = cfg.Timeout
		cluster.WriteTimeout = cfg.Timeout
	}
	if cfg.Retries > 0 {
		cluster.RetryPolicy = &gocql.ExponentialBackoffRetryPolicy{NumRetries: cfg.Retries, Min: 50 * time.Millisecond, Max: time.Second}
	}
	if cfg.Username != "" {
		cluster.Authenticator = gocql.PasswordAuthenticator{Username: cfg.Username, Password: cfg.Password}
	}
	cluster.ProtoVersion = 4
	// DDL waits for every node to agree on the schema before returning.
	cluster.MaxWaitSchemaAgreement = time.Minute
	return cluster, nil
}

func parseConsistency(name string) (c gocql.Consistency, err error) {
	// gocql panics on an unknown name; turn that into an error.
	defer func() {
		if recover() != nil {
			err = fmt.Errorf("cassandra consistency %q: unknown level", name)
		}
	}()
	return gocql.ParseConsistency(strings.ToUpper(name)), nil
}

func createKeyspace(ctx context.Context, s *gocql.Session, cfg config.Cassandra) error {
	rf := cfg.ReplicationFactor
	if rf <= 0 {
		rf = 1
	}
	stmt := fmt.Sprintf(`CREATE KEYSPACE IF NOT EXISTS %s WITH replication = {'class': 'SimpleStrategy', 'replication_factor': %d}`, cfg.Keyspace, rf)
	if err := s.Query(stmt).WithContext(ctx).Exec(); err != nil {
		return fmt.Errorf("create keyspace %s: %w", cfg.Keyspace, err)
	}
	return nil
}

// DropKeyspace removes keyspace and everything in it (tests use it to
// clean up their own keyspaces).
func DropKeyspace(ctx context.Context, cfg config.Cassandra, keyspace string) error {
	if err := ValidKeyspace(keyspace); err != nil {
		return err
	}
	cfg.Timeout = max(cfg.Timeout, ddlTimeout)
	s, err := Connect(cfg, "")
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Query(`DROP KEYSPACE IF EXISTS ` + keyspace).WithContext(ctx).Exec(); err != nil {
		return fmt.Errorf("drop keyspace %s: %w", keyspace, err)
	}
	return nil
}

// Ping checks the session's coordinator answers a query.
func Ping(ctx context.Context, s *gocql.Session) error {
	var version string
	if err := s.Query(`SELECT release_version FROM system.local`).WithContext(ctx).Scan(&version); err != nil {
		return fmt.Errorf("ping cassandra: %w", err)
	}
	return nil
}

// Truncate empties tables of cfg.Keyspace, one at a time. TRUNCATE waits
// for every replica to flush, so it runs on a session of its own with the
// schema-change timeout rather than the query timeout.
func Truncate(ctx context.Context, cfg config.Cassandra, tables ...string) error {
	cfg.Timeout = max(cfg.Timeout, ddlTimeout)
	s, err := Connect(cfg, cfg.Keyspace)
	if err != nil {
		return err
	}
	defer s.Close()
	for _, t := range tables {
		if err := s.Query(`TRUNCATE ` + t).WithContext(ctx).Exec(); err != nil {
			return fmt.Errorf("truncate %s: %w", t, err)
		}
	}
	return nil
}
