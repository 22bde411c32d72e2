package detect

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"math"
	"slices"
	"sync"
)

// Runner runs a model with one float32 input of shape [batch, 3, size,
// size] and one float32 output, returned with its shape. Implementations
// are safe for concurrent use.
type Runner interface {
	Run(ctx context.Context, input []float32, batch, size int) (output []float32, shape []int64, err error)
	Close() error
}

// Defaults for Spec, as the YOLOv8 reference post-processing uses them.
const (
	// DefaultConfidence drops boxes whose best class scores below it.
	DefaultConfidence = 0.25
	// DefaultIoU is the overlap above which NMS keeps only the better of
	// two boxes of one class.
	DefaultIoU = 0.45
	// DefaultMaxBatch bounds how many frames go through the model at once,
	// so a long video does not allocate one huge tensor.
	DefaultMaxBatch = 8
)

// Spec describes a YOLOv8-style model: square RGB input scaled to 0..1,
// output [batch, 4+classes, anchors] with boxes as centre x, centre y,
// width, height in input pixels followed by one score per class.
type Spec struct {
	// Name is the model's name and version.
	Name string
	// InputSize is the side of the square input, e.g. 320 or 640.
	InputSize int
	// Labels name the classes in output order.
	Labels []string
	// Confidence and IoU default to DefaultConfidence and DefaultIoU.
	Confidence, IoU float64
	// MaxBatch defaults to DefaultMaxBatch; 1 for models with a fixed
	// batch of one.
	MaxBatch int
	// AgnosticNMS suppresses overlapping boxes across labels, for models
	// whose classes exclude each other (a face is FACE_FEMALE or
	// FACE_MALE, not both).
	AgnosticNMS bool
}

// Validate reports every problem with s.
func (s Spec) Validate() error {
	var errs []error
	if s.Name == "" {
		errs = append(errs, fmt.Errorf("model name is empty"))
	}
	if s.InputSize < 32 || s.InputSize%32 != 0 {
		errs = append(errs, fmt.Errorf("input size %d is not a positive multiple of 32", s.InputSize))
	}
	if len(s.Labels) == 0 {
		errs = append(errs, fmt.Errorf("no class labels"))
	}
	if s.Confidence < 0 || s.Confidence >= 1 {
		errs = append(errs, fmt.Errorf("confidence %v is outside 0..1", s.Confidence))
	}
	if s.IoU < 0 || s.IoU > 1 {
		errs = append(errs, fmt.Errorf("IoU %v is outside 0..1", s.IoU))
	}
	if s.MaxBatch < 0 {
		errs = append(errs, fmt.Errorf("max batch %d is negative", s.MaxBatch))
	}
	return errors.Join(errs...)
}

func (s Spec) withDefaults() Spec {
	if s.Confidence == 0 {
		s.Confidence = DefaultConfidence
	}
	if s.IoU == 0 {
		s.IoU = DefaultIoU
	}
	if s.MaxBatch == 0 {
		s.MaxBatch = DefaultMaxBatch
	}
	return s
}

// YOLO is a Detector for YOLOv8-style models run by a Runner.
type YOLO struct {
	spec   Spec
	runner Runner
	// inputs recycles input tensors: a 320×320 batch of eight is 9.8 MB.
	inputs sync.Pool
}

var _ Detector = (*YOLO)(nil)

// NewYOLO returns a detector for the model r runs, described by spec.
func NewYOLO(r Runner, spec Spec) (*YOLO, error) {
	if err := spec.Validate(); err != nil {
		return nil, fmt.Errorf("yolo spec: %w", err)
	}
	return &YOLO{spec: spec.withDefaults(), runner: r}, nil
}

// Name implements Detector.
func (y *YOLO) Name() string { return y.spec.Name }

// Close implements Detector.
func (y *YOLO) Close() error { return y.runner.Close() }

// Detect implements Detector, in batches of at most Spec.MaxBatch frames.
func (y *YOLO) Detect(ctx context.Context, frames []image.Image) ([][]Object, error) {
	out := make([][]Object, 0, len(frames))
	for start := 0; start < len(frames); start += y.spec.MaxBatch {
		batch := frames[start:min(start+y.spec.MaxBatch, len(frames))]
		objs, err := y.detectBatch(ctx, batch)
		if err != nil {
			return nil, err
		}
		out = append(out, objs...)
	}
	return out, nil
}

