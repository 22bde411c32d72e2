package ortrun_test

import (
	"context"
	"errors"
	"image"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "image/jpeg"
	_ "image/png"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/subgraphs/insights/detect"
	"github.com/cinegraph/cinegraph/subgraphs/insights/detect/detecttest"
	"github.com/cinegraph/cinegraph/subgraphs/insights/detect/ortrun"
)

func decode(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// bgr swaps an image's red and blue channels.
func bgr(img image.Image) image.Image {
	b := img.Bounds()
	out := image.NewRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			o := out.PixOffset(x, y)
			out.Pix[o], out.Pix[o+1], out.Pix[o+2], out.Pix[o+3] = uint8(bl>>8), uint8(g>>8), uint8(r>>8), 255
		}
	}
	return out
}

// TestNudeNetFindsTheAstronautsFace runs the real YOLOv8n model on
// scikit-image's astronaut photograph (512×512, Eileen Collins, NASA,
// public domain).
func TestNudeNetFindsTheAstronautsFace(t *testing.T) {
	ml := detecttest.Installed(t, config.Default().ML)
	s, err := ortrun.Open(ml.RuntimePath(), ml.ModelPath(), ortrun.Options{Device: "cpu"})
	if err != nil {
		t.Fatal(err)
	}
	y, err := detect.NewYOLO(s, detect.NudeNet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = y.Close() })
	astronaut := decode(t, filepath.Join(ml.FramesDir(), "astronaut.png"))
	hubble := decode(t, filepath.Join(ml.FramesDir(), "hubble_deep_field.jpg"))

	got, err := y.Detect(context.Background(), []image.Image{astronaut, hubble, bgr(astronaut)})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("face in the expected region", func(t *testing.T) {
		if len(got[0]) != 1 || got[0][0].Label != "FACE_FEMALE" || got[0][0].Score < 0.7 {
			t.Fatalf("astronaut: %+v, want one FACE_FEMALE scoring 0.7 or more", got[0])
		}
		// Her face spans about x 170..275 and y 80..180 of 512 pixels.
		b := got[0][0].Box
		cx, cy := (b.X+b.W/2)*512, (b.Y+b.H/2)*512
		if cx < 200 || cx > 250 || cy < 110 || cy > 150 || b.W*512 < 80 || b.W*512 > 125 || b.H*512 < 80 || b.H*512 > 125 {
			t.Fatalf("face box %+v (centre %.0f,%.0f px) is not on her face", b, cx, cy)
		}
	})
	t.Run("nothing in a photograph of galaxies", func(t *testing.T) {
		if len(got[1]) != 0 {
			t.Fatalf("hubble deep field: %+v, want nothing", got[1])
		}
	})
	// nudenet.py 3.4.2 reads three-channel files as BGR; given the same BGR
	// pixels, Cinegraph's pre- and post-processing must reproduce its output
	// for this photograph: FACE_FEMALE 0.7203, box [173 82 102 98] pixels.
	t.Run("matches the reference implementation", func(t *testing.T) {
		if len(got[2]) != 1 || got[2][0].Label != "FACE_FEMALE" || math.Abs(got[2][0].Score-0.7203) > 0.01 {
			t.Fatalf("BGR astronaut: %+v, want FACE_FEMALE 0.7203", got[2])
		}
		b := got[2][0].Box
		for i, pair := range [][2]float64{{b.X * 512, 173}, {b.Y * 512, 82}, {b.W * 512, 102}, {b.H * 512, 98}} {
			if math.Abs(pair[0]-pair[1]) > 2 {
				t.Fatalf("box value %d = %.1f px, reference %.0f", i, pair[0], pair[1])
			}
		}
	})
}

func TestOpenMissingFiles(t *testing.T) {
	_, err := ortrun.Open("/nonexistent/libonnxruntime.so", "/nonexistent/model.onnx", ortrun.Options{})
	if !errors.Is(err, detect.ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
}

// TestDeviceChoice: the CPU wheel has no CUDA provider, so cuda fails with
// a clear error and auto falls back to the CPU. (With the GPU wheel and a
// GPU, auto picks cuda; that is measured by make bench-insights.)
func TestDeviceChoice(t *testing.T) {
	ml := detecttest.Installed(t, config.Default().ML)
	lib, model := ml.RuntimePath(), ml.ModelPath()
	for _, tc := range []struct {
		device, want, err string
	}{
		{"auto", "cpu", ""},
		{"cpu", "cpu", ""},
		{"cuda", "", "CUDA execution provider"},
		{"tpu", "", `device "tpu" is not cpu, cuda or auto`},
	} {
		t.Run(tc.device, func(t *testing.T) {
			s, err := ortrun.Open(lib, model, ortrun.Options{Device: tc.device})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = s.Close() }()
			if s.Device() != tc.want {
				t.Fatalf("device = %q, want %q", s.Device(), tc.want)
			}
		})
	}
}
