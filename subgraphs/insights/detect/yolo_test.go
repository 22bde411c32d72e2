package detect_test

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/subgraphs/insights/detect"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestLetterbox(t *testing.T) {
	t.Parallel()
	// A 2×1 red|blue frame becomes a 2×2 square padded black at the
	// bottom; at the same size, sampling is exact.
	frame := image.NewRGBA(image.Rect(0, 0, 2, 1))
	frame.Set(0, 0, color.RGBA{R: 255, A: 255})
	frame.Set(1, 0, color.RGBA{B: 255, A: 255})
	dst := make([]float32, 3*2*2)
	g := detect.Letterbox(frame, 2, dst)
	if g != (detect.Geometry{Width: 2, Height: 1, Scale: 1}) {
		t.Fatalf("geometry = %+v", g)
	}
	want := []float32{
		1, 0, 0, 0, // R plane: red pixel, blue pixel, padding, padding
		0, 0, 0, 0, // G plane
		0, 1, 0, 0, // B plane
	}
	for i := range want {
		if dst[i] != want[i] {
			t.Fatalf("dst = %v, want %v", dst, want)
		}
	}

	t.Run("downscale averages neighbours", func(t *testing.T) {
		t.Parallel()
		// A 4×4 frame with columns 0,0,255,255 halves to 2×2: half-pixel
		// centres fall between source pixels 0|1 and 2|3, so each output
		// reads one column pair.
		src := image.NewGray(image.Rect(0, 0, 4, 4))
		for y := range 4 {
			for x := range 4 {
				src.SetGray(x, y, color.Gray{Y: uint8(255 * (x / 2))})
			}
		}
		dst := make([]float32, 3*2*2)
		g := detect.Letterbox(src, 2, dst)
		if g.Scale != 0.5 {
			t.Fatalf("scale = %v", g.Scale)
		}
		for p := range 3 {
			got := dst[p*4 : p*4+4]
			if got[0] != 0 || got[1] != 1 || got[2] != 0 || got[3] != 1 {
				t.Fatalf("plane %d = %v, want [0 1 0 1]", p, got)
			}
		}
	})
	t.Run("sub-image bounds", func(t *testing.T) {
		t.Parallel()
		big := image.NewRGBA(image.Rect(0, 0, 4, 4))
		big.Set(2, 2, color.RGBA{G: 255, A: 255})
		sub := big.SubImage(image.Rect(2, 2, 3, 3))
		dst := make([]float32, 3)
		detect.Letterbox(sub, 1, dst)
		if dst[0] != 0 || dst[1] != 1 || dst[2] != 0 {
			t.Fatalf("dst = %v, want green", dst)
		}
	})
}

// output builds one frame's raw output: per anchor cx, cy, w, h then one
// score per class, laid out row-major as [4+classes][anchors].
func output(classes int, anchors ...[]float32) []float32 {
	n := len(anchors)
	out := make([]float32, (4+classes)*n)
	for a, vals := range anchors {
		for r, v := range vals {
			out[r*n+a] = v
		}
	}
	return out
}

