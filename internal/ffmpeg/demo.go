package ffmpeg

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Patterns DemoClip can draw, all ffmpeg lavfi sources.
const (
	PatternTestsrc2   = "testsrc2"
	PatternMandelbrot = "mandelbrot"
	PatternLife       = "life"
)

// DemoSpec describes a generated clip. Zero fields take the defaults.
type DemoSpec struct {
	Duration time.Duration // 20 s to 60 s (default 30 s)
	Width    int           // default 1280
	Height   int           // default 720
	FPS      int           // default 30
	Pattern  string        // default PatternTestsrc2
	ToneHz   int           // the sine tone's pitch (default 440)
	// Overlay, when set, is a PNG or JPEG drawn in the top-right corner
	// at a quarter of the width (e.g. a sample frame from the models
	// cache).
	Overlay string
}

// Demo clip limits.
const (
	MinDemoDuration = 20 * time.Second
	MaxDemoDuration = 60 * time.Second
)

// DemoClip writes a real H.264/AAC MP4 generated from ffmpeg's own
// sources to out (renamed into place when complete): test content for the
// pipeline with no media to download.
func (t *Tool) DemoClip(ctx context.Context, out string, spec DemoSpec) error {
	if spec.Duration == 0 {
		spec.Duration = 30 * time.Second
	}
	if spec.Duration < MinDemoDuration || spec.Duration > MaxDemoDuration {
		return fmt.Errorf("ffmpeg: demo clip of %s is outside %s to %s", spec.Duration, MinDemoDuration, MaxDemoDuration)
	}
	return t.demoClip(ctx, out, spec)
}

// demoClip is DemoClip without the duration bounds (tests use short ones).
func (t *Tool) demoClip(ctx context.Context, out string, spec DemoSpec) error {
	if spec.Width == 0 {
		spec.Width = 1280
	}
	if spec.Height == 0 {
		spec.Height = 720
	}
	if spec.FPS == 0 {
		spec.FPS = 30
	}
	if spec.Pattern == "" {
		spec.Pattern = PatternTestsrc2
	}
	if spec.ToneHz == 0 {
		spec.ToneHz = 440
	}
	if spec.Width < 32 || spec.Height < 32 || spec.Width > 3840 || spec.Height > 2160 || spec.Width%2 != 0 || spec.Height%2 != 0 {
		return fmt.Errorf("ffmpeg: demo size %dx%d: even, 32x32 to 3840x2160", spec.Width, spec.Height)
	}
	if spec.FPS < 1 || spec.FPS > 60 || spec.ToneHz < 20 || spec.ToneHz > 20000 {
		return fmt.Errorf("ffmpeg: demo rate %d fps, tone %d Hz out of range", spec.FPS, spec.ToneHz)
	}
	size := fmt.Sprintf("%dx%d", spec.Width, spec.Height)
	var src string
	switch spec.Pattern {
	case PatternTestsrc2:
		src = fmt.Sprintf("testsrc2=size=%s:rate=%d", size, spec.FPS)
	case PatternMandelbrot:
		src = fmt.Sprintf("mandelbrot=size=%s:rate=%d", size, spec.FPS)
	case PatternLife:
		// Life draws at a quarter of the size (cheaper, coarser cells),
		// scaled up without smoothing.
		src = fmt.Sprintf("life=size=%dx%d:rate=%d:mold=10:ratio=0.1:life_color=0x40c0ff:death_color=0x203040,scale=%s:flags=neighbor",
			spec.Width/4, spec.Height/4, spec.FPS, size)
	default:
		return fmt.Errorf("ffmpeg: unknown demo pattern %q", spec.Pattern)
	}

	release, err := t.acquire(ctx)
	if err != nil {
		return err
	}
	defer release()

	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".tmp-")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_ = f.Close()
	done := false
	defer func() {
		if !done {
			_ = os.Remove(tmp)
		}
	}()

	secs := fmt.Sprintf("%.3f", spec.Duration.Seconds())
	args := []string{
		"-hide_banner", "-nostdin", "-nostats", "-v", "error", "-y",
		"-f", "lavfi", "-i", src,
		"-f", "lavfi", "-i", fmt.Sprintf("sine=frequency=%d:sample_rate=48000:beep_factor=2", spec.ToneHz),
	}
	video := "0:v"
	if spec.Overlay != "" {
		ov, _, err := regularFile(spec.Overlay)
		if err != nil {
			return err
		}
		args = append(args,
			"-protocol_whitelist", "file",
			"-f", "image2", "-pattern_type", "none", "-loop", "1", "-framerate", fmt.Sprint(spec.FPS), "-i", ov)
		args = append(args, "-filter_complex",
			fmt.Sprintf("[2:v]scale=%d:-2,format=rgba[ov];[0:v][ov]overlay=W-w-%d:%d:shortest=1,format=yuv420p[v]",
				spec.Width/4&^1, spec.Width/32, spec.Height/18))
		video = "[v]"
	}
	args = append(args,
		"-map", video, "-map", "1:a",
		"-t", secs,
		"-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
		"-g", fmt.Sprint(spec.FPS*2),
		"-c:a", "aac", "-b:a", "128k", "-ac", "2",
		"-movflags", "+faststart",
		"-protocol_whitelist", "file",
		"-f", "mp4", tmp,
	)
	c := &command{bin: t.cfg.FFmpeg, args: args}
	if err := c.run(ctx); err != nil {
		if strings.Contains(c.stderr.String(), "Invalid data") && spec.Overlay != "" {
			return inputErr(ErrNotVideo, spec.Overlay, "overlay is not an image")
		}
		return fmt.Errorf("ffmpeg: demo clip: %w", err)
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, abs); err != nil {
		return err
	}
	done = true
	return nil
}
