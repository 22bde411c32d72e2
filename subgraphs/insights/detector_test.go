package insights_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/99designs/gqlgen/client"
	"time"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/internal/viewer/viewertest"
	"github.com/cinegraph/cinegraph/subgraphs/insights"
	"github.com/cinegraph/cinegraph/subgraphs/insights/detect"
	"github.com/cinegraph/cinegraph/subgraphs/insights/detect/detecttest"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
)

// fakeModel names the fake detector's detections.
const fakeModel = "fake-detector@1"

// fakeDetector sees objects that depend only on a frame's width: a frame
// w pixels wide shows w objects (fakeObject) scoring 0.2, 0.35, 0.5 ... So frame i of
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

// fakeLabels are the fake detector's labels by object index: the fourth
// (score 0.65) raises a NUDITY advisory, the second (0.35) would but scores
// below the advisory floor.
var fakeLabels = []string{"FACE_FEMALE", "BUTTOCKS_EXPOSED", "BELLY_EXPOSED", "FEMALE_BREAST_EXPOSED", "FEET_COVERED"}

func fakeObject(k int) detect.Object {
	return detect.Object{Label: fakeLabels[k], Score: 0.2 + 0.15*float64(k), Box: detect.Box{X: 0.1 * float64(k), Y: 0.1, W: 0.2, H: 0.3}}
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
// detector (deploy/local/models.sh install; detecttest.Installed) and checks what the seed stored: the astronaut frames show
// a face found by the model, named as the source, and no other frame of
// the seed shows anything at the default confidence floor.
func TestSeededDetectionsComeFromTheModel(t *testing.T) {
	ml := detecttest.Installed(t, config.Default().ML)
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

// TestConsumesVideoFrames publishes keyframes on the frames topic: the
// consumer runs the detector on them and stores what it found, a
// redelivered event leaves one set of detections, and a malformed event is
// skipped without holding up the next.
func TestConsumesVideoFrames(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bus := openBus(t, dir)
	sg := open(t, insights.Options{DataDir: dir, Bus: bus, Detection: fakeDetection(t)})
	ctx := context.Background()
	if _, ok := sg.Dependencies().Report()[insightsservice.DetectionDependency]; !ok {
		t.Fatalf("no %s guard among %v", insightsservice.DetectionDependency, sg.Dependencies().Names())
	}
	n := 0
	frames := func(videoID string, fs ...insightsservice.CapturedFrame) events.Event {
		t.Helper()
		n++ // a redelivery is a second event with the same payload
		ev, err := events.New(events.TopicVideoFrames, videoID, insightsservice.EventTypeFramesCaptured, fmt.Sprintf("ev-%d", n), time.Now(),
			insightsservice.FramesCaptured{VideoID: videoID, TitleID: "t-live", Frames: fs})
		if err != nil {
			t.Fatal(err)
		}
		return ev
	}
	// seed.FrameImages[1] shows 2 objects to the fake detector, [2] shows 3.
	two, three := seed.FrameImages[1], seed.FrameImages[2]
	detections := func(videoID string) []insightsservice.Detection {
		got, err := sg.Service().Detections(ctx, []string{videoID})
		if err != nil {
			t.Fatal(err)
		}
		return got[0]
	}

	publish(t, bus,
		frames("v-live", insightsservice.CapturedFrame{AtSeconds: 5, Path: two}, insightsservice.CapturedFrame{AtSeconds: 9, Path: three}),
		frames("v-live", insightsservice.CapturedFrame{AtSeconds: 5, Path: two}, insightsservice.CapturedFrame{AtSeconds: 9, Path: three}),
		frames("v-bad", insightsservice.CapturedFrame{AtSeconds: 1, Path: "../etc/passwd.png"}),
		frames("v-missing", insightsservice.CapturedFrame{AtSeconds: 1, Path: "nowhere.jpg"}),
		frames("v-last", insightsservice.CapturedFrame{AtSeconds: 2, Path: two}),
	)
	eventually(t, "the last video's frame is detected", func() bool { return len(detections("v-last")) == 2 })
	got := detections("v-live")
	if len(got) != 5 {
		t.Fatalf("v-live has %d detections after a redelivery, want 2+3: %+v", len(got), got)
	}
	for _, d := range got {
		if d.Source != fakeModel || d.TitleID != "t-live" || d.Seeded {
			t.Fatalf("detection %+v", d)
		}
	}
	for _, id := range []string{"v-bad", "v-missing"} {
		if n := len(detections(id)); n != 0 {
			t.Fatalf("%s: %d detections from a refused frame", id, n)
		}
	}

	t.Run("invalid events are refused", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			name string
			p    insightsservice.FramesCaptured
		}{
			{"no frames", insightsservice.FramesCaptured{VideoID: "v1", TitleID: "t1"}},
			{"bad video id", insightsservice.FramesCaptured{VideoID: "v 1", TitleID: "t1", Frames: []insightsservice.CapturedFrame{{Path: two}}}},
			{"negative time", insightsservice.FramesCaptured{VideoID: "v1", TitleID: "t1", Frames: []insightsservice.CapturedFrame{{AtSeconds: -1, Path: two}}}},
			{"not an image", insightsservice.FramesCaptured{VideoID: "v1", TitleID: "t1", Frames: []insightsservice.CapturedFrame{{Path: "frame.txt"}}}},
			{"absolute path", insightsservice.FramesCaptured{VideoID: "v1", TitleID: "t1", Frames: []insightsservice.CapturedFrame{{Path: "/tmp/a.png"}}}},
			{"too many", insightsservice.FramesCaptured{VideoID: "v1", TitleID: "t1", Frames: make([]insightsservice.CapturedFrame, insightsservice.MaxFramesPerEvent+1)}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				_, err := sg.Service().RecordFrames(ctx, tc.p)
				if errs.CodeOf(err) != errs.BadUserInput {
					t.Fatalf("err = %v, want BAD_USER_INPUT", err)
				}
			})
		}
	})
}

