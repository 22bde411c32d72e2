package config

import (
	"os"
	"path/filepath"
	"slices"
)

// ML configures the machine-learning models the insights subgraph runs.
// Models are not part of Cinegraph: deploy/local/models.sh fetches them
// into ModelsDir, and a model that is missing there is off, which the
// subgraph logs.
type ML struct {
	// ModelsDir holds the models, their runtime and sample frames; empty
	// means ~/.cache/cinegraph/models, where deploy/local/models.sh puts
	// them.
	ModelsDir string `koanf:"models_dir" yaml:"models_dir"`
	// Device runs the models on "cpu", "cuda" (fail without a GPU) or
	// "auto" (CUDA when the runtime and a GPU allow it, else CPU).
	Device string `koanf:"device" yaml:"device"`
	// Detection turns object detection in video frames on when its model
	// is installed.
	Detection bool `koanf:"detection" yaml:"detection"`
}

func defaultML() ML { return ML{Device: "auto", Detection: true} }

// Dir is ModelsDir, or the default cache folder when it is empty.
func (m ML) Dir() string {
	if m.ModelsDir != "" {
		return m.ModelsDir
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(".cache", "cinegraph", "models")
	}
	return filepath.Join(home, ".cache", "cinegraph", "models")
}

func (m ML) problems(check func(bool, string, ...any)) {
	check(slices.Contains([]string{"auto", "cpu", "cuda"}, m.Device), "ml.device: %q is not one of auto, cpu, cuda", m.Device)
}
