package ffmpeg

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Rung is one rendition of an HLS ladder: H.264 video at a height (the
// width follows the input's aspect ratio) and AAC audio.
type Rung struct {
	Name         string // folder and label, e.g. "720p"
	Height       int
	VideoBitrate int64 // bits/s target
	AudioBitrate int64 // bits/s
}

// Ladder is a set of rungs, highest first.
type Ladder []Rung

// DefaultLadder is the 1080p/720p/480p ladder.
var DefaultLadder = Ladder{
	{Name: "1080p", Height: 1080, VideoBitrate: 5_000_000, AudioBitrate: 128_000},
	{Name: "720p", Height: 720, VideoBitrate: 2_800_000, AudioBitrate: 128_000},
	{Name: "480p", Height: 480, VideoBitrate: 1_200_000, AudioBitrate: 96_000},
}

// Lowest returns a ladder of the lowest rung alone.
func (l Ladder) Lowest() Ladder {
	if len(l) == 0 {
		return nil
	}
	low := l[0]
	for _, r := range l[1:] {
		if r.Height < low.Height {
			low = r
		}
	}
	return Ladder{low}
}

// Progress reports a transcode's advance.
type Progress struct {
	Percent float64       // 0 to 100
	OutTime time.Duration // of the input encoded so far
	Speed   float64       // times real time, 0 when unknown
}

// Rendition is one rung as transcoded, measured from its files.
type Rendition struct {
	Rung          Rung
	Width, Height int
	Codecs        string // RFC 6381, as in the master playlist
	Playlist      string // path relative to the output folder
	Segments      int
	Duration      time.Duration // sum of the segments' durations
	Bitrate       int64         // average, bits/s, segment bytes over duration
	PeakBitrate   int64         // highest segment's bits/s
	Size          int64         // bytes of the rendition's files
}

// HLS is the result of TranscodeHLS.
type HLS struct {
	Dir        string // the output folder
	Master     string // master playlist path
	Duration   time.Duration
	Renditions []Rendition
	Size       int64 // bytes of every file written
}

// MasterPlaylist is the master playlist's name in the output folder.
const MasterPlaylist = "master.m3u8"

// TranscodeHLS encodes in into an HLS ladder under outDir in one ffmpeg
// run (decoding once): outDir/master.m3u8 and outDir/<rung>/index.m3u8
// with MPEG-TS segments of the configured length, keyframes forced on
// segment boundaries so every segment starts with one. Rungs taller than
// the input are left out (no upscaling); when that leaves none, the lowest
// is encoded at the input's height. progress, when not nil, is called from
// another goroutine as ffmpeg reports, and with 100 at the end.
//
// The result is written into a temporary sibling of outDir and renamed
// into place when complete, replacing a previous outDir; on failure or a
// cancelled context nothing is left behind. Transcodes share the Tool's
// concurrency limit.
func (t *Tool) TranscodeHLS(ctx context.Context, in, outDir string, ladder Ladder, progress func(Progress)) (HLS, error) {
	if len(ladder) == 0 {
		return HLS{}, errors.New("ffmpeg: empty ladder")
	}
	if err := checkLadder(ladder); err != nil {
		return HLS{}, err
	}
	info, err := t.Probe(ctx, in)
	if err != nil {
		return HLS{}, err
	}
	video, _ := info.Video()
	_, hasAudio := info.Audio()
	plans := plan(ladder, video)

	release, err := t.acquire(ctx)
	if err != nil {
		return HLS{}, err
	}
	defer release()

	dst, tmp, err := staging(outDir)
	if err != nil {
		return HLS{}, err
	}
	done := false
	defer func() {
		if !done {
			_ = os.RemoveAll(tmp)
		}
	}()

	seg := t.cfg.SegmentDuration.Seconds()
	fps := video.FPS
	if fps <= 0 || fps > 120 {
		fps = 30
	}
	gop := int(math.Round(fps * seg))

	args := []string{
		"-hide_banner", "-nostdin", "-v", "error", "-nostats",
		"-progress", "pipe:1", "-stats_period", "0.5",
		"-protocol_whitelist", "file,pipe",
		"-format_whitelist", demuxers,
		// The container's duration passed the quota; a header that lies
		// cannot make the run longer than the quota either.
		"-t", strconv.FormatFloat(t.cfg.MaxDuration.Seconds(), 'f', 3, 64),
		"-i", info.Path,
	}
	var graph strings.Builder
	fmt.Fprintf(&graph, "[0:v:0]split=%d", len(plans))
	for i := range plans {
		fmt.Fprintf(&graph, "[s%d]", i)
	}
	for i, p := range plans {
		fmt.Fprintf(&graph, ";[s%d]scale=%d:%d,setsar=1,format=yuv420p[v%d]", i, p.width, p.height, i)
	}
	args = append(args, "-filter_complex", graph.String())
	for i, p := range plans {
		dir := filepath.Join(tmp, p.rung.Name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			return HLS{}, err
		}
		args = append(args, "-map", fmt.Sprintf("[v%d]", i))
		if hasAudio {
			args = append(args, "-map", "0:a:0")
		}
		args = append(args,
			"-c:v", "libx264", "-preset", "veryfast",
			"-profile:v", p.profile, "-level:v", p.level,
			"-b:v", strconv.FormatInt(p.rung.VideoBitrate, 10),
			"-maxrate", strconv.FormatInt(p.rung.VideoBitrate*107/100, 10),
			"-bufsize", strconv.FormatInt(p.rung.VideoBitrate*3/2, 10),
			"-g", strconv.Itoa(gop), "-keyint_min", strconv.Itoa(gop), "-sc_threshold", "0",
			"-force_key_frames", fmt.Sprintf("expr:gte(t,n_forced*%g)", seg),
		)
		if hasAudio {
			args = append(args, "-c:a", "aac", "-b:a", strconv.FormatInt(p.rung.AudioBitrate, 10), "-ac", "2", "-ar", "48000")
		}
		args = append(args,
			"-protocol_whitelist", "file",
			"-f", "hls", "-hls_time", strconv.FormatFloat(seg, 'f', -1, 64),
			"-hls_playlist_type", "vod", "-hls_flags", "independent_segments",
			"-hls_segment_type", "mpegts",
			"-hls_segment_filename", p.rung.Name+"/seg_%05d.ts",
			p.rung.Name+"/index.m3u8",
		)
	}

	pr, pw := io.Pipe()
	reported := make(chan struct{})
	go func() {
		defer close(reported)
		readProgress(pr, info.Duration, progress)
	}()
	c := &command{bin: t.cfg.FFmpeg, args: args, dir: tmp, stdout: pw}
	runErr := c.run(ctx)
	_ = pw.Close()
	<-reported
	if runErr != nil {
		return HLS{}, fmt.Errorf("ffmpeg: transcode %s: %w", filepath.Base(info.Path), runErr)
	}

	out := HLS{Dir: dst, Master: filepath.Join(dst, MasterPlaylist), Duration: info.Duration}
	for _, p := range plans {
		r, err := measure(tmp, p, hasAudio)
		if err != nil {
			// ffmpeg can exit 0 after failing to write a segment, so an
			// incomplete rendition is caught here.
			return HLS{}, fmt.Errorf("ffmpeg: transcode %s: rendition %s: %w", filepath.Base(info.Path), p.rung.Name, err)
		}
		out.Renditions = append(out.Renditions, r)
		out.Size += r.Size
	}
	master := masterPlaylist(out.Renditions, fps)
	if err := os.WriteFile(filepath.Join(tmp, MasterPlaylist), []byte(master), 0o644); err != nil {
		return HLS{}, err
	}
	out.Size += int64(len(master))
	if err := intoPlace(tmp, dst); err != nil {
		return HLS{}, err
	}
	done = true
	if progress != nil {
		progress(Progress{Percent: 100, OutTime: info.Duration})
	}
	return out, nil
}

func checkLadder(l Ladder) error {
	seen := map[string]bool{}
	for _, r := range l {
		switch {
		case r.Name == "" || r.Name == "." || r.Name == ".." || strings.ContainsAny(r.Name, `/\`) || r.Name == MasterPlaylist:
			return fmt.Errorf("ffmpeg: bad rung name %q", r.Name)
		case seen[r.Name]:
			return fmt.Errorf("ffmpeg: rung %q twice", r.Name)
		case r.Height < 16 || r.Height > 4320 || r.VideoBitrate <= 0 || r.AudioBitrate <= 0:
			return fmt.Errorf("ffmpeg: rung %q: height and bitrates must be positive", r.Name)
		}
		seen[r.Name] = true
	}
	return nil
}

// rungPlan is a rung as it will be encoded for one input.
type rungPlan struct {
	rung          Rung
	width, height int
	profile       string // x264 profile
	level         string // e.g. "3.1"
	codec         string // avc1.PPCCLL
}

// plan fits the ladder to the input: no upscaling, even sizes, the
// input's aspect ratio, and the lowest H.264 level that holds each rung.
func plan(ladder Ladder, v Stream) []rungPlan {
	var rungs []Rung
	for _, r := range ladder {
		if r.Height <= v.Height {
			rungs = append(rungs, r)
		}
	}
	if len(rungs) == 0 {
		low := ladder.Lowest()[0]
		low.Height = v.Height
		rungs = []Rung{low}
	}
	fps := v.FPS
	if fps <= 0 {
		fps = 30
	}
	var plans []rungPlan
	for _, r := range rungs {
		h := r.Height &^ 1
		w := int(math.Round(float64(v.Width)*float64(h)/float64(v.Height))) &^ 1
		if w < 2 {
			w = 2
		}
		// High profile (x264 leaves its constraint flags clear: 0x00);
		// the level from the macroblock rate and the peak bitrate.
		lvl := h264Level(w, h, fps, r.VideoBitrate*107/100)
		plans = append(plans, rungPlan{
			rung: r, width: w, height: h,
			profile: "high",
			level:   fmt.Sprintf("%d.%d", lvl/10, lvl%10),
			codec:   fmt.Sprintf("avc1.6400%02x", lvl),
		})
	}
	return plans
}

// h264Level returns the lowest H.264 level (times ten) whose frame size,
// macroblock rate and High-profile bitrate limits hold the stream.
func h264Level(w, h int, fps float64, bitrate int64) int {
	mbs := ((w + 15) / 16) * ((h + 15) / 16)
	mbps := float64(mbs) * fps
	levels := []struct {
		level   int
		maxFS   int
		maxMBPS float64
		maxBR   int64 // bits/s, High profile (1.25 x the baseline figure)
	}{
		{30, 1620, 40500, 12_500_000},
		{31, 3600, 108000, 17_500_000},
		{32, 5120, 216000, 25_000_000},
		{40, 8192, 245760, 25_000_000},
		{41, 8192, 245760, 62_500_000},
		{42, 8704, 522240, 62_500_000},
		{50, 22080, 589824, 168_750_000},
		{51, 36864, 983040, 300_000_000},
		{52, 36864, 2073600, 300_000_000},
	}
	for _, l := range levels {
		if mbs <= l.maxFS && mbps <= l.maxMBPS && bitrate <= l.maxBR {
			return l.level
		}
	}
	return 52
}

// readProgress turns ffmpeg's -progress key=value blocks into callbacks.
// It drains r to the end whatever happens, so ffmpeg never blocks on it.
func readProgress(r io.Reader, total time.Duration, progress func(Progress)) {
	sc := bufio.NewScanner(r)
	var cur Progress
	for sc.Scan() {
		key, val, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok {
			continue
		}
		switch key {
		case "out_time_us":
			if us, err := strconv.ParseInt(val, 10, 64); err == nil && us >= 0 {
				cur.OutTime = time.Duration(us) * time.Microsecond
			}
		case "speed":
			cur.Speed, _ = strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(val), "x"), 64)
		case "progress":
			if progress == nil {
				continue
			}
			if total > 0 {
				cur.Percent = math.Min(99.9, 100*float64(cur.OutTime)/float64(total))
			}
			if val == "end" {
				cur.Percent = 100
			}
			progress(cur)
		}
	}
	_, _ = io.Copy(io.Discard, r)
}

// measure reads a rendition's playlist and sizes its files.
func measure(root string, p rungPlan, hasAudio bool) (Rendition, error) {
	dir := filepath.Join(root, p.rung.Name)
	r := Rendition{
		Rung: p.rung, Width: p.width, Height: p.height,
		Codecs:   p.codec,
		Playlist: p.rung.Name + "/index.m3u8",
	}
	if hasAudio {
		r.Codecs += ",mp4a.40.2"
	}
	f, err := os.Open(filepath.Join(dir, "index.m3u8"))
	if err != nil {
		return r, err
	}
	segs, err := ParseMediaPlaylist(f)
	_ = f.Close()
	if err != nil {
		return r, err
	}
	if len(segs) == 0 {
		return r, errors.New("no segments")
	}
	var segBytes int64
	for _, s := range segs {
		fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(s.URI)))
		if err != nil {
			return r, err
		}
		segBytes += fi.Size()
		r.Duration += s.Duration
		if s.Duration > 0 {
			if peak := int64(float64(fi.Size()*8) / s.Duration.Seconds()); peak > r.PeakBitrate {
				r.PeakBitrate = peak
			}
		}
	}
	r.Segments = len(segs)
	if r.Duration > 0 {
		r.Bitrate = int64(float64(segBytes*8) / r.Duration.Seconds())
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return r, err
	}
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && fi.Mode().IsRegular() {
			r.Size += fi.Size()
		}
	}
	return r, nil
}

// masterPlaylist lists each rendition with its measured peak
// (BANDWIDTH) and average (AVERAGE-BANDWIDTH) bitrates.
func masterPlaylist(rs []Rendition, fps float64) string {
	var b strings.Builder
	b.WriteString("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n")
	for _, r := range rs {
		fmt.Fprintf(&b, "#EXT-X-STREAM-INF:BANDWIDTH=%d,AVERAGE-BANDWIDTH=%d,RESOLUTION=%dx%d,FRAME-RATE=%.3f,CODECS=\"%s\"\n%s\n",
			r.PeakBitrate, r.Bitrate, r.Width, r.Height, fps, r.Codecs, r.Playlist)
	}
	return b.String()
}
