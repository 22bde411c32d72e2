package insights

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/subgraphs/insights/detect"
	"github.com/cinegraph/cinegraph/subgraphs/insights/detect/ortrun"
)

// Where deploy/local/models.sh installs the runtime and the sample frames,
// under config.ML's folder (config.DefaultDetectorModel is the model).
const (
	runtimeCPUFile = "onnxruntime-1.24.1/libonnxruntime.so"
	runtimeGPUFile = "onnxruntime-gpu-1.24.1/libonnxruntime.so"
	framesFolder   = "frames"
)

// Detection is an open detector and the folder its frames are read from.
type Detection struct {
	Detector detect.Detector
	Frames   fs.FS
	// Device is where the model runs: cpu or cuda.
	Device string
}

// DetectorSpec describes the model ml.Detector names: the default
// nudenet model's spec, or the one its settings spell out.
func DetectorSpec(ml config.ML) detect.Spec {
	d := ml.Detector
	if len(d.Labels) == 0 {
		return detect.NudeNet
	}
	return detect.Spec{Name: d.Name, InputSize: d.InputSize, Labels: d.Labels, AgnosticNMS: d.AgnosticNMS}
}

// OpenDetection loads the object detector ml asks for. When detection is
// switched off, or its model or runtime is not installed, or this build
// cannot run it, it logs why and returns nil: detection is optional. A
// model that is installed but does not load is an error.
func OpenDetection(ctx context.Context, ml config.ML, logger *slog.Logger) (*Detection, error) {
	if !ml.Detection {
		logger.InfoContext(ctx, "object detection off (ml.detection is false)")
		return nil, nil
	}
	dir := ml.Dir()
	runtime := filepath.Join(dir, runtimeCPUFile)
	if ml.Device != "cpu" {
		if _, err := os.Stat(filepath.Join(dir, runtimeGPUFile)); err == nil {
			runtime = filepath.Join(dir, runtimeGPUFile)
		}
	}
	session, err := ortrun.Open(runtime, ml.ModelPath(), ortrun.Options{Device: ml.Device})
	if errors.Is(err, detect.ErrUnavailable) {
		logger.WarnContext(ctx, "object detection off: model or runtime not installed (deploy/local/models.sh install)", "models_dir", dir, "err", err)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("object detector: %w", err)
	}
	d, err := detect.NewYOLO(session, DetectorSpec(ml))
	if err != nil {
		return nil, errors.Join(err, session.Close())
	}
	logger.InfoContext(ctx, "object detection on", "model", d.Name(), "device", session.Device(), "runtime", runtime)
	return &Detection{Detector: d, Frames: os.DirFS(filepath.Join(dir, framesFolder)), Device: session.Device()}, nil
}
