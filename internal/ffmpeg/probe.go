package ffmpeg

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// MaxFrameSide is the largest video width or height accepted (8K).
const MaxFrameSide = 8192

// Info is what Probe reads from an input.
type Info struct {
	Path      string // absolute
	Container string // ffmpeg's demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
	Duration  time.Duration
	Size      int64 // bytes
	Bitrate   int64 // bits/s over the whole file
	Streams   []Stream
}

// Stream is one video or audio stream (other kinds are left out).
type Stream struct {
	Index   int
	Type    string // "video" or "audio"
	Codec   string // e.g. "h264", "aac"
	Profile string // e.g. "High"
	Level   int    // H.264 level times ten, e.g. 31
	// Width and Height are the displayed size: swapped for a stream
	// rotated by 90 degrees.
	Width, Height int
	FPS           float64 // average frame rate
	Bitrate       int64   // bits/s; 0 when the container does not say
	SampleRate    int
	Channels      int
}

// Video returns the first video stream, if any.
func (i Info) Video() (Stream, bool) { return i.first("video") }

// Audio returns the first audio stream, if any.
func (i Info) Audio() (Stream, bool) { return i.first("audio") }

func (i Info) first(kind string) (Stream, bool) {
	for _, s := range i.Streams {
		if s.Type == kind {
			return s, true
		}
	}
	return Stream{}, false
}

// Probe reads an input's container, duration, size and streams with
// ffprobe and checks it against the quotas. Bad input (not a regular file,
// too large, not a video container, no video stream, too long) is an
// *InputError.
func (t *Tool) Probe(ctx context.Context, path string) (Info, error) {
	abs, fi, err := regularFile(path)
	if err != nil {
		return Info{}, err
	}
	if fi.Size() > t.cfg.MaxInputBytes {
		return Info{}, inputErr(ErrTooLarge, path, fmt.Sprintf("%d bytes, at most %d", fi.Size(), t.cfg.MaxInputBytes))
	}
	c := &command{bin: t.cfg.FFprobe, args: []string{
		"-v", "error", "-hide_banner",
		"-protocol_whitelist", "file,pipe",
		"-format_whitelist", demuxers,
		"-print_format", "json", "-show_format", "-show_streams",
		abs,
	}}
	if err := c.run(ctx); err != nil {
		if ctx.Err() != nil {
			return Info{}, err
		}
		msg := c.stderr.String()
		if strings.Contains(msg, "Permission denied") {
			return Info{}, fmt.Errorf("ffmpeg: probe %s: %w", path, err)
		}
		// Otherwise ffprobe exits non-zero when it cannot open or read
		// the container: the bytes are not a video we accept.
		return Info{}, inputErr(ErrNotVideo, path, firstLine(msg))
	}
	info, err := parseProbe(c.out.Bytes())
	if err != nil {
		return Info{}, inputErr(ErrNotVideo, path, err.Error())
	}
	info.Path = abs
	if info.Size == 0 {
		info.Size = fi.Size()
	}
	v, ok := info.Video()
	if !ok {
		return Info{}, inputErr(ErrNoVideo, path, "container "+info.Container)
	}
	if v.Width <= 0 || v.Height <= 0 {
		return Info{}, inputErr(ErrNoVideo, path, "video stream without a size")
	}
	if v.Width > MaxFrameSide || v.Height > MaxFrameSide {
		return Info{}, inputErr(ErrTooLarge, path, fmt.Sprintf("frames of %dx%d, at most %d on a side", v.Width, v.Height, MaxFrameSide))
	}
	if info.Duration <= 0 {
		return Info{}, inputErr(ErrNotVideo, path, "unknown duration")
	}
	if info.Duration > t.cfg.MaxDuration {
		return Info{}, inputErr(ErrTooLong, path, fmt.Sprintf("%s, at most %s", info.Duration.Round(time.Second), t.cfg.MaxDuration))
	}
	return info, nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// probeJSON is the part of ffprobe's JSON that Probe reads.
type probeJSON struct {
	Format struct {
		FormatName string `json:"format_name"`
		Duration   string `json:"duration"`
		Size       string `json:"size"`
		BitRate    string `json:"bit_rate"`
	} `json:"format"`
	Streams []struct {
		Index        int    `json:"index"`
		CodecType    string `json:"codec_type"`
		CodecName    string `json:"codec_name"`
		Profile      string `json:"profile"`
		Level        int    `json:"level"`
		Width        int    `json:"width"`
		Height       int    `json:"height"`
		AvgFrameRate string `json:"avg_frame_rate"`
		RFrameRate   string `json:"r_frame_rate"`
		BitRate      string `json:"bit_rate"`
		SampleRate   string `json:"sample_rate"`
		Channels     int    `json:"channels"`
		Duration     string `json:"duration"`
		Disposition  struct {
			AttachedPic int `json:"attached_pic"`
		} `json:"disposition"`
		Tags struct {
			Rotate string `json:"rotate"`
		} `json:"tags"`
		SideData []struct {
			Rotation float64 `json:"rotation"`
		} `json:"side_data_list"`
	} `json:"streams"`
}

func parseProbe(data []byte) (Info, error) {
	var p probeJSON
	if err := json.Unmarshal(data, &p); err != nil {
		return Info{}, fmt.Errorf("ffprobe output: %w", err)
	}
	if p.Format.FormatName == "" {
		return Info{}, errors.New("no container")
	}
	info := Info{
		Container: p.Format.FormatName,
		Duration:  seconds(p.Format.Duration),
		Size:      atoi64(p.Format.Size),
		Bitrate:   atoi64(p.Format.BitRate),
	}
	var longest time.Duration
	for _, s := range p.Streams {
		if s.CodecType != "video" && s.CodecType != "audio" {
			continue
		}
		if s.CodecType == "video" && s.Disposition.AttachedPic != 0 {
			continue // cover art, not a video
		}
		st := Stream{
			Index:      s.Index,
			Type:       s.CodecType,
			Codec:      s.CodecName,
			Profile:    s.Profile,
			Level:      s.Level,
			Width:      s.Width,
			Height:     s.Height,
			Bitrate:    atoi64(s.BitRate),
			SampleRate: int(atoi64(s.SampleRate)),
			Channels:   s.Channels,
		}
		if st.Type == "video" {
			st.FPS = rate(s.AvgFrameRate)
			if st.FPS == 0 {
				st.FPS = rate(s.RFrameRate)
			}
			rot := atoi64(s.Tags.Rotate)
			for _, sd := range s.SideData {
				if sd.Rotation != 0 {
					rot = int64(sd.Rotation)
				}
			}
			if rot%180 != 0 && rot%90 == 0 {
				st.Width, st.Height = st.Height, st.Width
			}
		}
		if d := seconds(s.Duration); d > longest {
			longest = d
		}
		info.Streams = append(info.Streams, st)
	}
	if info.Duration <= 0 {
		info.Duration = longest
	}
	return info, nil
}

func atoi64(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// seconds parses ffprobe's decimal seconds.
func seconds(s string) time.Duration {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return 0
	}
	return time.Duration(f * float64(time.Second))
}

// rate parses a frame rate such as "30000/1001".
func rate(s string) float64 {
	num, den, ok := strings.Cut(s, "/")
	if !ok {
		f, _ := strconv.ParseFloat(s, 64)
		return f
	}
	n, err1 := strconv.ParseFloat(num, 64)
	d, err2 := strconv.ParseFloat(den, 64)
	if err1 != nil || err2 != nil || d == 0 {
		return 0
	}
	return n / d
}
