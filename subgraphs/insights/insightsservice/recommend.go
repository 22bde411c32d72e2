package insightsservice

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
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
func (s *Service) Recommendations(ctx context.Context, profileIDs []string) ([][]Recommendation, error) {
	if err := CheckIDs("profileId", profileIDs); err != nil {
		return nil, err
	}
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
