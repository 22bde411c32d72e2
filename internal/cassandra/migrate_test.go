package cassandra_test

import (
	"context"
	"slices"
	"testing"

	"github.com/cinegraph/cinegraph/internal/cassandra"
	"github.com/cinegraph/cinegraph/internal/cassandra/cassandratest"
)

func TestOpenMigratesOnce(t *testing.T) {
	cfg := cassandratest.Config(t)
	ctx := context.Background()
	v1 := []cassandra.Migration{{Version: 1, Statements: []string{`CREATE TABLE IF NOT EXISTS things (id text PRIMARY KEY)`}}}
	s, err := cassandra.Open(ctx, cfg, "things", v1)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Query(`INSERT INTO things (id) VALUES ('a')`).Exec(); err != nil {
		t.Fatal(err)
	}
	s.Close()

	// Reopening applies only the new version and keeps the data; a
	// version 1 that would now fail proves it is not run again.
	v2 := []cassandra.Migration{
		{Version: 1, Statements: []string{`CREATE TABLE things (id text PRIMARY KEY)`}},
		{Version: 2, Statements: []string{`ALTER TABLE things ADD note text`}},
	}
	s, err = cassandra.Open(ctx, cfg, "things", v2)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var note *string
	if err := s.Query(`SELECT note FROM things WHERE id = 'a'`).Scan(&note); err != nil {
		t.Fatalf("row after second migration: %v", err)
	}
	var versions []int
	iter := s.Query(`SELECT version FROM schema_migrations WHERE component = 'things'`).Iter()
	var v int
	for iter.Scan(&v) {
		versions = append(versions, v)
	}
	if err := iter.Close(); err != nil || !slices.Equal(versions, []int{1, 2}) {
		t.Fatalf("recorded versions %v, %v; want [1 2]", versions, err)
	}
	if err := cassandra.Migrate(ctx, s, "things", []cassandra.Migration{{Version: 2}, {Version: 1}}); err == nil {
		t.Fatal("decreasing versions accepted")
	}
}
