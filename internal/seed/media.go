package seed

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

func (g *generator) videos(titles []Title) []Video {
	var out []Video
	for _, t := range titles {
		out = append(out, g.video(t, "", "TRAILER", t.Name+" (Trailer)", g.between(90, 180)))
		if t.Kind == "MOVIE" {
			out = append(out, g.video(t, "", "FEATURE", t.Name, t.RuntimeMinutes*60+g.between(0, 59)))
			continue
		}
		for _, s := range t.Seasons {
			for _, e := range s.Episodes {
				name := fmt.Sprintf("%s S%dE%d: %s", t.Name, s.Number, e.Number, e.Name)
				out = append(out, g.video(t, e.ID, "EPISODE", name, e.RuntimeMinutes*60+g.between(0, 59)))
			}
		}
	}
	return out
}

func (g *generator) video(t Title, episodeID, kind, name string, seconds int) Video {
	var id string
	switch kind {
	case "EPISODE":
		id = "v-" + episodeID
	default:
		id = fmt.Sprintf("v-%s-%s", t.ID, map[string]string{"FEATURE": "feature", "TRAILER": "trailer"}[kind])
	}
	ladder := []struct {
		w, h, kbps int
		codec      string
	}{
		{1920, 1080, 6000, "H264"},
		{1280, 720, 3500, "H264"},
		{854, 480, 1500, "H264"},
	}
	if t.ReleaseYear >= 2012 {
		uhd := struct {
			w, h, kbps int
			codec      string
		}{3840, 2160, 16000, "H265"}
		if t.ReleaseYear >= 2019 {
			uhd.codec, uhd.kbps = "AV1", 12000
		}
		ladder = append(ladder[:0:0], append([]struct {
			w, h, kbps int
			codec      string
		}{uhd}, ladder...)...)
	}
	v := Video{ID: id, TitleID: t.ID, EpisodeID: episodeID, Kind: kind, Name: name, DurationSeconds: seconds}
	for _, r := range ladder {
		v.Renditions = append(v.Renditions, Rendition{
			ID:          fmt.Sprintf("%s-%dp", id, r.h),
			Width:       r.w,
			Height:      r.h,
			BitrateKbps: r.kbps + g.between(-200, 200),
			Codec:       r.codec,
			URL:         fmt.Sprintf("/media/%s/%dp.mp4", id, r.h),
		})
	}
	return v
}

func (g *generator) messages(rooms []Room) []Message {
	// The busy rooms belong to the titles listed first (by name, as the
	// titles query and the web app's home page order them), so the first
	// titles anyone looks at have an audience.
	byName := slices.Clone(rooms)
	slices.SortStableFunc(byName, func(a, b Room) int { return strings.Compare(a.TitleName, b.TitleName) })
	var out []Message
	for i, r := range byName {
		if i >= RoomsWithMessages {
			break
		}
		n := g.between(2, 12)
		// Rooms lean one way or the other, as real audiences do.
		mood := g.rng.IntN(3)
		at := epoch.Add(-time.Duration(g.between(60, 30*24*60)) * time.Minute)
		for m := 0; m < n; m++ {
			var body string
			switch {
			case g.rng.IntN(3) < 2 && mood == 0:
				body = g.pick(positiveLines)
			case g.rng.IntN(3) < 2 && mood == 1:
				body = g.pick(negativeLines)
			default:
				body = g.pick(neutralLines)
			}
			at = at.Add(time.Duration(g.between(5, 600)) * time.Second)
			out = append(out, Message{
				ID:       fmt.Sprintf("m-%s-%03d", r.TitleID, m+1),
				RoomID:   r.ID,
				AuthorID: ProfileID(g.between(1, ProfileCount)),
				Body:     body,
				SentAt:   at,
			})
		}
	}
	return out
}

func (g *generator) viewing(videos []Video) []Viewing {
	var out []Viewing
	for p := 1; p <= ProfileCount; p++ {
		used := map[int]bool{}
		for i, n := 0, g.between(6, 14); i < n; i++ {
			idx := g.rng.IntN(len(videos))
			if used[idx] || videos[idx].Kind == "TRAILER" {
				continue
			}
			used[idx] = true
			v := videos[idx]
			pos := v.DurationSeconds
			if g.rng.IntN(2) == 0 {
				pos = v.DurationSeconds * g.between(5, 90) / 100
			}
			out = append(out, Viewing{
				ProfileID:       ProfileID(p),
				VideoID:         v.ID,
				PositionSeconds: pos,
				LastWatchedAt:   epoch.Add(-time.Duration(g.between(1, 45*24*60)) * time.Minute),
			})
		}
	}
	return out
}

func (g *generator) frames(videos []Video) []Frame {
	var out []Frame
	for _, v := range videos {
		if v.Kind == "TRAILER" {
			continue
		}
		// Frames at distinct times, in time order.
		n := g.between(2, 4)
		step := float64(v.DurationSeconds) / float64(n+1)
		for i := 1; i <= n; i++ {
			out = append(out, Frame{
				VideoID:   v.ID,
				TitleID:   v.TitleID,
				AtSeconds: float64(int(step*float64(i)*10)) / 10,
				Image:     g.pick(FrameImages),
			})
		}
	}
	return out
}
