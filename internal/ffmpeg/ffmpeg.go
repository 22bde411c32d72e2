// Package ffmpeg is the media pipeline's building blocks on the ffmpeg and
// ffprobe commands: probing an upload against quotas, transcoding it into
// an HLS ladder, extracting frames at fixed intervals, scoring their
// sharpness, cutting artwork from a chosen frame, and generating demo clips
// from ffmpeg's built-in sources. It knows nothing of the subgraphs; each
// operation is one call a workflow can run as an activity.
//
// Inputs are always local regular files: every command runs with
// -protocol_whitelist file,pipe and a whitelist of container demuxers, so a
// crafted playlist or URL cannot make ffmpeg read anything else. Outputs
// are written into a temporary sibling and renamed into place at the end,
// so a crash or a cancelled context leaves no half-written result.
package ffmpeg

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Environment variables naming the binaries; without them, ffmpeg and
// ffprobe are looked up on PATH (deploy/local/ffmpeg.sh installs them).
const (
	EnvFFmpeg  = "CINEGRAPH_FFMPEG"
	EnvFFprobe = "CINEGRAPH_FFPROBE"
)

// ErrNotInstalled is returned by Find when ffmpeg or ffprobe is missing.
var ErrNotInstalled = errors.New("ffmpeg: ffmpeg and ffprobe are not installed (deploy/local/ffmpeg.sh)")

// Binaries are the paths of the two commands.
type Binaries struct {
	FFmpeg  string
	FFprobe string
}

// Find locates ffmpeg and ffprobe: CINEGRAPH_FFMPEG (with CINEGRAPH_FFPROBE,
// or the ffprobe beside it), else PATH.
func Find() (Binaries, error) {
	if ff := os.Getenv(EnvFFmpeg); ff != "" {
		probe := os.Getenv(EnvFFprobe)
		if probe == "" {
			probe = filepath.Join(filepath.Dir(ff), "ffprobe")
		}
		for _, p := range []string{ff, probe} {
			if fi, err := os.Stat(p); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
				return Binaries{}, fmt.Errorf("%w: %s is not an executable", ErrNotInstalled, p)
			}
		}
		return Binaries{FFmpeg: ff, FFprobe: probe}, nil
	}
	ff, err := exec.LookPath("ffmpeg")
	if err != nil {
		return Binaries{}, ErrNotInstalled
	}
	probe, err := exec.LookPath("ffprobe")
	if err != nil {
		return Binaries{}, ErrNotInstalled
	}
	return Binaries{FFmpeg: ff, FFprobe: probe}, nil
}

// Config holds the binaries and the quotas. Zero fields take the defaults
// below.
type Config struct {
	Binaries
	// MaxInputBytes refuses larger inputs (default 8 GiB).
	MaxInputBytes int64
	// MaxDuration refuses longer inputs (default 4 h).
	MaxDuration time.Duration
	// MaxConcurrent bounds the jobs that decode a whole input at once
	// (transcodes, frame extraction, demo clips); each already uses every
	// core, so the default is 1.
	MaxConcurrent int
	// SegmentDuration is the HLS segment length, 4 to 6 s (default 4 s).
	SegmentDuration time.Duration
}

// Defaults for Config's zero fields.
const (
	DefaultMaxInputBytes   = 8 << 30
	DefaultMaxDuration     = 4 * time.Hour
	DefaultSegmentDuration = 4 * time.Second
)

// demuxers are the containers accepted as video input (ffmpeg's demuxer
// names); playlists (hls, concat), image sequences and raw streams are
// not, since they can point ffmpeg at other files.
const demuxers = "mov,mp4,matroska,webm,avi,mpegts,flv,ogg,asf"

// Tool runs the commands under one configuration. It is safe for
// concurrent use.
type Tool struct {
	cfg Config
	sem chan struct{}

	webpOnce sync.Once
	webp     bool
}

// New checks the configuration and returns a Tool. Empty binaries are
// located with Find.
func New(cfg Config) (*Tool, error) {
	if cfg.FFmpeg == "" || cfg.FFprobe == "" {
		b, err := Find()
		if err != nil {
			return nil, err
		}
		if cfg.FFmpeg == "" {
			cfg.FFmpeg = b.FFmpeg
		}
		if cfg.FFprobe == "" {
			cfg.FFprobe = b.FFprobe
		}
	}
	if cfg.MaxInputBytes <= 0 {
		cfg.MaxInputBytes = DefaultMaxInputBytes
	}
	if cfg.MaxDuration <= 0 {
		cfg.MaxDuration = DefaultMaxDuration
	}
	if cfg.MaxConcurrent <= 0 {
		cfg.MaxConcurrent = 1
	}
	if cfg.SegmentDuration == 0 {
		cfg.SegmentDuration = DefaultSegmentDuration
	}
	if cfg.SegmentDuration < 4*time.Second || cfg.SegmentDuration > 6*time.Second {
		return nil, fmt.Errorf("ffmpeg: segment duration %s is outside 4s to 6s", cfg.SegmentDuration)
	}
	return &Tool{cfg: cfg, sem: make(chan struct{}, cfg.MaxConcurrent)}, nil
}

