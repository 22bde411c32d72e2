package app

import (
	"testing"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/router/limits"
)

// The typed config's limits and the router's defaults must not drift apart.
func TestLimitsDefaultsMatchTheRouters(t *testing.T) {
	t.Parallel()
	if got, want := limitsConfig(config.Default().Router.Limits), limits.Default(); got != want {
		t.Fatalf("config gives\n%+v\nthe router defaults to\n%+v", got, want)
	}
}