func TestDecodeAndNMS(t *testing.T) {
	t.Parallel()
	labels := []string{"FACE", "CAT"}
	// A 640×320 frame in a 320 input: scale 0.5, padded at the bottom.
	g := detect.Geometry{Width: 640, Height: 320, Scale: 0.5}
	raw := output(2,
		[]float32{80, 40, 40, 20, 0.9, 0.1},   // FACE at frame (120..200, 60..100)
		[]float32{82, 41, 40, 20, 0.8, 0.05},  // the same face, a little worse
		[]float32{82, 41, 40, 20, 0.1, 0.7},   // a CAT at the same place
		[]float32{300, 150, 60, 40, 0.3, 0.2}, // FACE at the right edge, clipped
		[]float32{10, 10, 5, 5, 0.1, 0.2},     // below the threshold
	)
	cands := detect.Decode(raw, 5, labels, g, 0.25)
	if len(cands) != 4 {
		t.Fatalf("candidates = %+v, want 4", cands)
	}
	first := cands[0]
	if first.Label != "FACE" || !near(first.Score, 0.9, 1e-6) ||
		!near(first.Box.X, 120.0/640, 1e-9) || !near(first.Box.Y, 60.0/320, 1e-9) ||
		!near(first.Box.W, 80.0/640, 1e-9) || !near(first.Box.H, 40.0/320, 1e-9) {
		t.Fatalf("first candidate = %+v", first)
	}
	edge := cands[3]
	if !near(edge.Box.X+edge.Box.W, 1, 1e-9) || !near(edge.Box.X, 540.0/640, 1e-9) {
		t.Fatalf("edge box not clipped to the frame: %+v", edge.Box)
	}

	for _, tc := range []struct {
		name     string
		agnostic bool
		want     []string
	}{
		{"per label", false, []string{"FACE 0.90", "CAT 0.70", "FACE 0.30"}},
		{"agnostic", true, []string{"FACE 0.90", "FACE 0.30"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			kept := detect.NMS(cands, 0.45, tc.agnostic)
			var got []string
			for _, o := range kept {
				got = append(got, fmt.Sprintf("%s %.2f", o.Label, o.Score))
			}
			if len(got) != len(tc.want) {
				t.Fatalf("kept %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("kept %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func TestIoU(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		a, b detect.Box
		want float64
	}{
		{"same", detect.Box{W: 1, H: 1}, detect.Box{W: 1, H: 1}, 1},
		{"apart", detect.Box{W: 0.1, H: 0.1}, detect.Box{X: 0.5, Y: 0.5, W: 0.1, H: 0.1}, 0},
		{"half", detect.Box{W: 0.2, H: 0.1}, detect.Box{X: 0.1, W: 0.2, H: 0.1}, 1.0 / 3},
		{"empty", detect.Box{}, detect.Box{}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := detect.IoU(tc.a, tc.b); !near(got, tc.want, 1e-9) {
				t.Fatalf("IoU = %v, want %v", got, tc.want)
			}
		})
	}
}

// fakeRunner answers every frame with one FACE box in the input's centre
// and records the batches it was given.
type fakeRunner struct {
	batches []int
	fail    error
}

func (f *fakeRunner) Run(_ context.Context, input []float32, batch, size int) ([]float32, []int64, error) {
	if f.fail != nil {
		return nil, nil, f.fail
	}
	if len(input) != batch*3*size*size {
		return nil, nil, errors.New("input size does not match the batch")
	}
	f.batches = append(f.batches, batch)
	half := float32(size) / 2
	one := output(1, []float32{half, half, half, half, 0.9})
	out := make([]float32, 0, batch*len(one))
	for range batch {
		out = append(out, one...)
	}
	return out, []int64{int64(batch), 5, 1}, nil
}

func (f *fakeRunner) Close() error { return nil }

func TestYOLODetectBatches(t *testing.T) {
	t.Parallel()
	r := &fakeRunner{}
	y, err := detect.NewYOLO(r, detect.Spec{Name: "fake@1", InputSize: 32, Labels: []string{"FACE"}, MaxBatch: 2})
	if err != nil {
		t.Fatal(err)
	}
	frames := []image.Image{
		image.NewRGBA(image.Rect(0, 0, 64, 64)),
		image.NewRGBA(image.Rect(0, 0, 64, 32)), // padded: the box covers the frame's full height
		image.NewRGBA(image.Rect(0, 0, 16, 16)),
	}
	got, err := y.Detect(context.Background(), frames)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.batches) != 2 || r.batches[0] != 2 || r.batches[1] != 1 {
		t.Fatalf("batches = %v, want [2 1]", r.batches)
	}
	want := []detect.Box{
		{X: 0.25, Y: 0.25, W: 0.5, H: 0.5},
		{X: 0.25, Y: 0.5, W: 0.5, H: 0.5}, // rows 16..48 of a 32-row frame: clipped to 16..32
		{X: 0.25, Y: 0.25, W: 0.5, H: 0.5},
	}
	for i, objs := range got {
		if len(objs) != 1 || objs[0].Label != "FACE" {
			t.Fatalf("frame %d: %+v", i, objs)
		}
		b := objs[0].Box
		if !near(b.X, want[i].X, 1e-9) || !near(b.Y, want[i].Y, 1e-9) || !near(b.W, want[i].W, 1e-9) || !near(b.H, want[i].H, 1e-9) {
			t.Fatalf("frame %d box = %+v, want %+v", i, b, want[i])
		}
	}

	t.Run("runner failure", func(t *testing.T) {
		t.Parallel()
		boom := errors.New("boom")
		y, _ := detect.NewYOLO(&fakeRunner{fail: boom}, detect.Spec{Name: "fake@1", InputSize: 32, Labels: []string{"FACE"}})
		if _, err := y.Detect(context.Background(), frames[:1]); !errors.Is(err, boom) {
			t.Fatalf("err = %v, want boom", err)
		}
	})
}

func TestSpecValidate(t *testing.T) {
	t.Parallel()
	err := detect.Spec{InputSize: 30, Confidence: 2}.Validate()
	if err == nil {
		t.Fatal("want errors")
	}
	for _, want := range []string{"name is empty", "multiple of 32", "no class labels", "confidence 2"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if err := detect.NudeNet.Validate(); err != nil {
		t.Fatalf("NudeNet spec: %v", err)
	}
}
