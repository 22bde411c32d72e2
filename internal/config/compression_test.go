package config

import (
	"strings"
	"testing"
)

func TestCompressionSettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		yaml string
		env  []string
		// check inspects a valid configuration.
		check func(t *testing.T, c Compression)
		// problems are expected in an invalid one, every one reported.
		problems []string
	}{
		{name: "defaults", check: func(t *testing.T, c Compression) {
			if !c.Enabled || c.MinBytes != 1024 || strings.Join(c.Algorithms, ",") != "zstd,gzip" || c.Subgraphs {
				t.Fatalf("got %+v", c)
			}
		}},
		{name: "from the environment", env: []string{
			"CINEGRAPH_ROUTER_COMPRESSION_ENABLED=false",
			"CINEGRAPH_ROUTER_COMPRESSION_MIN_BYTES=0",
			"CINEGRAPH_ROUTER_COMPRESSION_ALGORITHMS=gzip, zstd",
			"CINEGRAPH_ROUTER_COMPRESSION_SUBGRAPHS=true",
		}, check: func(t *testing.T, c Compression) {
			if c.Enabled || c.MinBytes != 0 || strings.Join(c.Algorithms, ",") != "gzip,zstd" || !c.Subgraphs {
				t.Fatalf("got %+v", c)
			}
		}},
		{name: "from a file", yaml: "router:\n  compression:\n    algorithms: [gzip]\n    min_bytes: 4096\n", check: func(t *testing.T, c Compression) {
			if !c.Enabled || c.MinBytes != 4096 || strings.Join(c.Algorithms, ",") != "gzip" {
				t.Fatalf("got %+v", c)
			}
		}},
		{name: "every problem at once", yaml: "router:\n  compression:\n    algorithms: [br, gzip, gzip]\n", env: []string{"CINEGRAPH_ROUTER_COMPRESSION_MIN_BYTES=-1"}, problems: []string{
			"router.compression.min_bytes: must not be negative",
			`router.compression.algorithms: "br" is not one of zstd, gzip`,
			`router.compression.algorithms: "gzip" is named twice`,
		}},
		{name: "no algorithm", yaml: "router:\n  compression:\n    algorithms: []\n", problems: []string{"router.compression.algorithms: must name zstd, gzip or both"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := loadYAML(t, tc.yaml, tc.env)
			if tc.problems == nil {
				if err != nil {
					t.Fatal(err)
				}
				tc.check(t, cfg.Router.Compression)
				return
			}
			checkProblems(t, err, tc.problems)
		})
	}
}
