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
	// Detector is the detection model: the nudenet YOLOv8n by default,
	// or any YOLOv8-style ONNX model described here.
	Detector Detector `koanf:"detector" yaml:"detector"`
}

// Detector names a YOLOv8-style ONNX detection model: square RGB input,
// output [batch, 4+classes, anchors].
type Detector struct {
	// Model is the ONNX file, relative to ModelsDir unless absolute.
	Model string `koanf:"model" yaml:"model"`
	// Name and version, which detections carry as their source; with
	// Labels, InputSize and AgnosticNMS it describes a model other than
	// the default. Empty Labels mean the default model's description.
	Name      string   `koanf:"name" yaml:"name"`
	Labels    []string `koanf:"labels" yaml:"labels"`
	InputSize int      `koanf:"input_size" yaml:"input_size"`
	// AgnosticNMS suppresses overlapping boxes across classes.
	AgnosticNMS bool `koanf:"agnostic_nms" yaml:"agnostic_nms"`
}

// Where deploy/local/models.sh puts the default detector, ONNX Runtime (the
// CPU build, and the GPU one when asked) and the sample frames, under
// ModelsDir.
const (
	DefaultDetectorModel = "nudenet-3.4.2/320n.onnx"
	runtimeCPU           = "onnxruntime-1.24.1/libonnxruntime.so"
	runtimeGPU           = "onnxruntime-gpu-1.24.1/libonnxruntime.so"
	framesFolder         = "frames"
)

func defaultML() ML {
	return ML{Device: "auto", Detection: true, Detector: Detector{Model: DefaultDetectorModel}}
}

// RuntimePath is ONNX Runtime's CPU library.
func (m ML) RuntimePath() string { return filepath.Join(m.Dir(), runtimeCPU) }

// GPURuntimePath is ONNX Runtime's GPU library, installed only on request.
func (m ML) GPURuntimePath() string { return filepath.Join(m.Dir(), runtimeGPU) }

// FramesDir holds the sample frames the seeded videos show.
func (m ML) FramesDir() string { return filepath.Join(m.Dir(), framesFolder) }

// ModelPath is the detector's ONNX file.
func (m ML) ModelPath() string {
	if filepath.IsAbs(m.Detector.Model) {
		return m.Detector.Model
	}
	return filepath.Join(m.Dir(), m.Detector.Model)
}

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
	d := m.Detector
	check(d.Model != "", "ml.detector.model: must not be empty")
	if len(d.Labels) > 0 {
		check(d.Name != "", "ml.detector.name: required with ml.detector.labels (detections name their model)")
		check(d.InputSize >= 32 && d.InputSize%32 == 0, "ml.detector.input_size: %d is not a positive multiple of 32 (required with ml.detector.labels)", d.InputSize)
	} else {
		check(d.Name == "" && d.InputSize == 0, "ml.detector: name and input_size describe a model only with labels")
	}
}
