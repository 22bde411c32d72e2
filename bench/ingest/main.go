// Package main is the ingest benchmark behind `make bench-ingest`: it
// measures the media pipeline's building blocks (internal/ffmpeg) on this
// machine as seconds of video processed per second of wall time. The input
// is a 30 s 1080p demo clip generated once from ffmpeg's own sources into
// the user cache folder (with the astronaut sample frame of
// deploy/local/models.sh drawn over it when that is installed). It times
// the HLS transcode of the lowest rung alone and of the full
// 1080p/720p/480p ladder, then frame extraction, sharpness scoring of the
// frames and artwork from the sharpest. It prints Markdown tables with the
// load average before and after each step, and never fails on timing.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/ffmpeg"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench-ingest:", err)
		os.Exit(1)
	}
}

func run() error {
	clip := flag.String("clip", "", "input video (default: the cached 30 s 1080p demo clip, generated when missing)")
	every := flag.Duration("every", 2*time.Second, "frame extraction interval")
	keep := flag.Bool("keep", false, "keep the outputs (their folder is printed)")
	flag.Parse()

	tool, err := ffmpeg.New(ffmpeg.Config{})
	if err != nil {
		return err
	}
	ctx := context.Background()
	fmt.Printf("%s, GOMAXPROCS %d, %d CPUs, %s/%s\n", version(ctx, tool), runtime.GOMAXPROCS(0), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)
	fmt.Printf("load average at start: %s\n\n", loadavg())

	in := *clip
	if in == "" {
		if in, err = demoClip(ctx, tool); err != nil {
			return err
		}
	}
	info, err := tool.Probe(ctx, in)
	if err != nil {
		return err
	}
	v, _ := info.Video()
	fmt.Printf("input: %s\n%s, %.1f s, %dx%d %s at %.2f fps, %.1f MB\n\n",
		in, info.Container, info.Duration.Seconds(), v.Width, v.Height, v.Codec, v.FPS, float64(info.Size)/1e6)

	work, err := os.MkdirTemp("", "bench-ingest-")
	if err != nil {
		return err
	}
	if *keep {
		fmt.Printf("outputs kept in %s\n\n", work)
	} else {
		defer func() { _ = os.RemoveAll(work) }()
	}

	fmt.Println("| step | wall s | video s per wall s | output MB | load before | load after |")
	fmt.Println("|---|---:|---:|---:|---|---|")
	var results []ffmpeg.HLS
	for _, step := range []struct {
		name   string
		ladder ffmpeg.Ladder
	}{
		{"HLS, lowest rung (" + ffmpeg.DefaultLadder.Lowest()[0].Name + ")", ffmpeg.DefaultLadder.Lowest()},
		{"HLS, full ladder (" + names(ffmpeg.DefaultLadder) + ")", ffmpeg.DefaultLadder},
	} {
		before := loadavg()
		start := time.Now()
		res, err := tool.TranscodeHLS(ctx, in, filepath.Join(work, fmt.Sprintf("hls-%d", len(step.ladder))), step.ladder, nil)
		if err != nil {
			return err
		}
		wall := time.Since(start)
		row(step.name, wall, info.Duration, res.Size, before)
		results = append(results, res)
	}

	before := loadavg()
	start := time.Now()
	frames, err := tool.Keyframes(ctx, in, filepath.Join(work, "frames"), *every)
	if err != nil {
		return err
	}
	wall := time.Since(start)
	row(fmt.Sprintf("frames every %s (%d JPEGs)", *every, len(frames)), wall, info.Duration, dirSize(filepath.Join(work, "frames")), before)

	before = loadavg()
	start = time.Now()
	best, bestScore := -1, -1.0
	for i, f := range frames {
		s, err := ffmpeg.SharpnessFile(f.Path)
		if err != nil {
			return err
		}
		if s > bestScore {
			best, bestScore = i, s
		}
	}
	scoring := time.Since(start)
	fmt.Printf("| sharpness of %d frames (Go) | %.2f | %.1f ms per frame | | %s | %s |\n",
		len(frames), scoring.Seconds(), float64(scoring.Milliseconds())/float64(max(len(frames), 1)), before, loadavg())

	before = loadavg()
	start = time.Now()
	images, err := tool.Artwork(ctx, frames[best].Path, filepath.Join(work, "art"), []ffmpeg.Size{
		{Name: "poster", Width: 600, Height: 900},
		{Name: "backdrop", Width: 1280, Height: 720},
	})
	if err != nil {
		return err
	}
	var artBytes int64
	formats := map[string]bool{}
	for _, im := range images {
		artBytes += im.Bytes
		formats[im.Format] = true
	}
	fmt.Printf("| artwork from the frame at %s (%d files: %s) | %.2f | | %.2f | %s | %s |\n\n",
		frames[best].At, len(images), strings.Join(keys(formats), ", "), time.Since(start).Seconds(), float64(artBytes)/1e6, before, loadavg())

	fmt.Println("| rendition | size | segments | average kbit/s | peak kbit/s | MB | CODECS |")
	fmt.Println("|---|---|---:|---:|---:|---:|---|")
	for _, res := range results {
		for _, r := range res.Renditions {
			fmt.Printf("| %s (ladder of %d) | %dx%d | %d | %d | %d | %.2f | %s |\n",
				r.Rung.Name, len(res.Renditions), r.Width, r.Height, r.Segments, r.Bitrate/1000, r.PeakBitrate/1000, float64(r.Size)/1e6, r.Codecs)
		}
	}
	fmt.Printf("\nload average at the end: %s\n", loadavg())
	return nil
}

