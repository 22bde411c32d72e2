package ffmpeg

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Frame is one extracted still.
type Frame struct {
	Path string        // JPEG
	At   time.Duration // its presentation time in the input
}

// Keyframes writes a JPEG of the input every interval (the first frame at
// or after each multiple of every, starting with the first frame) into
// outDir as frame_00001.jpg, ..., at the input's size, and returns them
// with their timestamps in order. Like TranscodeHLS, it decodes the whole
// input once, shares the concurrency limit, and puts outDir in place only
// when complete.
func (t *Tool) Keyframes(ctx context.Context, in, outDir string, every time.Duration) ([]Frame, error) {
	if every < 100*time.Millisecond {
		return nil, fmt.Errorf("ffmpeg: frame interval %s is under 100ms", every)
	}
	info, err := t.Probe(ctx, in)
	if err != nil {
		return nil, err
	}
	release, err := t.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	dst, tmp, err := staging(outDir)
	if err != nil {
		return nil, err
	}
	done := false
	defer func() {
		if !done {
			_ = os.RemoveAll(tmp)
		}
	}()

	e := strconv.FormatFloat(every.Seconds(), 'f', -1, 64)
	// The first frame of each new interval: no drift over a long input,
	// and a gap in the input skips the intervals it covers.
	sel := fmt.Sprintf("select='isnan(prev_selected_t)+gte(floor(t/%s),floor(prev_selected_t/%s)+1)',showinfo", e, e)
	c := &command{bin: t.cfg.FFmpeg, args: []string{
		"-hide_banner", "-nostdin", "-nostats", "-v", "info",
		"-protocol_whitelist", "file,pipe",
		"-format_whitelist", demuxers,
		"-t", strconv.FormatFloat(t.cfg.MaxDuration.Seconds(), 'f', 3, 64),
		"-i", info.Path,
		"-map", "0:v:0", "-an", "-sn", "-dn",
		"-vf", sel, "-fps_mode", "vfr",
		"-c:v", "mjpeg", "-q:v", "2", "-pix_fmt", "yuvj420p",
		"-protocol_whitelist", "file",
		"-f", "image2", "frame_%05d.jpg",
	}, dir: tmp}
	// showinfo logs one line per selected frame at level info; the tail
	// keeps only the end of the log, so read it as it comes.
	times := &showinfo{}
	c.stderrTee = times
	if err := c.run(ctx); err != nil {
		return nil, fmt.Errorf("ffmpeg: frames of %s: %w", filepath.Base(info.Path), err)
	}
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, en := range entries {
		if strings.HasPrefix(en.Name(), "frame_") && strings.HasSuffix(en.Name(), ".jpg") {
			names = append(names, en.Name())
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil, errors.New("ffmpeg: no frames extracted")
	}
	if len(times.at) != len(names) {
		return nil, fmt.Errorf("ffmpeg: %d frames written but %d timestamps logged", len(names), len(times.at))
	}
	if err := intoPlace(tmp, dst); err != nil {
		return nil, err
	}
	done = true
	frames := make([]Frame, len(names))
	for i, n := range names {
		frames[i] = Frame{Path: filepath.Join(dst, n), At: times.at[i]}
	}
	return frames, nil
}

// showinfo collects pts_time from showinfo's log lines.
type showinfo struct {
	partial []byte
	at      []time.Duration
}

var ptsTime = regexp.MustCompile(`\bpts_time:\s*(-?[0-9.]+)`)

func (s *showinfo) Write(p []byte) (int, error) {
	s.partial = append(s.partial, p...)
	for {
		i := indexLineEnd(s.partial)
		if i < 0 {
			break
		}
		line := string(s.partial[:i])
		s.partial = s.partial[i+1:]
		if !strings.Contains(line, "Parsed_showinfo") {
			continue
		}
		if m := ptsTime.FindStringSubmatch(line); m != nil {
			if f, err := strconv.ParseFloat(m[1], 64); err == nil {
				s.at = append(s.at, time.Duration(f*float64(time.Second)).Round(time.Millisecond))
			}
		}
	}
	return len(p), nil
}

func indexLineEnd(b []byte) int {
	for i, c := range b {
		if c == '\n' || c == '\r' {
			return i
		}
	}
	return -1
}

// Size is an artwork size: the frame is scaled to cover it and cropped
// to the centre.
type Size struct {
	Name          string // file name stem, e.g. "poster-600"
	Width, Height int
}

// Image is one written artwork file.
type Image struct {
	Path          string
	Format        string // "jpeg" or "webp"
	Width, Height int
	Bytes         int64
}

// WebP reports whether this ffmpeg has the libwebp encoder (checked once).
func (t *Tool) WebP(ctx context.Context) bool {
	t.webpOnce.Do(func() {
		// Checked once for the Tool's life: not cut short by the first
		// caller's deadline.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		c := &command{bin: t.cfg.FFmpeg, args: []string{"-hide_banner", "-v", "error", "-encoders"}}
		if c.run(ctx) == nil {
			for _, line := range strings.Split(c.out.String(), "\n") {
				f := strings.Fields(line)
				if len(f) >= 2 && f[1] == "libwebp" {
					t.webp = true
				}
			}
		}
	})
	return t.webp
}

// Artwork cuts the frame (a JPEG or PNG still, e.g. one of Keyframes')
// into each size as a JPEG, and as a WebP too when ffmpeg can encode it,
// written to outDir/<name>.jpg and .webp (each file renamed into place
// when complete).
func (t *Tool) Artwork(ctx context.Context, frame, outDir string, sizes []Size) ([]Image, error) {
	abs, _, err := regularFile(frame)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	formats := []struct{ name, ext, codec, quality string }{
		{"jpeg", ".jpg", "mjpeg", "-q:v"},
	}
	if t.WebP(ctx) {
		formats = append(formats, struct{ name, ext, codec, quality string }{"webp", ".webp", "libwebp", "-quality"})
	}
	var out []Image
	for _, s := range sizes {
		if s.Width < 16 || s.Height < 16 || s.Width > 8192 || s.Height > 8192 {
			return nil, fmt.Errorf("ffmpeg: artwork size %dx%d out of range", s.Width, s.Height)
		}
		if s.Name == "" || strings.ContainsAny(s.Name, `/\`) || strings.HasPrefix(s.Name, ".") {
			return nil, fmt.Errorf("ffmpeg: bad artwork name %q", s.Name)
		}
		for _, f := range formats {
			dst := filepath.Join(outDir, s.Name+f.ext)
			tmp := filepath.Join(outDir, "."+s.Name+".tmp"+f.ext)
			q := "3"
			if f.name == "webp" {
				q = "80"
			}
			muxer := "image2"
			if f.name == "webp" {
				muxer = "webp"
			}
			args := []string{
				"-hide_banner", "-nostdin", "-nostats", "-v", "error", "-y",
				"-protocol_whitelist", "file",
				"-f", "image2", "-pattern_type", "none", "-i", abs,
				"-vf", fmt.Sprintf("scale=%d:%d:force_original_aspect_ratio=increase,crop=%d:%d,setsar=1", s.Width, s.Height, s.Width, s.Height),
				"-frames:v", "1", "-c:v", f.codec, f.quality, q,
			}
			if muxer == "image2" {
				args = append(args, "-update", "1")
			}
			args = append(args, "-protocol_whitelist", "file", "-f", muxer, tmp)
			c := &command{bin: t.cfg.FFmpeg, args: args}
			if err := c.run(ctx); err != nil {
				_ = os.Remove(tmp)
				if ctx.Err() == nil && strings.Contains(c.stderr.String(), "Invalid data") {
					return nil, inputErr(ErrNotVideo, frame, "not an image")
				}
				return nil, fmt.Errorf("ffmpeg: artwork %s: %w", s.Name, err)
			}
			fi, err := os.Stat(tmp)
			if err != nil || fi.Size() == 0 {
				_ = os.Remove(tmp)
				return nil, fmt.Errorf("ffmpeg: artwork %s: nothing written", s.Name)
			}
			if err := os.Rename(tmp, dst); err != nil {
				_ = os.Remove(tmp)
				return nil, err
			}
			out = append(out, Image{Path: dst, Format: f.name, Width: s.Width, Height: s.Height, Bytes: fi.Size()})
		}
	}
	return out, nil
}