func (y *YOLO) detectBatch(ctx context.Context, frames []image.Image) ([][]Object, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	size := y.spec.InputSize
	plane := 3 * size * size
	buf, _ := y.inputs.Get().(*[]float32)
	if buf == nil || cap(*buf) < plane*len(frames) {
		b := make([]float32, plane*len(frames))
		buf = &b
	}
	input := (*buf)[:plane*len(frames)]
	defer y.inputs.Put(buf)
	geoms := make([]Geometry, len(frames))
	for i, f := range frames {
		geoms[i] = Letterbox(f, size, input[i*plane:(i+1)*plane])
	}
	output, shape, err := y.runner.Run(ctx, input, len(frames), size)
	if err != nil {
		return nil, fmt.Errorf("run %s on %d frames: %w", y.spec.Name, len(frames), err)
	}
	rows := 4 + len(y.spec.Labels)
	if len(shape) != 3 || shape[0] != int64(len(frames)) || shape[1] != int64(rows) {
		return nil, fmt.Errorf("%s: output shape %v, want [%d %d anchors]", y.spec.Name, shape, len(frames), rows)
	}
	per := int(shape[1] * shape[2])
	if len(output) != per*len(frames) {
		return nil, fmt.Errorf("%s: output has %d values for shape %v", y.spec.Name, len(output), shape)
	}
	out := make([][]Object, len(frames))
	for i := range frames {
		cands := Decode(output[i*per:(i+1)*per], int(shape[2]), y.spec.Labels, geoms[i], y.spec.Confidence)
		out[i] = NMS(cands, y.spec.IoU, y.spec.AgnosticNMS)
	}
	return out, nil
}

// Geometry is how a frame was placed in the model's square input: scaled by
// Scale (input pixels per frame pixel) from the top-left corner, the rest
// padded black.
type Geometry struct {
	Width, Height int
	Scale         float64
}

// Letterbox writes frame into dst as the model's input: padded at the right
// or bottom to a square, resized to size×size with bilinear sampling, RGB
// planes (CHW) scaled to 0..1. dst holds 3×size×size values.
func Letterbox(frame image.Image, size int, dst []float32) Geometry {
	b := frame.Bounds()
	w, h := b.Dx(), b.Dy()
	side := max(w, h)
	g := Geometry{Width: w, Height: h, Scale: float64(size) / float64(side)}
	if w == 0 || h == 0 {
		clear(dst)
		return g
	}
	pix, stride := rgba(frame)
	plane := size * size
	// Half-pixel centres, as OpenCV's INTER_LINEAR samples. Samples that
	// fall in the padding read black: they get weight 0.
	inv := float64(side) / float64(size)
	xs := make([]sample, size)
	for i := range xs {
		xs[i] = sampleAt(i, inv, side, w, 4)
	}
	for dy := 0; dy < size; dy++ {
		sy := sampleAt(dy, inv, side, h, stride)
		row := dy * size
		for dx := 0; dx < size; dx++ {
			sx := xs[dx]
			var r, gg, bb float32
			for _, yy := range [2]struct {
				off int
				w   float32
			}{{sy.o0, sy.w0}, {sy.o1, sy.w1}} {
				if yy.w == 0 {
					continue
				}
				for _, xx := range [2]struct {
					off int
					w   float32
				}{{sx.o0, sx.w0}, {sx.o1, sx.w1}} {
					if xx.w == 0 {
						continue
					}
					o := yy.off + xx.off
					wt := yy.w * xx.w
					r += wt * float32(pix[o])
					gg += wt * float32(pix[o+1])
					bb += wt * float32(pix[o+2])
				}
			}
			dst[row+dx] = r / 255
			dst[plane+row+dx] = gg / 255
			dst[2*plane+row+dx] = bb / 255
		}
	}
	return g
}

