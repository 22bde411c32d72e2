package insights_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/insights"
	"github.com/cinegraph/cinegraph/subgraphs/insights/detect"
)

// fakeModel names the fake detector's detections.
const fakeModel = "fake-detector@1"

// fakeDetector sees objects that depend only on a frame's width: a frame
// w pixels wide shows w objects scoring 0.2, 0.35, 0.5 ... So frame i of
// seed.FrameImages (i+1 pixels wide in fakeDetection's folder) gives i+1
// detections.
type fakeDetector struct{}

func (fakeDetector) Name() string { return fakeModel }
func (fakeDetector) Close() error { return nil }
func (fakeDetector) Detect(ctx context.Context, frames []image.Image) ([][]detect.Object, error) {
	out := make([][]detect.Object, len(frames))
	for i, f := range frames {
		for k := range f.Bounds().Dx() {
			out[i] = append(out[i], fakeObject(k))
		}
	}
	return out, nil
}

func fakeObject(k int) detect.Object {
	return detect.Object{Label: "OBJECT_" + string(rune('A'+k)), Score: 0.2 + 0.15*float64(k), Box: detect.Box{X: 0.1 * float64(k), Y: 0.1, W: 0.2, H: 0.3}}
}

// fakeDetection is the fake detector with a folder holding each seed frame
// image as a PNG as many pixels wide as its index plus one.
func fakeDetection(t *testing.T) *insights.Detection {
	t.Helper()
	frames := fstest.MapFS{}
	for i, name := range seed.FrameImages {
		var buf bytes.Buffer
		if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, i+1, 1))); err != nil {
			t.Fatal(err)
		}
		frames[name] = &fstest.MapFile{Data: buf.Bytes()}
	}
	return &insights.Detection{Detector: fakeDetector{}, Frames: frames, Device: "cpu"}
}

// wantDetection is what the fake detector finds in a seeded frame.
type wantDetection struct {
	AtSeconds  float64
	Confidence float64
}

// seededVideo returns a video with at least five detections from the fake
// detector, and those detections.
func seededVideo(t *testing.T) (seed.Video, []wantDetection) {
	t.Helper()
	f := fixture()
	index := map[string]int{}
	for i, name := range seed.FrameImages {
		index[name] = i
	}
	byVideo := map[string][]wantDetection{}
	for _, fr := range f.Frames {
		for k := range index[fr.Image] + 1 {
			byVideo[fr.VideoID] = append(byVideo[fr.VideoID], wantDetection{AtSeconds: fr.AtSeconds, Confidence: fakeObject(k).Score})
		}
	}
	for _, v := range f.Videos {
		if ds := byVideo[v.ID]; len(ds) >= 5 {
			return v, ds
		}
	}
	t.Fatal("seed has no video with 5 detections")
	return seed.Video{}, nil
}

// TestSeededDetectionsComeFromTheModel opens the subgraph with the real
// detector (deploy/local/models.sh install; skipped without it, except
// under CI=true) and checks what the seed stored: the astronaut frames show
// a face found by the model, named as the source, and no other frame of
// the seed shows anything at the default confidence floor.
func TestSeededDetectionsComeFromTheModel(t *testing.T) {
	ml := config.Default().ML
	for _, f := range []string{"nudenet-3.4.2/320n.onnx", "onnxruntime-1.24.1/libonnxruntime.so", "frames/astronaut.png"} {
		if _, err := os.Stat(filepath.Join(ml.Dir(), f)); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s missing under CI=true (deploy/local/models.sh install): %v", f, err)
			}
			t.Skipf("%s not installed: %v", f, err)
		}
	}
	ctx := context.Background()
	det, err := insights.OpenDetection(ctx, ml, quiet)
	if err != nil || det == nil {
		t.Fatalf("OpenDetection = %v, %v", det, err)
	}
	sg := open(t, insights.Options{DataDir: t.TempDir(), Detection: det})
	if model, on := sg.Service().DetectionOn(); !on || model != detect.NudeNet.Name {
		t.Fatalf("DetectionOn = %q, %v", model, on)
	}
	f := fixture()
	astronaut := map[string][]float64{} // video id: times of astronaut frames
	var videos []string
	for _, fr := range f.Frames {
		if len(astronaut[fr.VideoID]) == 0 && !slices.Contains(videos, fr.VideoID) {
			videos = append(videos, fr.VideoID)
		}
		if fr.Image == "astronaut.png" {
			astronaut[fr.VideoID] = append(astronaut[fr.VideoID], fr.AtSeconds)
		}
	}
	videos = videos[:min(len(videos), 40)]
	got, err := sg.Service().Detections(ctx, videos)
	if err != nil {
		t.Fatal(err)
	}
	faces := 0
	for i, id := range videos {
		var times []float64
		for _, d := range got[i] {
			if d.Source != detect.NudeNet.Name {
				t.Fatalf("video %s: detection from %q", id, d.Source)
			}
			if d.Confidence < 0.5 {
				continue
			}
			if d.Label != "FACE_FEMALE" || d.X < 0.3 || d.X > 0.4 {
				t.Fatalf("video %s: unexpected %+v", id, d)
			}
			times = append(times, d.AtSeconds)
			faces++
		}
		if !slices.Equal(times, astronaut[id]) {
			t.Fatalf("video %s: faces at %v, astronaut frames at %v", id, times, astronaut[id])
		}
	}
	if faces == 0 {
		t.Fatal("no seeded face among the first videos")
	}
}
