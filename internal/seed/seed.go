// Package seed generates Cinegraph's deterministic demo data set: a catalog
// of films and series with people and genres, their videos and renditions,
// viewer profiles, watch-party rooms with messages, viewing history and
// frame annotations. Every subgraph loads its own part of the same Fixture
// through the Seeder its service implements, so identifiers agree across
// subgraphs without any of them calling another.
package seed

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Sizes of the generated data set.
const (
	// TitleCount is how many titles the catalog holds.
	TitleCount = 520
	// PersonCount is how many people appear in credits.
	PersonCount = 900
	// ProfileCount is how many viewer profiles exist (profile-1 ... profile-N).
	ProfileCount = 5
	// RoomsWithMessages is how many watch-party rooms get seeded messages.
	RoomsWithMessages = 150
)

// Epoch is the fixed instant seeded timestamps count back from, so the data
// is identical on every machine and every run.
var epoch = time.Date(2026, time.October, 1, 20, 0, 0, 0, time.UTC)

// Epoch returns the instant seeded activity ends at.
func Epoch() time.Time { return epoch }

// Fixture is the whole seeded data set.
type Fixture struct {
	Genres   []Genre
	People   []Person
	Titles   []Title
	Profiles []Profile
	MyList   []ListEntry
	Videos   []Video
	Rooms    []Room
	Messages []Message
	Viewing  []Viewing
	// Frames are stills of the videos, which the insights subgraph runs
	// its object detector on.
	Frames []Frame
}

// Genre is a catalog genre.
type Genre struct {
	Slug string
	Name string
}

// Person is someone credited on titles.
type Person struct {
	ID        string
	Name      string
	BirthYear int // 0 when unknown
}

// Title is a film (Kind "MOVIE") or a series (Kind "SERIES").
type Title struct {
	ID             string
	Name           string
	Synopsis       string
	Kind           string
	Genres         []string // genre slugs
	ReleaseYear    int
	MaturityRating string
	RuntimeMinutes int // 0 for series
	Credits        []Credit
	Seasons        []Season
	SearchBoost    float64
}

// Credit is a person's part in a title, in billing order.
type Credit struct {
	PersonID  string
	Role      string // ACTOR, DIRECTOR, WRITER, CREATOR
	Character string // actors only
}

// Season groups a series' episodes.
type Season struct {
	Number   int
	Episodes []Episode
}

// Episode is one episode of a series.
type Episode struct {
	ID             string
	Number         int
	Name           string
	Synopsis       string
	RuntimeMinutes int
}

// Profile is a viewer profile.
type Profile struct {
	ID   string
	Name string
}

// ListEntry is a title saved to a profile's My List.
type ListEntry struct {
	ProfileID string
	TitleID   string
	AddedAt   time.Time
}

// Video is a playable asset.
type Video struct {
	ID              string
	TitleID         string
	EpisodeID       string // for EPISODE videos
	Kind            string // FEATURE, TRAILER, EPISODE
	Name            string
	DurationSeconds int
	Renditions      []Rendition
}

// Rendition is one encoding of a video.
type Rendition struct {
	ID          string
	Width       int
	Height      int
	BitrateKbps int
	Codec       string // H264, H265, VP9, AV1
	URL         string
}

// Room is a title's watch-party chat room.
type Room struct {
	ID        string
	TitleID   string
	TitleName string
}

// Message is a seeded chat message.
type Message struct {
	ID       string
	RoomID   string
	AuthorID string
	Body     string
	SentAt   time.Time
}

// Viewing is a profile's progress in a video.
type Viewing struct {
	ProfileID       string
	VideoID         string
	PositionSeconds int
	LastWatchedAt   time.Time
}

// Frame is a still of a video at a point in time. Seeded videos have no
// media of their own, so each frame is one of the sample photographs in
// FrameImages, named by file.
type Frame struct {
	VideoID   string
	TitleID   string
	AtSeconds float64
	// Image is a file name from FrameImages.
	Image string
}

