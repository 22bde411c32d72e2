// Package artwork draws a title's placeholder artwork: a deterministic SVG
// composed from a hash of the title's id (a layered abstract composition
// in a palette its first genre picks, with a grain over it) and the
// title's name set in type. The same title always gets the same bytes, so
// the media host can serve it with a strong ETag and never store it; a
// real image in the media store, when there is one, is served instead.
package artwork

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// Shape is the frame artwork is drawn in.
type Shape string

// The shapes the web app shows.
const (
	// Poster is 2:3, for cards and search results.
	Poster Shape = "poster"
	// Backdrop is 16:9, behind the title page's heading.
	Backdrop Shape = "backdrop"
	// Thumbnail is 16:9 and small, for episode and continue-watching rows.
	Thumbnail Shape = "thumbnail"
)

// Widths are the widths each shape is drawn at, narrowest first: the ones
// the web app's srcset lists. Other widths are refused so the URL space
// (and any cache in front of it) stays small.
var Widths = map[Shape][]int{
	Poster:    {185, 342, 500, 780},
	Backdrop:  {780, 1280, 1920},
	Thumbnail: {320, 640},
}

// ErrSize is returned for a shape or width not in Widths.
var ErrSize = errors.New("artwork: no such shape or width")

// Title is what artwork is drawn from.
type Title struct {
	ID   string
	Name string
	// Genre is the slug of the title's first genre; empty or unknown
	// slugs get a palette chosen by the id's hash.
	Genre string
}

// Size reports whether shape is drawn at width.
func Size(shape Shape, width int) bool {
	return slices.Contains(Widths[shape], width)
}

// Height is the height of shape at width.
func Height(shape Shape, width int) int {
	if shape == Poster {
		return width * 3 / 2
	}
	return width * 9 / 16
}