// demoClip returns the cached input, generating it on first use.
func demoClip(ctx context.Context, tool *ffmpeg.Tool) (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	path := filepath.Join(cache, "cinegraph", "ingest", "demo-1080p-30s.mp4")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	spec := ffmpeg.DemoSpec{Duration: 30 * time.Second, Width: 1920, Height: 1080, FPS: 30, Pattern: ffmpeg.PatternTestsrc2}
	if astronaut := filepath.Join(config.ML{}.FramesDir(), "astronaut.png"); fileExists(astronaut) {
		spec.Overlay = astronaut
	}
	fmt.Printf("generating %s (overlay: %q) ...\n", path, spec.Overlay)
	start := time.Now()
	if err := tool.DemoClip(ctx, path, spec); err != nil {
		return "", err
	}
	fmt.Printf("generated in %.1f s\n\n", time.Since(start).Seconds())
	return path, nil
}

func row(name string, wall, video time.Duration, bytes int64, before string) {
	fmt.Printf("| %s | %.2f | %.2f | %.2f | %s | %s |\n",
		name, wall.Seconds(), video.Seconds()/wall.Seconds(), float64(bytes)/1e6, before, loadavg())
}

// loadavg is the 1, 5 and 15 minute load averages, or "n/a" off Linux.
func loadavg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "n/a"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "n/a"
	}
	return strings.Join(f[:3], " ")
}

func version(ctx context.Context, tool *ffmpeg.Tool) string {
	v, err := tool.Version(ctx)
	if err != nil {
		return tool.Config().FFmpeg + " (version unknown: " + err.Error() + ")"
	}
	return v
}

func names(l ffmpeg.Ladder) string {
	var n []string
	for _, r := range l {
		n = append(n, r.Name)
	}
	return strings.Join(n, "/")
}

func keys(m map[string]bool) []string {
	var out []string
	for _, k := range []string{"jpeg", "webp"} {
		if m[k] {
			out = append(out, k)
		}
	}
	return out
}

func dirSize(dir string) int64 {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	var n int64
	for _, e := range entries {
		if fi, err := e.Info(); err == nil {
			n += fi.Size()
		}
	}
	return n
}

func fileExists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}
