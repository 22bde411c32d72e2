package config

import (
	"testing"
	"time"
)

func TestEmbeddedSettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		yaml string
		env  []string
		// check inspects a valid configuration.
		check func(t *testing.T, c Config)
		// problems are expected in an invalid one, every one reported.
		problems []string
	}{
		{name: "defaults", check: func(t *testing.T, c Config) {
			want := EventRetention{MaxAge: 7 * 24 * time.Hour, MaxBytes: 1 << 30, Interval: 5 * time.Minute}
			if c.Storage.SQLite.Synchronous != "normal" || c.Events.Retention != want {
				t.Fatalf("got %+v %+v", c.Storage.SQLite, c.Events.Retention)
			}
		}},
		{name: "from the environment", env: []string{
			"CINEGRAPH_STORAGE_SQLITE_SYNCHRONOUS=full",
			"CINEGRAPH_EVENTS_RETENTION_MAX_AGE=48h",
			"CINEGRAPH_EVENTS_RETENTION_MAX_BYTES=1048576",
			"CINEGRAPH_EVENTS_RETENTION_INTERVAL=30s",
		}, check: func(t *testing.T, c Config) {
			want := EventRetention{MaxAge: 48 * time.Hour, MaxBytes: 1 << 20, Interval: 30 * time.Second}
			if c.Storage.SQLite.Synchronous != "full" || c.Events.Retention != want {
				t.Fatalf("got %+v %+v", c.Storage.SQLite, c.Events.Retention)
			}
		}},
		{name: "from a file", yaml: "storage:\n  sqlite:\n    synchronous: full\nevents:\n  retention:\n    max_age: 0s\n    max_bytes: 0\n", check: func(t *testing.T, c Config) {
			want := EventRetention{Interval: DefaultEventRetentionInterval}
			if c.Storage.SQLite.Synchronous != "full" || c.Events.Retention != want {
				t.Fatalf("got %+v %+v", c.Storage.SQLite, c.Events.Retention)
			}
		}},
		{
			name: "every problem at once",
			env: []string{
				"CINEGRAPH_STORAGE_SQLITE_SYNCHRONOUS=off",
				"CINEGRAPH_EVENTS_RETENTION_MAX_AGE=-1h",
				"CINEGRAPH_EVENTS_RETENTION_MAX_BYTES=-1",
				"CINEGRAPH_EVENTS_RETENTION_INTERVAL=0s",
			},
			problems: []string{
				`storage.sqlite.synchronous: "off" is not one of normal, full`,
				"events.retention.max_age: must not be negative",
				"events.retention.max_bytes: must not be negative",
				"events.retention.interval: must be positive",
			},
		},
		{
			name:     "wrong types",
			yaml:     "events:\n  retention:\n    max_age: a week\n    max_bytes: lots\n",
			problems: []string{"events.retention.max_age: a week is not of the setting's type", "events.retention.max_bytes: lots is not of the setting's type"},
		},
		{
			name:     "misspelt key",
			yaml:     "storage:\n  sqlite:\n    synchronus: full\n",
			problems: []string{"storage.sqlite.synchronus: no such setting"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := loadYAML(t, tc.yaml, tc.env)
			if tc.problems == nil {
				if err != nil {
					t.Fatal(err)
				}
				tc.check(t, cfg)
				return
			}
			checkProblems(t, err, tc.problems)
		})
	}
}