// TestTitleAdvisories: a title whose frames show what the fake detector
// labels FEMALE_BREAST_EXPOSED at 0.65 gets a NUDITY advisory with those
// frames as evidence; BUTTOCKS_EXPOSED at 0.35 is below the floor; a title
// without such frames gets an empty list.
func TestTitleAdvisories(t *testing.T) {
	t.Parallel()
	sg := open(t, insights.Options{DataDir: t.TempDir(), Detection: fakeDetection(t)})
	c := viewertest.Client(sg.Handler(), viewertest.As("profile-1"))
	f := fixture()
	videoTitle := map[string]string{}
	for _, v := range f.Videos {
		videoTitle[v.ID] = v.TitleID
	}
	// Frames showing seed.FrameImages[3] or [4] have four or five objects.
	evidence := map[string][]float64{} // title: times of its frames with the fourth object
	for _, fr := range f.Frames {
		if fr.Image == seed.FrameImages[3] || fr.Image == seed.FrameImages[4] {
			evidence[fr.TitleID] = append(evidence[fr.TitleID], fr.AtSeconds)
		}
	}
	var flagged, clean string
	for _, title := range f.Titles {
		if len(evidence[title.ID]) > 0 && flagged == "" {
			flagged = title.ID
		}
		if len(evidence[title.ID]) == 0 && clean == "" {
			clean = title.ID
		}
	}
	if flagged == "" || clean == "" {
		t.Fatal("the seed has no title with and one without flagged frames")
	}
	var resp struct {
		Entities []struct {
			Advisories []struct {
				Kind     string
				Evidence []struct {
					Video      struct{ ID string }
					AtSeconds  float64
					Label      string
					Confidence float64
					Source     string
				}
			}
		} `json:"_entities"`
	}
	errs := post(t, c, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Title {
		advisories { kind evidence { video { id } atSeconds label confidence source } } } } }`, &resp,
		client.Var("reps", []map[string]any{{"__typename": "Title", "id": flagged}, {"__typename": "Title", "id": clean}}))
	if len(errs) > 0 {
		t.Fatalf("errors: %+v", errs)
	}
	got := resp.Entities[0].Advisories
	if len(got) != 1 || got[0].Kind != "NUDITY" {
		t.Fatalf("%s advisories = %+v, want one NUDITY", flagged, got)
	}
	if want := min(len(evidence[flagged]), insightsservice.MaxAdvisoryEvidence); len(got[0].Evidence) != want {
		t.Fatalf("%s evidence = %+v, want %d frames", flagged, got[0].Evidence, want)
	}
	for _, e := range got[0].Evidence {
		if e.Label != "FEMALE_BREAST_EXPOSED" || e.Source != fakeModel || videoTitle[e.Video.ID] != flagged || !slices.Contains(evidence[flagged], e.AtSeconds) {
			t.Fatalf("evidence %+v", e)
		}
	}
	if adv := resp.Entities[1].Advisories; adv == nil || len(adv) != 0 {
		t.Fatalf("%s advisories = %+v, want an empty list", clean, adv)
	}
}

// TestDetectorByConfiguration: a YOLOv8-style model other than the default
// drops in through ml.detector (here the same file described afresh, with
// labels renamed), and its name becomes the detections' source.
func TestDetectorByConfiguration(t *testing.T) {
	ml := detecttest.Installed(t, config.Default().ML)
	ml.Detector.Model = filepath.Join(ml.Dir(), config.DefaultDetectorModel) // absolute works too
	ml.Detector.Name = "renamed@2"
	ml.Detector.InputSize = 320
	for _, l := range detect.NudeNet.Labels {
		ml.Detector.Labels = append(ml.Detector.Labels, "X_"+l)
	}
	cfg := config.Default()
	cfg.ML = ml
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	det, err := insights.OpenDetection(context.Background(), ml, quiet)
	if err != nil || det == nil {
		t.Fatalf("OpenDetection = %v, %v", det, err)
	}
	t.Cleanup(func() { _ = det.Detector.Close() })
	f, err := det.Frames.Open("astronaut.png")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	got, err := det.Detector.Detect(context.Background(), []image.Image{img})
	if err != nil {
		t.Fatal(err)
	}
	if det.Detector.Name() != "renamed@2" || len(got[0]) != 1 || got[0][0].Label != "X_FACE_FEMALE" {
		t.Fatalf("%s found %+v, want one X_FACE_FEMALE", det.Detector.Name(), got[0])
	}
}
