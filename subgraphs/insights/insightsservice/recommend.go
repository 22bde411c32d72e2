package insightsservice

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/cinegraph/cinegraph/internal/depguard"
)

// Recommendation weights: popularity dominates, audience sentiment breaks
// ties and lifts well-liked titles.
const (
	popularityWeight = 0.7
	sentimentWeight  = 0.3
	// candidatePool is how many popular titles are ranked per batch, on top
	// of the titles a profile already watched.
	candidatePool = 500
)

// Recommendations ranks titles for each profile, in order: titles most
// profiles watched, lifted by positive audiences, without the titles the
// profile watched. Each list holds at most MaxRecommendations.
//
// The ranking runs through its guard. While it fails, is slow or is cut
// off, every profile gets the same list of the most popular titles, ranked
// alike but not personal (watched titles stay in), marked degraded
// (RecommendationsFallbackPopular).
func (s *Service) Recommendations(ctx context.Context, profileIDs []string) ([][]Recommendation, error) {
	if err := CheckIDs("profileId", profileIDs); err != nil {
		return nil, err
	}
	out, err := depguard.Do(ctx, s.recommendationsGuard, func(ctx context.Context) ([][]Recommendation, error) {
		return s.recommend(ctx, profileIDs)
	})
	if err == nil || !depguard.Failed(ctx, err) {
		return out, err
	}
	popular, perr := s.popular(ctx, len(profileIDs))
	if perr != nil {
		return nil, errors.Join(err, perr)
	}
	s.recommendationsGuard.Degraded(ctx, RecommendationsFallbackPopular)
	return popular, nil
}

// popular is the recommendations fallback: the MaxRecommendations most
// popular titles, one copy per profile. It costs one small store read.
func (s *Service) popular(ctx context.Context, profiles int) ([][]Recommendation, error) {
	stats, err := s.store.PopularTitles(ctx, MaxRecommendations)
	if err != nil {
		return nil, fmt.Errorf("load popular titles for the recommendations fallback: %w", err)
	}
	ranked := rank(stats)
	out := make([][]Recommendation, profiles)
	for i := range out {
		out[i] = slices.Clone(ranked)
	}
	return out, nil
}

// recommend is the personal ranking.
func (s *Service) recommend(ctx context.Context, profileIDs []string) ([][]Recommendation, error) {
	watched, err := s.store.WatchedTitlesByProfileIDs(ctx, profileIDs)
	if err != nil {
		return nil, fmt.Errorf("load watched titles of %d profiles: %w", len(profileIDs), err)
	}
	most := 0
	for _, w := range watched {
		most = max(most, len(w))
	}
	popular, err := s.store.PopularTitles(ctx, candidatePool+most)
	if err != nil {
		return nil, fmt.Errorf("load popular titles: %w", err)
	}
	ranked := rank(popular)
	out := make([][]Recommendation, len(profileIDs))
	for i := range profileIDs {
		seen := make(map[string]bool, len(watched[i]))
		for _, id := range watched[i] {
			seen[id] = true
		}
		list := make([]Recommendation, 0, MaxRecommendations)
		for _, r := range ranked {
			if len(list) == MaxRecommendations {
				break
			}
			if !seen[r.TitleID] {
				list = append(list, r)
			}
		}
		out[i] = list
	}
	return out, nil
}

// rank scores the popular titles and orders them best first.
func rank(popular []TitleStat) []Recommendation {
	maxViewers := 0
	for _, p := range popular {
		maxViewers = max(maxViewers, p.Viewers)
	}
	ranked := make([]Recommendation, len(popular))
	for i, p := range popular {
		ranked[i] = Recommendation{TitleID: p.TitleID, Score: rankScore(p, maxViewers), Reason: reason(p), Audience: p.Audience}
	}
	sort.SliceStable(ranked, func(i, j int) bool {
		if ranked[i].Score != ranked[j].Score {
			return ranked[i].Score > ranked[j].Score
		}
		return ranked[i].TitleID < ranked[j].TitleID
	})
	return ranked
}

// TopRecommendations returns the first n of a profile's recommendations.
func TopRecommendations(recs []Recommendation, first int) ([]Recommendation, error) {
	if err := CheckRecommendationsFirst(first); err != nil {
		return nil, err
	}
	return recs[:min(first, len(recs))], nil
}

// rankScore is in 0..1: the share of the most-watched title's viewers, and
// the audience's average score mapped from -1..1 to 0..1.
func rankScore(p TitleStat, maxViewers int) float64 {
	popularity := 0.0
	if maxViewers > 0 {
		popularity = float64(p.Viewers) / float64(maxViewers)
	}
	liking := (p.Audience.AverageScore() + 1) / 2
	return math.Round((popularityWeight*popularity+sentimentWeight*liking)*1e4) / 1e4
}

// reason explains a ranking in words, e.g. "Watched by 3 viewers;
// audiences are positive".
func reason(p TitleStat) string {
	var parts []string
	switch p.Viewers {
	case 0:
		parts = append(parts, "Not watched by anyone yet")
	case 1:
		parts = append(parts, "Watched by 1 viewer")
	default:
		parts = append(parts, fmt.Sprintf("Watched by %d viewers", p.Viewers))
	}
	if p.Audience.MessageCount == 0 {
		parts = append(parts, "no audience reactions yet")
	} else {
		parts = append(parts, "audiences are "+strings.ToLower(string(p.Audience.Label())))
	}
	return strings.Join(parts, "; ")
}
