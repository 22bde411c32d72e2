package insights

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/subgraphs/insights/detect"
	"github.com/cinegraph/cinegraph/subgraphs/insights/detect/ortrun"
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
	runtime := ml.RuntimePath()
	if ml.Device != "cpu" {
		if _, err := os.Stat(ml.GPURuntimePath()); err == nil {
			runtime = ml.GPURuntimePath()
		}
	}
	session, err := ortrun.Open(runtime, ml.ModelPath(), ortrun.Options{Device: ml.Device})
	if errors.Is(err, detect.ErrUnavailable) {
		logger.WarnContext(ctx, "object detection off: model or runtime not installed (deploy/local/models.sh install)", "models_dir", ml.Dir(), "err", err)
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
	return &Detection{Detector: d, Frames: os.DirFS(ml.FramesDir()), Device: session.Device()}, nil
}
