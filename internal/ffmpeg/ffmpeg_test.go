package ffmpeg

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/enginetest"
)

// The shared input: an 8 s 426x240 clip at 25 fps with a tone, made once.
const (
	clipDuration = 8 * time.Second
	clipWidth    = 426
	clipHeight   = 240
	clipFPS      = 25
)

var (
	shared     string // folder removed by TestMain
	clipOnce   sync.Once
	clipPath   string
	clipErr    error
	sharedTool *Tool
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ffmpeg-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	shared = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// newTool returns a Tool on the installed ffmpeg; without one the test is
// skipped, or fails under CI=true.
func newTool(t *testing.T, cfg Config) *Tool {
	t.Helper()
	tool, err := New(cfg)
	if errors.Is(err, ErrNotInstalled) {
		msg := err.Error() + "; install it with `make ffmpeg`"
		if enginetest.Required() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	if err != nil {
		t.Fatal(err)
	}
	return tool
}

// clip returns the shared input and a Tool with the default quotas.
func clip(t *testing.T) (*Tool, string) {
	t.Helper()
	tool := newTool(t, Config{})
	clipOnce.Do(func() {
		sharedTool = tool
		clipPath = filepath.Join(shared, "clip.mp4")
		clipErr = tool.demoClip(context.Background(), clipPath, DemoSpec{
			Duration: clipDuration, Width: clipWidth, Height: clipHeight, FPS: clipFPS,
		})
	})
	if clipErr != nil {
		t.Fatalf("generating the test clip: %v", clipErr)
	}
	return tool, clipPath
}

func TestProbe(t *testing.T) {
	tool, in := clip(t)
	info, err := tool.Probe(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(info.Container, "mp4") {
		t.Errorf("container %q, want the mp4 demuxer", info.Container)
	}
	if d := info.Duration - clipDuration; d < -100*time.Millisecond || d > 100*time.Millisecond {
		t.Errorf("duration %s, want %s", info.Duration, clipDuration)
	}
	if info.Size <= 0 || info.Bitrate <= 0 {
		t.Errorf("size %d, bitrate %d: want both positive", info.Size, info.Bitrate)
	}
	v, ok := info.Video()
	if !ok {
		t.Fatal("no video stream")
	}
	if v.Codec != "h264" || v.Width != clipWidth || v.Height != clipHeight || math.Abs(v.FPS-clipFPS) > 0.01 || v.Bitrate <= 0 {
		t.Errorf("video %+v, want h264 %dx%d at %d fps with a bitrate", v, clipWidth, clipHeight, clipFPS)
	}
	a, ok := info.Audio()
	if !ok || a.Codec != "aac" || a.SampleRate != 48000 || a.Channels != 2 {
		t.Errorf("audio %+v (found %v), want 48 kHz stereo AAC", a, ok)
	}
}

func TestProbeBadInput(t *testing.T) {
	tool, in := clip(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	text := write("notes.txt", "not a video at all\n")
	fakeMP4 := write("fake.mp4", strings.Repeat("garbage ", 100))
	// A playlist naming a local file: ffmpeg's hls demuxer would read it,
	// the demuxer whitelist refuses it.
	playlist := write("list.m3u8", "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:8,\n"+in+"\n#EXT-X-ENDLIST\n")
	audioOnly := filepath.Join(dir, "tone.m4a")
	c := &command{bin: tool.cfg.FFmpeg, args: []string{"-v", "error", "-f", "lavfi", "-i", "sine=frequency=300", "-t", "1", "-c:a", "aac", "-f", "mp4", audioOnly}}
	if err := c.run(context.Background()); err != nil {
		t.Fatal(err)
	}
	short := newTool(t, Config{MaxDuration: 5 * time.Second})
	small := newTool(t, Config{MaxInputBytes: 1000})

	for _, tc := range []struct {
		name string
		tool *Tool
		path string
		want error
	}{
		{"text file", tool, text, ErrNotVideo},
		{"garbage named .mp4", tool, fakeMP4, ErrNotVideo},
		{"playlist", tool, playlist, ErrNotVideo},
		{"missing file", tool, filepath.Join(dir, "missing.mp4"), ErrNotFile},
		{"URL", tool, "http://127.0.0.1:1/clip.mp4", ErrNotFile},
		{"file URL", tool, "file://" + in, ErrNotFile},
		{"directory", tool, dir, ErrNotFile},
		{"device", tool, "/dev/zero", ErrNotFile},
		{"empty path", tool, "", ErrNotFile},
		{"audio only", tool, audioOnly, ErrNoVideo},
		{"over the duration quota", short, in, ErrTooLong},
		{"over the size quota", small, in, ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.tool.Probe(context.Background(), tc.path)
			if !errors.Is(err, tc.want) || !IsBadInput(err) {
				t.Fatalf("Probe: %v, want a bad-input error of kind %q", err, tc.want)
			}
		})
	}
}

func TestTranscodeHLSLowestRung(t *testing.T) {
	tool, in := clip(t)
	outDir := filepath.Join(t.TempDir(), "hls")
	// What a crashed run would have left: removed by the next.
	if err := os.MkdirAll(filepath.Join(filepath.Dir(outDir), ".hls.tmp-123", "480p"), 0o755); err != nil {
		t.Fatal(err)
	}
	var (
		mu      sync.Mutex
		reports []Progress
	)
	res, err := tool.TranscodeHLS(context.Background(), in, outDir, DefaultLadder.Lowest(), func(p Progress) {
		mu.Lock()
		reports = append(reports, p)
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}

	// Progress rises to 100.
	mu.Lock()
	if len(reports) == 0 || reports[len(reports)-1].Percent != 100 {
		t.Errorf("progress reports %+v: want the last at 100", reports)
	}
	for i := 1; i < len(reports); i++ {
		if reports[i].Percent < reports[i-1].Percent {
			t.Errorf("progress went back from %.1f to %.1f", reports[i-1].Percent, reports[i].Percent)
		}
	}
	mu.Unlock()

	// The 480p rung is taller than the input: encoded at the input's size.
	if len(res.Renditions) != 1 {
		t.Fatalf("%d renditions, want 1", len(res.Renditions))
	}
	r := res.Renditions[0]
	if r.Rung.Name != "480p" || r.Width != clipWidth&^1 || r.Height != clipHeight {
		t.Errorf("rendition %s at %dx%d, want 480p at %dx%d", r.Rung.Name, r.Width, r.Height, clipWidth&^1, clipHeight)
	}
	if r.Bitrate <= 0 || r.PeakBitrate < r.Bitrate || r.Size <= 0 || res.Size <= r.Size {
		t.Errorf("bitrate %d, peak %d, size %d, total %d: want positive, peak >= average, total > rendition", r.Bitrate, r.PeakBitrate, r.Size, res.Size)
	}

	// The master playlist lists the rung with what a player needs.
	f, err := os.Open(res.Master)
	if err != nil {
		t.Fatal(err)
	}
	variants, err := ParseMasterPlaylist(f)
	_ = f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(variants) != 1 {
		t.Fatalf("master lists %d variants, want 1", len(variants))
	}
	v := variants[0]
	if v.URI != "480p/index.m3u8" || v.Bandwidth != r.PeakBitrate || v.AverageBandwidth != r.Bitrate ||
		v.Resolution != fmt.Sprintf("%dx%d", r.Width, r.Height) || !strings.HasPrefix(v.Codecs, "avc1.6400") || !strings.HasSuffix(v.Codecs, ",mp4a.40.2") {
		t.Errorf("variant %+v does not describe rendition %+v", v, r)
	}

	// The media playlist: 4 s segments (the last may be shorter), every
	// file present, adding up to the input.
	f, err = os.Open(filepath.Join(outDir, filepath.FromSlash(v.URI)))
	if err != nil {
		t.Fatal(err)
	}
	segs, err := ParseMediaPlaylist(f)
	_ = f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(segs) != 2 || len(segs) != r.Segments {
		t.Errorf("%d segments (rendition says %d), want 2 for 8 s", len(segs), r.Segments)
	}
	var total time.Duration
	for i, s := range segs {
		total += s.Duration
		last := i == len(segs)-1
		if s.Duration > 6*time.Second+50*time.Millisecond || (!last && s.Duration < 4*time.Second-50*time.Millisecond) {
			t.Errorf("segment %s lasts %s, want 4 s to 6 s", s.URI, s.Duration)
		}
		if fi, err := os.Stat(filepath.Join(outDir, "480p", s.URI)); err != nil || fi.Size() == 0 {
			t.Errorf("segment %s: %v", s.URI, err)
		}
	}
	if d := total - clipDuration; d < -100*time.Millisecond || d > 100*time.Millisecond {
		t.Errorf("segments add up to %s, want %s", total, clipDuration)
	}

	// CODECS matches the stream: High profile at the level it names.
	seg, err := tool.Probe(context.Background(), filepath.Join(outDir, "480p", segs[0].URI))
	if err != nil {
		t.Fatal(err)
	}
	sv, _ := seg.Video()
	if want := fmt.Sprintf("avc1.6400%02x", sv.Level); sv.Profile != "High" || !strings.HasPrefix(v.Codecs, want) {
		t.Errorf("segment is %s level %d, CODECS says %s", sv.Profile, sv.Level, v.Codecs)
	}

	// Nothing but the result is left beside it.
	entries, _ := os.ReadDir(filepath.Dir(outDir))
	if len(entries) != 1 {
		t.Errorf("output parent holds %d entries, want only hls/", len(entries))
	}
}

func TestTranscodeHLSCancelled(t *testing.T) {
	tool, _ := clip(t)
	// A longer input than the shared one, so that cancelling lands mid-way.
	in := filepath.Join(t.TempDir(), "long.mp4")
	if err := tool.DemoClip(context.Background(), in, DemoSpec{Duration: MinDemoDuration, Width: 640, Height: 360, FPS: 25}); err != nil {
		t.Fatal(err)
	}
	parent := t.TempDir()
	outDir := filepath.Join(parent, "hls")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := tool.TranscodeHLS(ctx, in, outDir, DefaultLadder, func(p Progress) {
		if p.Percent > 0 {
			cancel()
		}
	})
	if err == nil {
		// ffmpeg reports progress every half second; a 20 s clip takes
		// longer than that to encode, so a nil error means the cancel
		// went unheeded.
		t.Fatal("TranscodeHLS finished although its context was cancelled at the first progress report")
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("TranscodeHLS: %v, want context.Canceled", err)
	}
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		t.Errorf("left behind: %s", e.Name())
	}
}

func TestTranscodeWaitsForASlot(t *testing.T) {
	tool, in := clip(t)
	release, err := tool.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	parent := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err = tool.TranscodeHLS(ctx, in, filepath.Join(parent, "hls"), DefaultLadder.Lowest(), nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("TranscodeHLS with every slot taken: %v, want context.DeadlineExceeded", err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("left %d entries behind", len(entries))
	}
}

func TestKeyframes(t *testing.T) {
	tool, in := clip(t)
	// A space and a % in the folder: ffmpeg's numbered-file patterns
	// must not read them.
	outDir := filepath.Join(t.TempDir(), "frames 100%d")
	frames, err := tool.Keyframes(context.Background(), in, outDir, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{0, 2 * time.Second, 4 * time.Second, 6 * time.Second}
	if len(frames) != len(want) {
		t.Fatalf("%d frames %+v, want %d", len(frames), frames, len(want))
	}
	frameTime := time.Second / clipFPS
	for i, f := range frames {
		if d := f.At - want[i]; d < 0 || d >= frameTime {
			t.Errorf("frame %d at %s, want the first frame at or after %s", i, f.At, want[i])
		}
		img := decodeJPEG(t, f.Path)
		if b := img.Bounds(); b.Dx() != clipWidth || b.Dy() != clipHeight {
			t.Errorf("frame %d is %dx%d, want %dx%d", i, b.Dx(), b.Dy(), clipWidth, clipHeight)
		}
		if s := Sharpness(img); s <= 0 {
			t.Errorf("frame %d sharpness %f, want > 0", i, s)
		}
	}
}

func TestArtwork(t *testing.T) {
	tool, in := clip(t)
	dir := t.TempDir()
	frames, err := tool.Keyframes(context.Background(), in, filepath.Join(dir, "frames"), 4*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	sizes := []Size{{Name: "poster", Width: 200, Height: 300}, {Name: "backdrop", Width: 320, Height: 180}}
	images, err := tool.Artwork(context.Background(), frames[1].Path, filepath.Join(dir, "art"), sizes)
	if err != nil {
		t.Fatal(err)
	}
	formats := 1
	if tool.WebP(context.Background()) {
		formats = 2
	}
	if len(images) != len(sizes)*formats {
		t.Fatalf("%d images, want %d", len(images), len(sizes)*formats)
	}
	for _, im := range images {
		switch im.Format {
		case "jpeg":
			b := decodeJPEG(t, im.Path).Bounds()
			if b.Dx() != im.Width || b.Dy() != im.Height {
				t.Errorf("%s is %dx%d, want %dx%d", im.Path, b.Dx(), b.Dy(), im.Width, im.Height)
			}
		case "webp":
			data, err := os.ReadFile(im.Path)
			if err != nil || len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
				t.Errorf("%s is not a WebP file (%v)", im.Path, err)
			}
		default:
			t.Errorf("unexpected format %q", im.Format)
		}
	}
	_, err = tool.Artwork(context.Background(), filepath.Join(dir, "missing.jpg"), filepath.Join(dir, "art"), sizes)
	if !errors.Is(err, ErrNotFile) {
		t.Errorf("artwork from a missing frame: %v, want ErrNotFile", err)
	}
}

func TestDemoClip(t *testing.T) {
	tool, _ := clip(t)
	dir := t.TempDir()
	overlay := filepath.Join(dir, "overlay.png")
	writePNG(t, overlay, checkerboard(64, 64, 8))
	for _, tc := range []struct {
		pattern string
		overlay string
	}{
		{PatternTestsrc2, ""},
		{PatternMandelbrot, overlay},
		{PatternLife, overlay},
	} {
		t.Run(tc.pattern, func(t *testing.T) {
			out := filepath.Join(dir, tc.pattern+".mp4")
			err := tool.DemoClip(context.Background(), out, DemoSpec{Duration: MinDemoDuration, Width: 160, Height: 90, FPS: 5, Pattern: tc.pattern, Overlay: tc.overlay})
			if err != nil {
				t.Fatal(err)
			}
			info, err := tool.Probe(context.Background(), out)
			if err != nil {
				t.Fatal(err)
			}
			v, _ := info.Video()
			_, audio := info.Audio()
			if d := info.Duration - MinDemoDuration; d < -100*time.Millisecond || d > 200*time.Millisecond || v.Width != 160 || v.Height != 90 || !audio {
				t.Errorf("clip of %s at %dx%d (audio %v), want %s at 160x90 with audio", info.Duration, v.Width, v.Height, audio, MinDemoDuration)
			}
		})
	}
	for _, d := range []time.Duration{10 * time.Second, 61 * time.Second} {
		if err := tool.DemoClip(context.Background(), filepath.Join(dir, "bad.mp4"), DemoSpec{Duration: d}); err == nil {
			t.Errorf("a %s demo clip was accepted", d)
		}
	}
}

func TestSharpness(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	noise := image.NewGray(image.Rect(0, 0, 400, 300))
	for i := range noise.Pix {
		noise.Pix[i] = uint8(rng.Intn(256))
	}
	stripes := image.NewGray(image.Rect(0, 0, 640, 360))
	for y := 0; y < 360; y++ {
		for x := 0; x < 640; x++ {
			if x/3%2 == 0 {
				stripes.Pix[y*640+x] = 230
			} else {
				stripes.Pix[y*640+x] = 20
			}
		}
	}
	for _, tc := range []struct {
		name string
		img  *image.Gray
	}{
		{"checkerboard", checkerboard(320, 240, 4)},
		{"noise", noise},
		{"fine stripes, reduced before scoring", stripes},
		{"large checkerboard", checkerboard(1280, 720, 12)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sharp := Sharpness(tc.img)
			soft := Sharpness(boxBlur(tc.img, 3))
			softer := Sharpness(boxBlur(tc.img, 6))
			if !(sharp > soft && soft > softer) {
				t.Errorf("sharp %.1f, blurred %.1f, more blurred %.1f: want decreasing", sharp, soft, softer)
			}
		})
	}
	flat := image.NewUniform(color.Gray{Y: 128})
	if s := Sharpness(&clipped{flat, image.Rect(0, 0, 100, 100)}); s != 0 {
		t.Errorf("flat image scores %f, want 0", s)
	}
	if s := Sharpness(image.NewGray(image.Rect(0, 0, 2, 2))); s != 0 {
		t.Errorf("2x2 image scores %f, want 0", s)
	}
}

func TestParsePlaylists(t *testing.T) {
	for _, tc := range []struct {
		name    string
		text    string
		segs    int
		wantErr bool
	}{
		{"vod", "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.000000,\nseg_00000.ts\n#EXTINF:3.5,\nseg_00001.ts\n#EXT-X-ENDLIST\n", 2, false},
		{"not a playlist", "hello\n", 0, true},
		{"segment without EXTINF", "#EXTM3U\nseg.ts\n", 0, true},
		{"bad duration", "#EXTM3U\n#EXTINF:x,\nseg.ts\n", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			segs, err := ParseMediaPlaylist(strings.NewReader(tc.text))
			if (err != nil) != tc.wantErr || len(segs) != tc.segs {
				t.Errorf("got %d segments, err %v", len(segs), err)
			}
		})
	}
	vars, err := ParseMasterPlaylist(strings.NewReader("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1200,RESOLUTION=854x480,CODECS=\"avc1.64001f,mp4a.40.2\",FRAME-RATE=25.000\n480p/index.m3u8\n"))
	if err != nil || len(vars) != 1 || vars[0].Bandwidth != 1200 || vars[0].Codecs != "avc1.64001f,mp4a.40.2" || vars[0].Resolution != "854x480" || vars[0].FrameRate != 25 || vars[0].URI != "480p/index.m3u8" {
		t.Errorf("master: %+v, %v", vars, err)
	}
}

func TestH264Level(t *testing.T) {
	for _, tc := range []struct {
		w, h    int
		fps     float64
		bitrate int64
		want    int
	}{
		{426, 240, 25, 1_000_000, 30},
		{854, 480, 30, 1_300_000, 31},
		{1280, 720, 30, 3_000_000, 31},
		{1280, 720, 60, 3_000_000, 32},
		{1920, 1080, 30, 5_400_000, 40},
		{1920, 1080, 30, 30_000_000, 41},
		{1920, 1080, 60, 8_000_000, 42},
	} {
		t.Run(fmt.Sprintf("%dx%d@%g", tc.w, tc.h, tc.fps), func(t *testing.T) {
			if got := h264Level(tc.w, tc.h, tc.fps, tc.bitrate); got != tc.want {
				t.Errorf("level %d, want %d", got, tc.want)
			}
		})
	}
}

func checkerboard(w, h, cell int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if (x/cell+y/cell)%2 == 0 {
				img.Pix[y*w+x] = 255
			}
		}
	}
	return img
}

// boxBlur averages each pixel over a (2r+1)-square.
func boxBlur(src *image.Gray, r int) *image.Gray {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	dst := image.NewGray(b)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			sum, n := 0, 0
			for dy := -r; dy <= r; dy++ {
				for dx := -r; dx <= r; dx++ {
					xx, yy := x+dx, y+dy
					if xx >= 0 && yy >= 0 && xx < w && yy < h {
						sum += int(src.Pix[yy*w+xx])
						n++
					}
				}
			}
			dst.Pix[y*w+x] = uint8(sum / n)
		}
	}
	return dst
}

// clipped bounds an infinite image.
type clipped struct {
	image.Image
	r image.Rectangle
}

func (c *clipped) Bounds() image.Rectangle { return c.r }

func decodeJPEG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	img, err := jpeg.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestTranscodeHLSVideoOnly(t *testing.T) {
	tool, _ := clip(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "silent.mkv")
	c := &command{bin: tool.cfg.FFmpeg, args: []string{"-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-t", "5", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-f", "matroska", in}}
	if err := c.run(context.Background()); err != nil {
		t.Fatal(err)
	}
	res, err := tool.TranscodeHLS(context.Background(), in, filepath.Join(dir, "hls 50%"), DefaultLadder, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Renditions) != 1 || res.Renditions[0].Height != 180 || res.Renditions[0].Segments != 2 {
		t.Fatalf("renditions %+v, want one at 180 lines in 2 segments", res.Renditions)
	}
	if codecs := res.Renditions[0].Codecs; strings.Contains(codecs, "mp4a") || !strings.HasPrefix(codecs, "avc1.") {
		t.Errorf("CODECS %q for a stream without audio", codecs)
	}
}
