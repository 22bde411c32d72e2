package insightsservice

import (
	"context"
	"fmt"
	"image"
	_ "image/jpeg" // frames are JPEG or PNG files
	_ "image/png"
	"io/fs"
	"slices"

	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/insights/detect"
)

// WithDetector turns object detection on: d runs on frames read from
// frames (a folder, so frame names cannot reach outside it). Without it,
// videos have no detections.
func WithDetector(d detect.Detector, frames fs.FS) Option {
	return func(s *Service) { s.detector, s.frames = d, frames }
}

// DetectionOn reports whether the service runs a detector, and which.
func (s *Service) DetectionOn() (model string, on bool) {
	if s.detector == nil {
		return "", false
	}
	return s.detector.Name(), true
}

// detectFrames runs the detector on the frames and returns what it found,
// boxes relative to each frame, the model's name as source. Frames that
// show the same image are detected once. Without a detector it returns
// nothing.
func (s *Service) detectFrames(ctx context.Context, frames []seed.Frame) ([]Detection, error) {
	if s.detector == nil || len(frames) == 0 {
		return nil, nil
	}
	var names []string
	for _, f := range frames {
		if !slices.Contains(names, f.Image) {
			names = append(names, f.Image)
		}
	}
	images := make([]image.Image, len(names))
	for i, name := range names {
		img, err := readFrame(s.frames, name)
		if err != nil {
			return nil, err
		}
		images[i] = img
	}
	found, err := s.detector.Detect(ctx, images)
	if err != nil {
		return nil, fmt.Errorf("detect objects in %d frames: %w", len(images), err)
	}
	byName := make(map[string][]detect.Object, len(names))
	for i, name := range names {
		byName[name] = found[i]
	}
	source := s.detector.Name()
	var out []Detection
	for _, f := range frames {
		for _, o := range byName[f.Image] {
			out = append(out, Detection{
				VideoID: f.VideoID, Label: o.Label, Confidence: o.Score, AtSeconds: f.AtSeconds,
				X: o.Box.X, Y: o.Box.Y, W: o.Box.W, H: o.Box.H, Source: source,
			})
		}
	}
	return out, nil
}

// readFrame decodes the image file name in frames.
func readFrame(frames fs.FS, name string) (image.Image, error) {
	f, err := frames.Open(name)
	if err != nil {
		return nil, fmt.Errorf("open frame %s: %w", name, err)
	}
	defer func() { _ = f.Close() }()
	img, _, err := image.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("decode frame %s: %w", name, err)
	}
	return img, nil
}
