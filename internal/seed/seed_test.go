package seed

import (
	"reflect"
	"strings"
	"testing"
)

func TestGenerateIsDeterministic(t *testing.T) {
	t.Parallel()
	a, b := Generate(), Generate()
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two calls produced different fixtures")
	}
}

func TestFixtureShape(t *testing.T) {
	t.Parallel()
	f := Generate()
	if len(f.Titles) != TitleCount {
		t.Fatalf("titles = %d, want %d", len(f.Titles), TitleCount)
	}
	ids := map[string]bool{}
	names := map[string]bool{}
	var series, episodes int
	for _, title := range f.Titles {
		if ids[title.ID] || names[title.Name] {
			t.Fatalf("duplicate title %s %q", title.ID, title.Name)
		}
		ids[title.ID], names[title.Name] = true, true
		if len(title.Genres) == 0 || len(title.Credits) < 6 {
			t.Fatalf("title %s lacks genres or credits", title.ID)
		}
		switch title.Kind {
		case "SERIES":
			series++
			if title.RuntimeMinutes != 0 || len(title.Seasons) == 0 {
				t.Fatalf("series %s: runtime %d seasons %d", title.ID, title.RuntimeMinutes, len(title.Seasons))
			}
			for _, s := range title.Seasons {
				episodes += len(s.Episodes)
			}
		case "MOVIE":
			if title.RuntimeMinutes == 0 || len(title.Seasons) != 0 {
				t.Fatalf("movie %s: runtime %d seasons %d", title.ID, title.RuntimeMinutes, len(title.Seasons))
			}
		default:
			t.Fatalf("title %s kind %q", title.ID, title.Kind)
		}
	}
	if series == 0 || episodes < series*6 {
		t.Fatalf("series %d episodes %d", series, episodes)
	}
	videoIDs := map[string]bool{}
	for _, v := range f.Videos {
		if videoIDs[v.ID] || !ids[v.TitleID] || len(v.Renditions) < 3 {
			t.Fatalf("bad video %+v", v)
		}
		videoIDs[v.ID] = true
	}
	if len(f.Videos) < len(f.Titles)*2 {
		t.Fatalf("videos = %d", len(f.Videos))
	}
	for _, m := range f.Messages {
		if !strings.HasPrefix(m.RoomID, "room-t") || m.Body == "" {
			t.Fatalf("bad message %+v", m)
		}
	}
	for _, v := range f.Viewing {
		if !videoIDs[v.VideoID] {
			t.Fatalf("viewing of unknown video %s", v.VideoID)
		}
	}
	if len(f.Rooms) != len(f.Titles) || len(f.Profiles) != ProfileCount || len(f.Frames) == 0 || len(f.MyList) == 0 {
		t.Fatalf("rooms %d profiles %d frames %d mylist %d", len(f.Rooms), len(f.Profiles), len(f.Frames), len(f.MyList))
	}
}
