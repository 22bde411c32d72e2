package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/enginetest"
	"github.com/cinegraph/cinegraph/internal/postgres"
)

var seq atomic.Int64

func TestLoadMigrations(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		files   fstest.MapFS
		want    []int
		wantErr bool
	}{
		{"ordered by version", fstest.MapFS{
			"m/0010_later.sql": {Data: []byte("SELECT 10")},
			"m/0002_next.sql":  {Data: []byte("SELECT 2")},
			"m/0001_init.sql":  {Data: []byte("SELECT 1")},
			"m/README.md":      {Data: []byte("not sql")},
		}, []int{1, 2, 10}, false},
		{"no version", fstest.MapFS{"m/init.sql": {Data: []byte("SELECT 1")}}, nil, true},
		{"zero version", fstest.MapFS{"m/0000_init.sql": {Data: []byte("SELECT 1")}}, nil, true},
		{"duplicate version", fstest.MapFS{
			"m/0001_a.sql": {Data: []byte("SELECT 1")},
			"m/1_b.sql":    {Data: []byte("SELECT 1")},
		}, nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ms, err := postgres.LoadMigrations(c.files, "m")
			if c.wantErr {
				if err == nil {
					t.Fatalf("LoadMigrations = %+v, want an error", ms)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, m := range ms {
				got = append(got, m.Version)
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Fatalf("versions = %v, want %v", got, c.want)
			}
		})
	}
}

func TestValidSchema(t *testing.T) {
	t.Parallel()
	for name, ok := range map[string]bool{"catalog": true, "test_1_x": true, "_x": true, "": false, "Catalog": false, "1abc": false, "a-b": false, "a;drop": false} {
		if err := postgres.ValidSchema(name); (err == nil) != ok {
			t.Errorf("ValidSchema(%q) = %v, want ok=%v", name, err, ok)
		}
	}
}

func settings(t *testing.T) config.Postgres {
	t.Helper()
	enginetest.Postgres(t)
	cfg := enginetest.Storage(t).Postgres
	cfg.MaxConns = 2
	return cfg
}

func TestMigrateAppliesEachOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := settings(t)
	schema := fmt.Sprintf("test_migrate_%d_%d", time.Now().UnixNano(), seq.Add(1))
	t.Cleanup(func() { _ = postgres.DropSchema(context.Background(), cfg, schema) })
	first := []postgres.Migration{
		{Version: 1, Name: "0001_things.sql", SQL: `CREATE TABLE things (id TEXT PRIMARY KEY); INSERT INTO things VALUES ('a');`},
	}
	second := append(first, postgres.Migration{Version: 2, Name: "0002_name.sql", SQL: `ALTER TABLE things ADD COLUMN name TEXT NOT NULL DEFAULT 'x'`})
	for i, ms := range [][]postgres.Migration{first, first, second, second} {
		pool, err := postgres.Open(ctx, cfg, schema)
		if err != nil {
			t.Fatal(err)
		}
		if err := postgres.Migrate(ctx, pool, schema, ms); err != nil {
			pool.Close()
			t.Fatalf("run %d: %v", i, err)
		}
		pool.Close()
	}
	pool, err := postgres.Open(ctx, cfg, schema)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var rows, applied int
	var name string
	// Unqualified names resolve in the pool's schema.
	if err := pool.QueryRow(ctx, `SELECT COUNT(*), MIN(name) FROM things`).Scan(&rows, &name); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&applied); err != nil {
		t.Fatal(err)
	}
	if rows != 1 || name != "x" || applied != 2 {
		t.Fatalf("rows=%d name=%q applied=%d; want each migration applied once", rows, name, applied)
	}

	broken := append(second, postgres.Migration{Version: 3, Name: "0003_broken.sql", SQL: `ALTER TABLE things ADD COLUMN extra TEXT; SELECT nonsense FROM nowhere;`})
	if err := postgres.Migrate(ctx, pool, schema, broken); err == nil {
		t.Fatal("a failing migration reported success")
	}
	var extra int
	if err := pool.QueryRow(ctx, `SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = $1 AND column_name = 'extra'`, schema).Scan(&extra); err != nil || extra != 0 {
		t.Fatalf("a failed migration left part of its change behind (%d, %v)", extra, err)
	}
}

func TestOpenRefusesBadDSN(t *testing.T) {
	t.Parallel()
	_, err := postgres.Open(context.Background(), config.Postgres{DSN: "postgres://u:secret@127.0.0.1:1/db?connect_timeout=1"}, "x")
	if err == nil {
		t.Fatal("Open succeeded against a closed port")
	}
	if got := err.Error(); strings.Contains(got, "secret") {
		t.Fatalf("error leaks the password: %s", got)
	}
}

func TestArgs(t *testing.T) {
	t.Parallel()
	var a postgres.Args
	if got := a.Add("x") + "," + a.Add(7); got != "$1,$2" || len(a) != 2 || a[0] != "x" || a[1] != 7 {
		t.Fatalf("placeholders %q, args %v", got, a)
	}
}

func TestKeys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		keys []string
		want []string
	}{
		{"none binds an empty array", nil, []string{}},
		{"duplicates dropped in order", []string{"b", "a", "b"}, []string{"b", "a"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := postgres.Keys(tc.keys)
			if got == nil || len(got) != len(tc.want) {
				t.Fatalf("Keys(%v) = %#v, want %v", tc.keys, got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("Keys(%v) = %v, want %v", tc.keys, got, tc.want)
				}
			}
		})
	}
}
