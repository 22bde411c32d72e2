// Package videostoretest is the contract every video Store implementation must
// pass: Run exercises reads, writes, atomicity, the outbox and seeding
// against a fresh store, with a small fixture whose answers are known.
package videostoretest

import (
	"strconv"
	"time"

	"github.com/cinegraph/cinegraph/internal/seed"
	"github.com/cinegraph/cinegraph/subgraphs/video/videoservice"
)

// Fixture ids.
const (
	Movie          = "t0001"
	Series         = "t0002"
	MovieFeature   = "v-t0001-feature"
	MovieTrailer   = "v-t0001-trailer"
	SeriesTrailer  = "v-t0002-trailer"
	Episode1       = "t0002-s01e01"
	Episode2       = "t0002-s01e02"
	Episode1Video  = "v-t0002-s01e01"
	Episode2Video  = "v-t0002-s01e02"
	Watcher        = "profile-1"
	OtherWatcher   = "profile-2"
	FeatureSeconds = 6000
	EpisodeSeconds = 1800
)

// At is the fixed instant fixture activity counts back from.
var At = time.Date(2026, time.October, 1, 20, 0, 0, 0, time.UTC)

// Fixture is a small data set: a film with a feature and a trailer (the
// feature with a 4K rendition), a series with a trailer and two episodes,
// and viewing for two profiles:
//
//	profile-1: feature at 1000s (in progress, 1h ago), episode 1 at 1790s
//	           (completed, 2h ago), episode 2 at 0s (3h ago)
//	profile-2: feature at 3000s (in progress, 1h ago)
func Fixture() videoservice.Dataset { return videoservice.DatasetFromSeed(SeedFixture()) }

// SeedFixture is Fixture in the shape of the shared demo fixture, for tests
// that seed through the service.
func SeedFixture() *seed.Fixture {
	ladder := func(id string, uhd bool) []seed.Rendition {
		heights := []struct{ w, h, kbps int }{{1920, 1080, 6000}, {1280, 720, 3500}, {854, 480, 1500}}
		var out []seed.Rendition
		if uhd {
			out = append(out, seed.Rendition{ID: id + "-2160p", Width: 3840, Height: 2160, BitrateKbps: 12000, Codec: "AV1", URL: "/media/" + id + "/2160p.mp4"})
		}
		for _, h := range heights {
			out = append(out, seed.Rendition{
				ID: id + "-" + strconv.Itoa(h.h) + "p", Width: h.w, Height: h.h, BitrateKbps: h.kbps, Codec: "H264",
				URL: "/media/" + id + "/" + strconv.Itoa(h.h) + "p.mp4",
			})
		}
		return out
	}
	return &seed.Fixture{
		Videos: []seed.Video{
			{ID: MovieTrailer, TitleID: Movie, Kind: "TRAILER", Name: "Film (Trailer)", DurationSeconds: 120, Renditions: ladder(MovieTrailer, false)},
			{ID: MovieFeature, TitleID: Movie, Kind: "FEATURE", Name: "Film", DurationSeconds: FeatureSeconds, Renditions: ladder(MovieFeature, true)},
			{ID: SeriesTrailer, TitleID: Series, Kind: "TRAILER", Name: "Show (Trailer)", DurationSeconds: 90, Renditions: ladder(SeriesTrailer, false)},
			{ID: Episode1Video, TitleID: Series, EpisodeID: Episode1, Kind: "EPISODE", Name: "Show S1E1: Pilot", DurationSeconds: EpisodeSeconds, Renditions: ladder(Episode1Video, false)},
			{ID: Episode2Video, TitleID: Series, EpisodeID: Episode2, Kind: "EPISODE", Name: "Show S1E2: After", DurationSeconds: EpisodeSeconds, Renditions: ladder(Episode2Video, false)},
		},
		Viewing: []seed.Viewing{
			{ProfileID: Watcher, VideoID: MovieFeature, PositionSeconds: 1000, LastWatchedAt: At.Add(-time.Hour)},
			{ProfileID: Watcher, VideoID: Episode1Video, PositionSeconds: 1790, LastWatchedAt: At.Add(-2 * time.Hour)},
			{ProfileID: Watcher, VideoID: Episode2Video, PositionSeconds: 0, LastWatchedAt: At.Add(-3 * time.Hour)},
			{ProfileID: OtherWatcher, VideoID: MovieFeature, PositionSeconds: 3000, LastWatchedAt: At.Add(-time.Hour)},
		},
	}
}