// SVG draws t's artwork in shape at width.
func SVG(t Title, shape Shape, width int) ([]byte, error) {
	if !Size(shape, width) {
		return nil, fmt.Errorf("%w: %s at %d", ErrSize, shape, width)
	}
	sum := sha256.Sum256([]byte(t.ID))
	rng := rand.New(rand.NewPCG(binary.BigEndian.Uint64(sum[:8]), binary.BigEndian.Uint64(sum[8:16])))
	pal := paletteFor(t.Genre, sum)

	// Everything is drawn in a fixed frame (1000 wide) and scaled by the
	// viewBox, so every width of one shape is the same picture.
	const vw = 1000.0
	vh := vw * float64(Height(shape, 1000)) / 1000
	d := &drawing{}
	d.printf(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %g %g" role="img">`, width, Height(shape, width), vw, vh)
	d.printf(`<title>%s</title>`, escape(t.Name))
	angle := rng.IntN(360)
	d.printf(`<defs><linearGradient id="bg" gradientTransform="rotate(%d .5 .5)"><stop offset="0" stop-color="%s"/><stop offset="1" stop-color="%s"/></linearGradient>`, angle, pal.deep, pal.mid)
	d.printf(`<radialGradient id="glow"><stop offset="0" stop-color="%s" stop-opacity=".9"/><stop offset="1" stop-color="%s" stop-opacity="0"/></radialGradient>`, pal.light, pal.light)
	d.printf(`<linearGradient id="shade" x1="0" y1="0" x2="0" y2="1"><stop offset=".45" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity=".85"/></linearGradient>`)
	d.printf(`<filter id="grain" x="0" y="0" width="100%%" height="100%%"><feTurbulence type="fractalNoise" baseFrequency="%.2f" numOctaves="2" seed="%d" stitchTiles="stitch"/><feColorMatrix type="saturate" values="0"/></filter>`, 0.65+rng.Float64()*0.3, rng.IntN(1000))
	d.printf(`<clipPath id="frame"><rect width="%g" height="%g"/></clipPath></defs>`, vw, vh)
	d.printf(`<g clip-path="url(#frame)">`)
	d.printf(`<rect width="%g" height="%g" fill="url(#bg)"/>`, vw, vh)

	// A glow somewhere in the upper two thirds.
	d.printf(`<circle cx="%.0f" cy="%.0f" r="%.0f" fill="url(#glow)" opacity=".55"/>`, rng.Float64()*vw, rng.Float64()*vh*0.66, vw*(0.35+rng.Float64()*0.4))

	// Bands: wide strokes across the frame at one shared angle, as if lit
	// through blinds; the angle is the composition's grain.
	bandAngle := -60 + rng.Float64()*120
	bands := 2 + rng.IntN(3)
	d.printf(`<g transform="rotate(%.1f %g %g)" style="mix-blend-mode:screen">`, bandAngle, vw/2, vh/2)
	for range bands {
		y := -vh*0.25 + rng.Float64()*vh*1.5
		h := vh * (0.04 + rng.Float64()*0.18)
		d.printf(`<rect x="%.0f" y="%.0f" width="%.0f" height="%.0f" fill="%s" opacity="%.2f"/>`, -vw, y, vw*3, h, pal.pick(rng), 0.18+rng.Float64()*0.3)
	}
	d.printf(`</g>`)

	// Discs and rings of several sizes.
	for range 3 + rng.IntN(4) {
		cx, cy, r := rng.Float64()*vw, rng.Float64()*vh, vw*(0.05+rng.Float64()*0.3)
		if rng.IntN(3) == 0 {
			d.printf(`<circle cx="%.0f" cy="%.0f" r="%.0f" fill="none" stroke="%s" stroke-width="%.0f" opacity="%.2f"/>`, cx, cy, r, pal.pick(rng), 4+rng.Float64()*18, 0.35+rng.Float64()*0.4)
		} else {
			d.printf(`<circle cx="%.0f" cy="%.0f" r="%.0f" fill="%s" opacity="%.2f"/>`, cx, cy, r, pal.pick(rng), 0.25+rng.Float64()*0.5)
		}
	}

	// A thin horizon line, sometimes.
	if rng.IntN(2) == 0 {
		y := vh * (0.3 + rng.Float64()*0.35)
		d.printf(`<rect x="0" y="%.0f" width="%g" height="3" fill="%s" opacity=".6"/>`, y, vw, pal.light)
	}

	d.printf(`<rect width="%g" height="%g" filter="url(#grain)" opacity=".16" style="mix-blend-mode:overlay"/>`, vw, vh)
	d.printf(`<rect width="%g" height="%g" fill="url(#shade)"/>`, vw, vh)
	d.printf(`</g>`)
	title(d, t.Name, shape, vw, vh, pal)
	d.printf(`</svg>`)
	return d.buf.Bytes(), nil
}

// title sets the name in the lower part of the frame: wrapped on words to
// at most four lines, smaller the longer it is. Widths are estimated from
// the character count, as the viewer's font is not known here.
func title(d *drawing, name string, shape Shape, vw, vh float64, pal palette) {
	size := 96.0
	maxLines := 4
	if shape != Poster {
		size, maxLines = 64, 2
	}
	var lines []string
	for ; size >= 36; size -= 8 {
		perLine := int((vw * 0.86) / (size * 0.56))
		lines = wrap(name, perLine)
		if len(lines) <= maxLines {
			break
		}
	}
	if len(lines) > maxLines {
		lines = lines[:maxLines]
		lines[maxLines-1] = strings.TrimRight(lines[maxLines-1], " ") + "…"
	}
	lead := size * 1.1
	y := vh - vw*0.07 - lead*float64(len(lines)-1)
	d.printf(`<rect x="%.0f" y="%.0f" width="%.0f" height="6" fill="%s"/>`, vw*0.07, y-size-24, vw*0.12, pal.accent)
	d.printf(`<text x="%.0f" y="%.0f" font-family="system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif" font-size="%.0f" font-weight="800" fill="#fff" letter-spacing="-1">`, vw*0.07, y, size)
	for i, l := range lines {
		dy := 0.0
		if i > 0 {
			dy = lead
		}
		d.printf(`<tspan x="%.0f" dy="%.0f">%s</tspan>`, vw*0.07, dy, escape(l))
	}
	d.printf(`</text>`)
}

// wrap breaks s on spaces into lines of about perLine characters; a word
// longer than a line is cut.
func wrap(s string, perLine int) []string {
	var lines []string
	var cur []rune
	for _, w := range strings.Fields(s) {
		word := []rune(w)
		for len(word) > perLine {
			if len(cur) > 0 {
				lines = append(lines, string(cur))
				cur = nil
			}
			lines = append(lines, string(word[:perLine]))
			word = word[perLine:]
		}
		switch {
		case len(cur) == 0:
			cur = word
		case len(cur)+1+len(word) <= perLine:
			cur = append(append(cur, ' '), word...)
		default:
			lines = append(lines, string(cur))
			cur = word
		}
	}
	if len(cur) > 0 {
		lines = append(lines, string(cur))
	}
	if len(lines) == 0 {
		lines = []string{""}
	}
	return lines
}

// escape makes s safe as XML character data and attribute values, and
// drops the characters XML cannot hold at all.
func escape(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		if r < 0x20 || r == 0xFFFE || r == 0xFFFF || (r >= 0xD800 && r <= 0xDFFF) {
			return -1
		}
		return r
	}, s)
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

