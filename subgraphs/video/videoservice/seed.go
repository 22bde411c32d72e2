package videoservice

import (
	"context"
	"fmt"

	"github.com/cinegraph/cinegraph/internal/seed"
)

// Dataset is everything Store.Replace swaps in at once.
type Dataset struct {
	// Videos, in order: a title's videos of one kind keep this order.
	Videos     []Video
	Renditions []Rendition
	// Viewing is the viewing history; DurationSeconds is not stored (it is
	// the video's).
	Viewing []Viewing
}

// DatasetFromSeed extracts the video subgraph's part of the shared fixture.
func DatasetFromSeed(f *seed.Fixture) Dataset {
	d := Dataset{
		Videos:  make([]Video, 0, len(f.Videos)),
		Viewing: make([]Viewing, 0, len(f.Viewing)),
	}
	for _, v := range f.Videos {
		d.Videos = append(d.Videos, Video{
			ID: v.ID, TitleID: v.TitleID, EpisodeID: v.EpisodeID, Kind: VideoKind(v.Kind),
			Name: v.Name, DurationSeconds: v.DurationSeconds,
		})
		for _, r := range v.Renditions {
			d.Renditions = append(d.Renditions, Rendition{
				ID: r.ID, VideoID: v.ID, Width: r.Width, Height: r.Height,
				BitrateKbps: r.BitrateKbps, Codec: Codec(r.Codec), URL: r.URL,
			})
		}
	}
	for _, v := range f.Viewing {
		d.Viewing = append(d.Viewing, Viewing{
			ProfileID: v.ProfileID, VideoID: v.VideoID, PositionSeconds: v.PositionSeconds, LastWatchedAt: v.LastWatchedAt,
		})
	}
	return d
}

// Seed replaces videos, renditions, viewing history and sessions with the
// fixture's; events still waiting in the outbox are kept.
func (s *Service) Seed(ctx context.Context, f *seed.Fixture) error {
	if err := s.store.Replace(ctx, DatasetFromSeed(f)); err != nil {
		return fmt.Errorf("seed videos: %w", err)
	}
	return nil
}

// Empty reports whether the store holds no videos yet.
func (s *Service) Empty(ctx context.Context) (bool, error) {
	empty, err := s.store.Empty(ctx)
	if err != nil {
		return false, fmt.Errorf("check for videos: %w", err)
	}
	return empty, nil
}

var _ seed.Seeder = (*Service)(nil)
