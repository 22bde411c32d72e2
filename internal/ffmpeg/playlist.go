package ffmpeg

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Segment is one entry of an HLS media playlist.
type Segment struct {
	URI      string
	Duration time.Duration
}

// ParseMediaPlaylist reads the segments of an HLS media playlist.
func ParseMediaPlaylist(r io.Reader) ([]Segment, error) {
	sc := bufio.NewScanner(r)
	var (
		segs    []Segment
		pending time.Duration
		have    bool
		line    int
	)
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		switch {
		case line == 1 && s != "#EXTM3U":
			return nil, fmt.Errorf("playlist: first line is %q, not #EXTM3U", s)
		case strings.HasPrefix(s, "#EXTINF:"):
			v, _, _ := strings.Cut(strings.TrimPrefix(s, "#EXTINF:"), ",")
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 {
				return nil, fmt.Errorf("playlist line %d: bad duration %q", line, v)
			}
			pending, have = time.Duration(f*float64(time.Second)), true
		case s == "" || strings.HasPrefix(s, "#"):
		default:
			if !have {
				return nil, fmt.Errorf("playlist line %d: %q has no #EXTINF", line, s)
			}
			segs = append(segs, Segment{URI: s, Duration: pending})
			have = false
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if line == 0 {
		return nil, fmt.Errorf("playlist: empty")
	}
	return segs, nil
}

// Variant is one entry of an HLS master playlist.
type Variant struct {
	URI              string
	Bandwidth        int64
	AverageBandwidth int64
	Resolution       string // "WxH"
	Codecs           string
	FrameRate        float64
}

// ParseMasterPlaylist reads the variants of an HLS master playlist.
func ParseMasterPlaylist(r io.Reader) ([]Variant, error) {
	sc := bufio.NewScanner(r)
	var (
		vars    []Variant
		pending *Variant
		line    int
	)
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		switch {
		case line == 1 && s != "#EXTM3U":
			return nil, fmt.Errorf("playlist: first line is %q, not #EXTM3U", s)
		case strings.HasPrefix(s, "#EXT-X-STREAM-INF:"):
			v := Variant{}
			for k, val := range attributes(strings.TrimPrefix(s, "#EXT-X-STREAM-INF:")) {
				switch k {
				case "BANDWIDTH":
					v.Bandwidth, _ = strconv.ParseInt(val, 10, 64)
				case "AVERAGE-BANDWIDTH":
					v.AverageBandwidth, _ = strconv.ParseInt(val, 10, 64)
				case "RESOLUTION":
					v.Resolution = val
				case "CODECS":
					v.Codecs = val
				case "FRAME-RATE":
					v.FrameRate, _ = strconv.ParseFloat(val, 64)
				}
			}
			pending = &v
		case s == "" || strings.HasPrefix(s, "#"):
		default:
			if pending == nil {
				return nil, fmt.Errorf("playlist line %d: %q has no #EXT-X-STREAM-INF", line, s)
			}
			pending.URI = s
			vars = append(vars, *pending)
			pending = nil
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return vars, nil
}

// attributes splits an HLS attribute list (KEY=value,KEY="quoted, value").
func attributes(s string) map[string]string {
	out := map[string]string{}
	for s != "" {
		key, rest, ok := strings.Cut(s, "=")
		if !ok {
			break
		}
		var val string
		if strings.HasPrefix(rest, `"`) {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				val, rest = rest[1:], ""
			} else {
				val, rest = rest[1:1+end], rest[2+end:]
			}
			rest = strings.TrimPrefix(rest, ",")
		} else {
			val, rest, _ = strings.Cut(rest, ",")
		}
		out[strings.TrimSpace(key)] = val
		s = rest
	}
	return out
}
