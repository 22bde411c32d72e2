// Package detecttest lets tests use the real detection model that
// deploy/local/models.sh installs: Installed skips a test without it, or
// fails it where a missing dependency must fail the run (CI=true, as
// enginetest.Required says).
package detecttest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/enginetest"
)

// Installed returns ml when its model, ONNX Runtime and the astronaut sample
// frame are all installed; otherwise it skips t, or fails it when
// enginetest.Required.
func Installed(t testing.TB, ml config.ML) config.ML {
	t.Helper()
	for _, f := range []string{ml.ModelPath(), ml.RuntimePath(), filepath.Join(ml.FramesDir(), "astronaut.png")} {
		if _, err := os.Stat(f); err != nil {
			if enginetest.Required() {
				t.Fatalf("%s missing (deploy/local/models.sh install): %v", f, err)
			}
			t.Skipf("%s not installed (deploy/local/models.sh install): %v", f, err)
		}
	}
	return ml
}