type drawing struct {
	buf bytes.Buffer
}

func (d *drawing) printf(format string, args ...any) {
	fmt.Fprintf(&d.buf, format, args...)
	d.buf.WriteByte('\n')
}

// palette is a genre's colours: deep and mid for the ground, shapes drawn
// from the rest, accent for the rule over the name.
type palette struct {
	deep, mid, light, accent string
	shapes                   []string
}

func (p palette) pick(rng *rand.Rand) string { return p.shapes[rng.IntN(len(p.shapes))] }

var palettes = map[string]palette{
	"action":      {"#1a0505", "#5c1010", "#ffb347", "#ff5a1f", []string{"#ff5a1f", "#ffb347", "#c0392b", "#2b0b0b"}},
	"adventure":   {"#0b1d1a", "#1f5c4a", "#ffe29a", "#f4a300", []string{"#f4a300", "#2e8b57", "#ffe29a", "#0e3b2f"}},
	"animation":   {"#1b1042", "#5b2a86", "#fff3b0", "#ff6fb5", []string{"#ff6fb5", "#5ee7df", "#ffd166", "#8a5cf6"}},
	"comedy":      {"#2a1a00", "#c47f00", "#fffbe0", "#ff3d7f", []string{"#ffd23f", "#ff3d7f", "#3bceac", "#fff4c2"}},
	"crime":       {"#07090d", "#1c2430", "#d9d9d9", "#e0b200", []string{"#e0b200", "#3a4a5c", "#8c1c13", "#c7c7c7"}},
	"documentary": {"#0f1411", "#3d4a3f", "#f1ead8", "#d98e04", []string{"#d9cfb8", "#7a8b6f", "#d98e04", "#2f3a31"}},
	"drama":       {"#140c12", "#4a2440", "#f6d6c8", "#c9736b", []string{"#c9736b", "#8e4162", "#f6d6c8", "#2c1a2a"}},
	"family":      {"#0c2233", "#2f7fb0", "#fff6d6", "#ffb703", []string{"#ffb703", "#8ecae6", "#fb8500", "#219ebc"}},
	"fantasy":     {"#0d0826", "#3b1f6b", "#e8d5ff", "#c77dff", []string{"#c77dff", "#7b2cbf", "#48cae4", "#e0aaff"}},
	"horror":      {"#050505", "#2a0000", "#ff2a2a", "#b30000", []string{"#b30000", "#400000", "#e6e6e6", "#1a1a1a"}},
	"mystery":     {"#06101c", "#1b3350", "#cfe3ff", "#64b5f6", []string{"#64b5f6", "#283e5b", "#b0bec5", "#0d1b2a"}},
	"romance":     {"#240a14", "#8a2846", "#ffe0e9", "#ff758f", []string{"#ff758f", "#ffb3c6", "#c9184a", "#ffccd5"}},
	"sci-fi":      {"#020617", "#0f2a4a", "#a5f3fc", "#22d3ee", []string{"#22d3ee", "#6366f1", "#a5f3fc", "#0ea5e9"}},
	"thriller":    {"#0a0a0a", "#23262b", "#e5e5e5", "#d7263d", []string{"#d7263d", "#5f6b73", "#e5e5e5", "#1b1f24"}},
	"war":         {"#12140c", "#3f4630", "#e3d9b0", "#a68a36", []string{"#a68a36", "#6b705c", "#cb997e", "#2f3327"}},
	"western":     {"#1f0f05", "#8a4b1f", "#ffe8c2", "#e07a1f", []string{"#e07a1f", "#c9a66b", "#6f3b16", "#f2cc8f"}},
}

// paletteFor is the genre's palette, or one the hash picks.
func paletteFor(genre string, sum [32]byte) palette {
	if p, ok := palettes[genre]; ok {
		return p
	}
	names := make([]string, 0, len(palettes))
	for n := range palettes {
		names = append(names, n)
	}
	slices.Sort(names)
	return palettes[names[int(binary.BigEndian.Uint32(sum[16:20]))%len(names)]]
}