// FrameImages are the photographs seeded frames show: scikit-image's
// sample data (public domain and CC0), which deploy/local/models.sh puts in
// the models folder's frames/ beside the detector. The astronaut has a
// face; the others have none.
var FrameImages = []string{"astronaut.png", "coffee.png", "chelsea.png", "rocket.jpg", "hubble_deep_field.jpg"}

// RoomID is the watch-party room of a title.
func RoomID(titleID string) string { return "room-" + titleID }

// ProfileID is the id of the n-th profile, from 1.
func ProfileID(n int) string { return fmt.Sprintf("profile-%d", n) }

// Generate builds the fixture. It is deterministic: the same data every call.
func Generate() *Fixture {
	g := &generator{rng: rand.New(rand.NewPCG(0x63696e65, 0x67726170))}
	f := &Fixture{Genres: genres()}
	f.People = g.people()
	f.Titles = g.titles(f.Genres, f.People)
	f.Profiles = profiles()
	f.MyList = g.myList(f.Titles)
	f.Videos = g.videos(f.Titles)
	f.Rooms = rooms(f.Titles)
	f.Messages = g.messages(f.Rooms)
	f.Viewing = g.viewing(f.Videos)
	f.Frames = g.frames(f.Videos)
	return f
}

type generator struct {
	rng *rand.Rand
}

func (g *generator) pick(words []string) string { return words[g.rng.IntN(len(words))] }

func (g *generator) between(lo, hi int) int { return lo + g.rng.IntN(hi-lo+1) }

func genres() []Genre {
	names := []struct{ slug, name string }{
		{"action", "Action"}, {"adventure", "Adventure"}, {"animation", "Animation"},
		{"comedy", "Comedy"}, {"crime", "Crime"}, {"documentary", "Documentary"},
		{"drama", "Drama"}, {"family", "Family"}, {"fantasy", "Fantasy"},
		{"horror", "Horror"}, {"mystery", "Mystery"}, {"romance", "Romance"},
		{"sci-fi", "Science Fiction"}, {"thriller", "Thriller"}, {"war", "War"},
		{"western", "Western"},
	}
	out := make([]Genre, len(names))
	for i, n := range names {
		out[i] = Genre{Slug: n.slug, Name: n.name}
	}
	return out
}

func (g *generator) people() []Person {
	seen := map[string]bool{}
	out := make([]Person, 0, PersonCount)
	for len(out) < PersonCount {
		name := g.pick(firstNames) + " " + g.pick(lastNames)
		if seen[name] {
			continue
		}
		seen[name] = true
		birth := 0
		if g.rng.IntN(10) > 0 {
			birth = g.between(1935, 2008)
		}
		out = append(out, Person{ID: fmt.Sprintf("n%04d", len(out)+1), Name: name, BirthYear: birth})
	}
	return out
}

func profiles() []Profile {
	names := []string{"Ada", "Grace", "Linus", "Margaret", "Alan"}
	out := make([]Profile, ProfileCount)
	for i := range out {
		out[i] = Profile{ID: ProfileID(i + 1), Name: names[i%len(names)]}
	}
	return out
}

func rooms(titles []Title) []Room {
	out := make([]Room, len(titles))
	for i, t := range titles {
		out[i] = Room{ID: RoomID(t.ID), TitleID: t.ID, TitleName: t.Name}
	}
	return out
}

func (g *generator) myList(titles []Title) []ListEntry {
	var out []ListEntry
	for p := 1; p <= ProfileCount; p++ {
		n := 10 - p
		used := map[int]bool{}
		for i := 0; i < n; i++ {
			idx := g.rng.IntN(len(titles))
			if used[idx] {
				continue
			}
			used[idx] = true
			out = append(out, ListEntry{
				ProfileID: ProfileID(p),
				TitleID:   titles[idx].ID,
				AddedAt:   epoch.Add(-time.Duration(g.between(1, 60*24)) * time.Hour),
			})
		}
	}
	return out
}
