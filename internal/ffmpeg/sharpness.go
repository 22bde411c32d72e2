package ffmpeg

import (
	"fmt"
	"image"
	_ "image/jpeg" // decoders for SharpnessFile
	_ "image/png"
	"os"
)

// sharpnessSide is the longest side images are reduced to before
// scoring, so scores compare across input sizes and cost little.
const sharpnessSide = 320

// Sharpness scores how much fine detail an image holds: the variance of
// the Laplacian of its luma, reduced to at most 320 pixels on the longest
// side by averaging. A blurred or flat frame (a fade, motion blur) scores
// low; poster and backdrop candidates are the highest-scoring frames.
func Sharpness(img image.Image) float64 {
	g, w, h := grayReduced(img, sharpnessSide)
	if w < 3 || h < 3 {
		return 0
	}
	var sum, sumSq float64
	n := 0
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			i := y*w + x
			l := g[i-w] + g[i+w] + g[i-1] + g[i+1] - 4*g[i]
			sum += l
			sumSq += l * l
			n++
		}
	}
	mean := sum / float64(n)
	return sumSq/float64(n) - mean*mean
}

// SharpnessFile decodes a JPEG or PNG and scores it with Sharpness.
func SharpnessFile(path string) (float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer func() { _ = f.Close() }()
	img, _, err := image.Decode(f)
	if err != nil {
		return 0, fmt.Errorf("ffmpeg: %s: %w", path, err)
	}
	return Sharpness(img), nil
}

// grayReduced returns the image's luma (0 to 255) averaged over square
// blocks so that the longest side is at most maxSide.
func grayReduced(img image.Image, maxSide int) ([]float64, int, int) {
	b := img.Bounds()
	bw, bh := b.Dx(), b.Dy()
	if bw <= 0 || bh <= 0 {
		return nil, 0, 0
	}
	step := 1
	for bw/step > maxSide || bh/step > maxSide {
		step++
	}
	w, h := bw/step, bh/step
	luma := lumaFunc(img)
	g := make([]float64, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var acc float64
			for dy := 0; dy < step; dy++ {
				for dx := 0; dx < step; dx++ {
					acc += luma(b.Min.X+x*step+dx, b.Min.Y+y*step+dy)
				}
			}
			g[y*w+x] = acc / float64(step*step)
		}
	}
	return g, w, h
}

// lumaFunc reads luma (0 to 255) at a point: straight from the Y plane
// of decoded JPEGs and from gray images, through RGBA otherwise.
func lumaFunc(img image.Image) func(x, y int) float64 {
	switch m := img.(type) {
	case *image.YCbCr:
		return func(x, y int) float64 { return float64(m.Y[m.YOffset(x, y)]) }
	case *image.Gray:
		return func(x, y int) float64 { return float64(m.Pix[m.PixOffset(x, y)]) }
	default:
		return func(x, y int) float64 {
			r, g, b, _ := img.At(x, y).RGBA()
			// Rec. 601 luma from 16-bit channels.
			return (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(b)) / 257
		}
	}
}
