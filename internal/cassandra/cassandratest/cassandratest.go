// Package cassandratest gives tests a Cassandra keyspace of their own: a
// fresh name per call, dropped when the test ends, on the engine that
// `make services-up` starts (see internal/enginetest for when a missing
// engine fails rather than skips).
package cassandratest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/cassandra"
	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/enginetest"
)

// Config returns the engine settings with a new, unique keyspace that is
// dropped when t ends.
func Config(t testing.TB) config.Cassandra {
	t.Helper()
	enginetest.Cassandra(t)
	cfg := enginetest.Storage(t).Cassandra
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	cfg.Keyspace = "cgtest_" + hex.EncodeToString(b[:])
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := cassandra.DropKeyspace(ctx, cfg, cfg.Keyspace); err != nil {
			t.Errorf("drop test keyspace: %v", err)
		}
	})
	return cfg
}
