package insightsservice

import (
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // frames are JPEG or PNG files
	_ "image/png"
	"io/fs"
	"math"
	"path"
	"slices"
	"strings"

	"github.com/cinegraph/cinegraph/internal/depguard"
	"github.com/cinegraph/cinegraph/internal/errs"
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
			d := detection(f.VideoID, f.TitleID, f.AtSeconds, o, source)
			d.Seeded = true
			out = append(out, d)
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

// ErrDetectionOff reports frames given to a service without a detector.
var ErrDetectionOff = errors.New("object detection is off")

// RecordFrames runs the detector on a video's captured keyframes, as one
// batch through the detection guard, and stores what it found in place of
// anything found in those frames before, so a redelivered event changes
// nothing. It returns how many detections it stored. A malformed event or
// an unreadable frame is a BadUserInput error; the detector failing is
// another error, to retry.
func (s *Service) RecordFrames(ctx context.Context, p FramesCaptured) (int, error) {
	if s.detector == nil {
		return 0, ErrDetectionOff
	}
	if err := checkFrames(p); err != nil {
		return 0, err
	}
	images := make([]image.Image, len(p.Frames))
	for i, f := range p.Frames {
		img, err := readFrame(s.frames, f.Path)
		if err != nil {
			return 0, errs.Invalid("frames", "frame %d of video %s: %v", i, p.VideoID, err)
		}
		images[i] = img
	}
	found, err := depguard.Do(ctx, s.detectionGuard, func(ctx context.Context) ([][]detect.Object, error) {
		return s.detector.Detect(ctx, images)
	})
	if err != nil {
		return 0, fmt.Errorf("detect objects in %d frames of video %s: %w", len(images), p.VideoID, err)
	}
	source := s.detector.Name()
	frames := make([]FrameAt, len(p.Frames))
	var ds []Detection
	for i, f := range p.Frames {
		frames[i] = FrameAt{VideoID: p.VideoID, AtSeconds: f.AtSeconds}
		for _, o := range found[i] {
			ds = append(ds, detection(p.VideoID, p.TitleID, f.AtSeconds, o, source))
		}
	}
	if err := s.store.ReplaceFrameDetections(ctx, frames, ds); err != nil {
		return 0, fmt.Errorf("save detections of video %s: %w", p.VideoID, err)
	}
	return len(ds), nil
}

// checkFrames validates a FramesCaptured event.
func checkFrames(p FramesCaptured) error {
	if err := CheckID("videoId", p.VideoID); err != nil {
		return err
	}
	if err := CheckID("titleId", p.TitleID); err != nil {
		return err
	}
	if len(p.Frames) == 0 || len(p.Frames) > MaxFramesPerEvent {
		return errs.Invalid("frames", "between 1 and %d frames per event, got %d", MaxFramesPerEvent, len(p.Frames))
	}
	for i, f := range p.Frames {
		if f.AtSeconds < 0 || math.IsNaN(f.AtSeconds) || math.IsInf(f.AtSeconds, 0) {
			return errs.Invalid("frames", "frame %d: atSeconds %v is not a time in the video", i, f.AtSeconds)
		}
		ext := strings.ToLower(path.Ext(f.Path))
		if !fs.ValidPath(f.Path) || f.Path == "." || (ext != ".jpg" && ext != ".jpeg" && ext != ".png") {
			return errs.Invalid("frames", "frame %d: path %q is not a JPEG or PNG file inside the frames folder", i, f.Path)
		}
	}
	return nil
}

// detection is what source saw in the frame of video at atSeconds.
func detection(videoID, titleID string, atSeconds float64, o detect.Object, source string) Detection {
	return Detection{
		VideoID: videoID, TitleID: titleID, Label: o.Label, Confidence: o.Score, AtSeconds: atSeconds,
		X: o.Box.X, Y: o.Box.Y, W: o.Box.W, H: o.Box.H, Source: source,
	}
}