// Config returns the configuration in effect, defaults filled in.
func (t *Tool) Config() Config { return t.cfg }

// Version returns the first line of ffmpeg -version.
func (t *Tool) Version(ctx context.Context) (string, error) {
	c := &command{bin: t.cfg.FFmpeg, args: []string{"-hide_banner", "-version"}}
	if err := c.run(ctx); err != nil {
		return "", err
	}
	return firstLine(c.out.String()), nil
}

// acquire takes a slot of the concurrency limit, or gives up with the
// context.
func (t *Tool) acquire(ctx context.Context) (release func(), err error) {
	select {
	case t.sem <- struct{}{}:
		return func() { <-t.sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// command is one invocation of ffmpeg or ffprobe.
type command struct {
	bin  string
	args []string
	// dir is the working directory: numbered outputs (seg_%05d.ts) are
	// named relative to it, so no % in the caller's path can be read as
	// part of ffmpeg's pattern.
	dir    string
	stdout io.Writer // nil: kept in out
	out    bytes.Buffer
	stderr tail
	// stderrTee, when set, also receives everything written to stderr.
	stderrTee io.Writer
}

// run executes c under ctx. A cancelled context wins over the exit status
// the kill caused.
func (c *command) run(ctx context.Context) error {
	cmd := exec.CommandContext(ctx, c.bin, c.args...)
	cmd.Stdin = nil
	cmd.Dir = c.dir
	if c.stdout != nil {
		cmd.Stdout = c.stdout
	} else {
		cmd.Stdout = &c.out
	}
	cmd.Stderr = &c.stderr
	if c.stderrTee != nil {
		cmd.Stderr = io.MultiWriter(&c.stderr, c.stderrTee)
	}
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	if err != nil {
		msg := strings.TrimSpace(c.stderr.String())
		if msg == "" {
			return fmt.Errorf("%s: %w", filepath.Base(c.bin), err)
		}
		return fmt.Errorf("%s: %w: %s", filepath.Base(c.bin), err, msg)
	}
	return nil
}

// tail keeps the last few KiB written to it: enough of ffmpeg's stderr to
// say what went wrong without holding a long log.
type tail struct{ buf []byte }

const tailSize = 4 << 10

func (t *tail) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if len(t.buf) > tailSize {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-tailSize:]...)
	}
	return len(p), nil
}

func (t *tail) String() string { return string(t.buf) }

// regularFile returns the absolute path of a local regular file, or an
// InputError. Absolute paths start with "/", so ffmpeg can take them for
// neither an option nor a URL.
func regularFile(path string) (string, os.FileInfo, error) {
	if path == "" {
		return "", nil, inputErr(ErrNotFile, path, "empty path")
	}
	if strings.Contains(path, "://") {
		return "", nil, inputErr(ErrNotFile, path, "a URL, not a local file")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", nil, inputErr(ErrNotFile, path, err.Error())
	}
	fi, err := os.Stat(abs)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", nil, inputErr(ErrNotFile, path, "no such file")
		}
		return "", nil, inputErr(ErrNotFile, path, err.Error())
	}
	if !fi.Mode().IsRegular() {
		return "", nil, inputErr(ErrNotFile, path, "not a regular file")
	}
	return abs, fi, nil
}

// staging creates the temporary sibling that an output directory is
// written into before it is put in place.
func staging(outDir string) (abs, tmp string, err error) {
	abs, err = filepath.Abs(outDir)
	if err != nil {
		return "", "", err
	}
	parent := filepath.Dir(abs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", "", err
	}
	// Left over by a run that crashed: a retry replaces them. Two runs
	// into one folder at once would race on the rename anyway.
	if stale, _ := filepath.Glob(filepath.Join(parent, "."+escapeGlob(filepath.Base(abs))+".tmp-*")); len(stale) > 0 {
		for _, s := range stale {
			_ = os.RemoveAll(s)
		}
	}
	tmp, err = os.MkdirTemp(parent, "."+filepath.Base(abs)+".tmp-")
	if err != nil {
		return "", "", err
	}
	return abs, tmp, nil
}

// escapeGlob quotes the pattern characters of a file name.
func escapeGlob(name string) string {
	var b strings.Builder
	for _, r := range name {
		if strings.ContainsRune(`*?[]\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// intoPlace renames tmp to dst, replacing a previous dst (a retried
// activity produces the same result again); the old one is moved aside
// first and removed after, so dst is never missing a complete result for
// longer than between two renames.
func intoPlace(tmp, dst string) error {
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	var old string
	if _, err := os.Lstat(dst); err == nil {
		old = tmp + ".old"
		if err := os.Rename(dst, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		if old != "" {
			_ = os.Rename(old, dst)
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}
