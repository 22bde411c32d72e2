// Package enginetest gives tests the addresses of the real engines that
// `make services-up` starts (PostgreSQL, Redis, Cassandra, Elasticsearch,
// Kafka, and Zipkin for traces). An engine that does not answer fails the test under CI=true or
// CINEGRAPH_REQUIRE_ENGINES=1, so a missing server can never pass silently;
// elsewhere the test is skipped with a message saying how to start it.
package enginetest

import (
	"net"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/config"
)

// DialTimeout bounds the reachability probe.
const DialTimeout = 2 * time.Second

// Required reports whether a missing engine must fail the run.
func Required() bool {
	return os.Getenv("CI") == "true" || os.Getenv("CINEGRAPH_REQUIRE_ENGINES") == "1"
}

// Storage returns the engine settings tests use: the defaults that
// deploy/local starts, overridden by CINEGRAPH_STORAGE_* variables.
func Storage(t testing.TB) config.Storage {
	t.Helper()
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, config.EnvPrefix+"STORAGE_") {
			env = append(env, kv)
		}
	}
	cfg, err := config.Load("", env)
	if err != nil {
		t.Fatalf("engine settings: %v", err)
	}
	return cfg.Storage
}

// Postgres returns the DSN of a reachable PostgreSQL.
func Postgres(t testing.TB) string {
	t.Helper()
	dsn := Storage(t).Postgres.DSN
	host := "127.0.0.1:5432"
	if u, err := url.Parse(dsn); err == nil && u.Host != "" {
		host = u.Host
	}
	require(t, "PostgreSQL", host)
	return dsn
}

// Redis returns the address of a reachable Redis.
func Redis(t testing.TB) string {
	t.Helper()
	addr := Storage(t).Redis.Addr
	require(t, "Redis", addr)
	return addr
}

// Cassandra returns the hosts of a reachable Cassandra.
func Cassandra(t testing.TB) []string {
	t.Helper()
	hosts := Storage(t).Cassandra.Hosts
	require(t, "Cassandra", hosts[0])
	return hosts
}

// Elasticsearch returns the addresses of a reachable Elasticsearch.
func Elasticsearch(t testing.TB) []string {
	t.Helper()
	addrs := Storage(t).Elasticsearch.Addresses
	host := addrs[0]
	if u, err := url.Parse(host); err == nil && u.Host != "" {
		host = u.Host
	}
	require(t, "Elasticsearch", host)
	return addrs
}

// Kafka returns the brokers of a reachable Kafka.
func Kafka(t testing.TB) []string {
	t.Helper()
	brokers := Storage(t).Kafka.Brokers
	require(t, "Kafka", brokers[0])
	return brokers
}

// Zipkin returns the base URL of a reachable Zipkin server
// (deploy/local/zipkin.sh; CINEGRAPH_ZIPKIN_URL overrides it): spans go to
// URL/api/v2/spans, traces are read back from URL/api/v2/trace/{id}.
func Zipkin(t testing.TB) string {
	t.Helper()
	base := os.Getenv("CINEGRAPH_ZIPKIN_URL")
	if base == "" {
		base = "http://127.0.0.1:59411"
	}
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		t.Fatalf("CINEGRAPH_ZIPKIN_URL %q is not a URL", base)
	}
	require(t, "Zipkin", u.Host)
	return strings.TrimSuffix(base, "/")
}

func require(t testing.TB, engine, addr string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, DialTimeout)
	if err == nil {
		_ = conn.Close()
		return
	}
	msg := engine + " is not reachable at " + addr + " (" + err.Error() + "); start the engines with `make services-up`"
	if Required() {
		t.Fatal(msg)
	}
	t.Skip(msg)
}