// sample is where one output pixel reads the source along one axis: byte
// offsets of the two neighbouring source pixels and their weights; a
// neighbour in the padding has weight 0.
type sample struct {
	o0, o1 int
	w0, w1 float32
}

// sampleAt maps output index d to the source axis of length side (padded),
// of which the first n pixels are the frame's, each step bytes apart.
func sampleAt(d int, inv float64, side, n, step int) sample {
	s := (float64(d)+0.5)*inv - 0.5
	s = max(s, 0)
	i0 := min(int(s), side-1)
	i1 := min(i0+1, side-1)
	f := float32(s - float64(i0))
	if i0 == i1 {
		f = 0
	}
	out := sample{o0: i0 * step, o1: i1 * step, w0: 1 - f, w1: f}
	if i0 >= n {
		out.w0 = 0
	}
	if i1 >= n {
		out.w1 = 0
	}
	return out
}

// rgba returns frame's pixels as 8-bit RGBA rows starting at the frame's
// top-left corner, and the row stride: the image's own buffer for RGBA and
// NRGBA images (alpha is ignored, as decoding to BGR does), a converted copy
// otherwise (JPEG's YCbCr, grey, paletted).
func rgba(frame image.Image) ([]byte, int) {
	b := frame.Bounds()
	switch m := frame.(type) {
	case *image.RGBA:
		return m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride
	case *image.NRGBA:
		return m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride
	}
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Bounds(), frame, b.Min, draw.Src)
	return out.Pix, out.Stride
}

// Decode turns one frame's raw output, 4+len(labels) rows of anchors
// values each, into candidate objects whose best class scores at least
// confidence, boxes mapped back to the frame and clipped to it.
func Decode(output []float32, anchors int, labels []string, g Geometry, confidence float64) []Object {
	var out []Object
	if g.Width == 0 || g.Height == 0 {
		return nil
	}
	fw, fh := float64(g.Width), float64(g.Height)
	for a := 0; a < anchors; a++ {
		best, cls := float32(-1), -1
		for c := range labels {
			if s := output[(4+c)*anchors+a]; s > best {
				best, cls = s, c
			}
		}
		if float64(best) < confidence || math.IsNaN(float64(best)) {
			continue
		}
		cx := float64(output[a]) / g.Scale
		cy := float64(output[anchors+a]) / g.Scale
		w := float64(output[2*anchors+a]) / g.Scale
		h := float64(output[3*anchors+a]) / g.Scale
		x0, y0 := clamp(cx-w/2, fw), clamp(cy-h/2, fh)
		x1, y1 := clamp(cx+w/2, fw), clamp(cy+h/2, fh)
		if x1 <= x0 || y1 <= y0 {
			continue
		}
		out = append(out, Object{
			Label: labels[cls],
			Score: float64(best),
			Box:   Box{X: x0 / fw, Y: y0 / fh, W: (x1 - x0) / fw, H: (y1 - y0) / fh},
		})
	}
	return out
}

func clamp(v, hi float64) float64 { return max(0, min(v, hi)) }

// NMS keeps the best-scoring boxes and drops any box that overlaps a kept
// one by more than iou, best first; only boxes of one label compete unless
// agnostic.
func NMS(objs []Object, iou float64, agnostic bool) []Object {
	sorted := slices.Clone(objs)
	slices.SortStableFunc(sorted, func(a, b Object) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return 0
	})
	kept := make([]Object, 0, len(sorted))
	for _, o := range sorted {
		keep := true
		for _, k := range kept {
			if (agnostic || k.Label == o.Label) && IoU(k.Box, o.Box) > iou {
				keep = false
				break
			}
		}
		if keep {
			kept = append(kept, o)
		}
	}
	return kept
}

// IoU is the intersection over union of two boxes.
func IoU(a, b Box) float64 {
	ix := max(0, min(a.X+a.W, b.X+b.W)-max(a.X, b.X))
	iy := max(0, min(a.Y+a.H, b.Y+b.H)-max(a.Y, b.Y))
	inter := ix * iy
	union := a.W*a.H + b.W*b.H - inter
	if union <= 0 {
		return 0
	}
	return inter / union
}
