package config

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestMLSettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		yaml string
		env  []string
		// check inspects a valid configuration.
		check func(t *testing.T, c ML)
		// problems are expected in an invalid one, every one reported.
		problems []string
	}{
		{name: "defaults", check: func(t *testing.T, c ML) {
			if c.ModelsDir != "" || c.Device != "auto" || !c.Detection || c.Detector.Model != DefaultDetectorModel || len(c.Detector.Labels) != 0 ||
				!strings.HasSuffix(c.ModelPath(), filepath.Join(".cache", "cinegraph", "models", DefaultDetectorModel)) {
				t.Fatalf("got %+v (model %s)", c, c.ModelPath())
			}
		}},
		{name: "from the environment", env: []string{
			"CINEGRAPH_ML_MODELS_DIR=/srv/models",
			"CINEGRAPH_ML_DEVICE=cuda",
			"CINEGRAPH_ML_DETECTION=false",
			"CINEGRAPH_ML_DETECTOR_MODEL=coco/yolov8s.onnx",
			"CINEGRAPH_ML_DETECTOR_NAME=yolov8s-coco@1",
			"CINEGRAPH_ML_DETECTOR_LABELS=person,bicycle,car",
			"CINEGRAPH_ML_DETECTOR_INPUT_SIZE=640",
		}, check: func(t *testing.T, c ML) {
			if c.Device != "cuda" || c.Detection || c.ModelPath() != "/srv/models/coco/yolov8s.onnx" || c.Detector.Name != "yolov8s-coco@1" ||
				strings.Join(c.Detector.Labels, ",") != "person,bicycle,car" || c.Detector.InputSize != 640 {
				t.Fatalf("got %+v", c)
			}
		}},
		{name: "an absolute model path", yaml: "ml:\n  detector:\n    model: /opt/m.onnx\n", check: func(t *testing.T, c ML) {
			if c.ModelPath() != "/opt/m.onnx" {
				t.Fatalf("model path %s", c.ModelPath())
			}
		}},
		{name: "every problem at once", yaml: "ml:\n  device: tpu\n  detector:\n    model: ''\n    labels: [person]\n    input_size: 300\n", problems: []string{
			`ml.device: "tpu" is not one of auto, cpu, cuda`,
			"ml.detector.model: must not be empty",
			"ml.detector.name: required with ml.detector.labels",
			"ml.detector.input_size: 300 is not a positive multiple of 32",
		}},
		{name: "a description without labels", yaml: "ml:\n  detector:\n    name: x@1\n", problems: []string{"ml.detector: name and input_size describe a model only with labels"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := loadYAML(t, tc.yaml, tc.env)
			if tc.problems == nil {
				if err != nil {
					t.Fatal(err)
				}
				tc.check(t, cfg.ML)
				return
			}
			checkProblems(t, err, tc.problems)
		})
	}
}
