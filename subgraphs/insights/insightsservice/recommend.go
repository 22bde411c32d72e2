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

// Recommendations ranks titles for each profile, in order: first the
// titles watched by the viewers of what the profile watched (item-to-item
// collaborative filtering, see recommend), then titles most profiles
// watched, lifted by positive audiences; never the titles the profile
// watched. Each list holds at most MaxRecommendations.
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

// recommend is the personal ranking: item-to-item collaborative filtering
// over the profiles' viewing histories, filled up with popular titles.
//
// A candidate's affinity is the sum of its similarity to each title the
// profile watched, from the pair counts the store keeps (CoViewsByTitleIDs).
// The counts live in the store, updated as each view is saved, rather than
// in memory rebuilt at start: the store is the source of truth, replicas
// share one consumer group and so each sees only some views, and a restart
// or a reseed then needs no rebuild. Titles the profile watched are never
// suggested. Personal picks come first, by affinity, then the most popular
// unwatched titles fill the list up to MaxRecommendations; a profile with
// no history (cold start) gets popular titles only.
func (s *Service) recommend(ctx context.Context, profileIDs []string) ([][]Recommendation, error) {
	watched, err := s.store.WatchedTitlesByProfileIDs(ctx, profileIDs)
	if err != nil {
		return nil, fmt.Errorf("load watched titles of %d profiles: %w", len(profileIDs), err)
	}
	most := 0
	var history []string
	for _, w := range watched {
		most = max(most, len(w))
		history = append(history, w...)
	}
	popular, err := s.store.PopularTitles(ctx, candidatePool+most)
	if err != nil {
		return nil, fmt.Errorf("load popular titles: %w", err)
	}
	ranked := rank(popular)
	coViews := map[string]CoViews{}
	if s.similarity.Of != nil && len(history) > 0 {
		co, err := s.store.CoViewsByTitleIDs(ctx, history)
		if err != nil {
			return nil, fmt.Errorf("load co-viewed titles of %d titles: %w", len(history), err)
		}
		for _, c := range co {
			coViews[c.TitleID] = c
		}
	}
	position := make(map[string]int, len(ranked))
	for i, r := range ranked {
		position[r.TitleID] = i
	}
	picks := make([][]affinity, len(profileIDs))
	var unranked []string
	for i := range profileIDs {
		picks[i] = personalPicks(watched[i], coViews, s.similarity, position)
		for _, p := range picks[i] {
			if _, ok := position[p.titleID]; !ok {
				unranked = append(unranked, p.titleID)
			}
		}
	}
	audiences := map[string]Audience{}
	if len(unranked) > 0 {
		found, err := s.store.AudiencesByTitleIDs(ctx, unranked)
		if err != nil {
			return nil, fmt.Errorf("load audience sentiment of %d recommended titles: %w", len(unranked), err)
		}
		for _, a := range found {
			audiences[a.TitleID] = a
		}
	}
	for _, r := range ranked {
		audiences[r.TitleID] = r.Audience
	}
	out := make([][]Recommendation, len(profileIDs))
	for i := range profileIDs {
		out[i] = fillUp(picks[i], watched[i], ranked, audiences)
	}
	return out, nil
}

// affinity is how well an unwatched title suits a profile.
type affinity struct {
	titleID string
	// sum is the title's summed similarity to the profile's titles, mean
	// that sum over all of them.
	sum, mean float64
	// because is how many of the profile's titles share viewers with it.
	because int
	// from are those titles with their similarity to this one.
	from []contribution
}

// contribution is how similar one watched title is to a candidate.
type contribution struct {
	titleID    string
	similarity float64
}

// MaxBecause bounds the watched titles a recommendation names as its
// reason.
const MaxBecause = 3

// becauseOf names the watched titles most similar to a pick, most similar
// first, then by id.
func (a affinity) becauseOf() []string {
	from := slices.Clone(a.from)
	sort.Slice(from, func(i, j int) bool {
		if from[i].similarity != from[j].similarity {
			return from[i].similarity > from[j].similarity
		}
		return from[i].titleID < from[j].titleID
	})
	out := make([]string, 0, min(len(from), MaxBecause))
	for _, c := range from[:min(len(from), MaxBecause)] {
		out = append(out, c.titleID)
	}
	return out
}

// personalPicks scores every unwatched title that shares viewers with a
// watched one, and returns the best MaxRecommendations: highest summed
// similarity first, then the more popular (position in the popularity
// ranking), then by id.
func personalPicks(watched []string, coViews map[string]CoViews, sim Similarity, position map[string]int) []affinity {
	if sim.Of == nil || len(watched) == 0 {
		return nil
	}
	seen := make(map[string]bool, len(watched))
	for _, id := range watched {
		seen[id] = true
	}
	scores := map[string]*affinity{}
	for _, w := range watched {
		c, ok := coViews[w]
		if !ok {
			continue
		}
		for _, o := range c.With {
			if seen[o.TitleID] {
				continue
			}
			v := sim.Of(o.Both, c.Viewers, o.Viewers)
			if v <= 0 {
				continue
			}
			a := scores[o.TitleID]
			if a == nil {
				a = &affinity{titleID: o.TitleID}
				scores[o.TitleID] = a
			}
			a.sum += v
			a.because++
			a.from = append(a.from, contribution{titleID: w, similarity: v})
		}
	}
	out := make([]affinity, 0, len(scores))
	for _, a := range scores {
		a.mean = a.sum / float64(len(watched))
		out = append(out, *a)
	}
	rankOf := func(id string) int {
		if p, ok := position[id]; ok {
			return p
		}
		return len(position)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].sum != out[j].sum {
			return out[i].sum > out[j].sum
		}
		if pi, pj := rankOf(out[i].titleID), rankOf(out[j].titleID); pi != pj {
			return pi < pj
		}
		return out[i].titleID < out[j].titleID
	})
	return out[:min(len(out), MaxRecommendations)]
}

// fillUp turns a profile's personal picks into recommendations and fills
// the list up to MaxRecommendations with the popular titles it neither
// watched nor was offered. Scores fall as the list goes: a personal pick
// scores 0.5 plus half its mean similarity, a popular one half its
// popularity score, so both stay in 0..1.
func fillUp(picks []affinity, watched []string, ranked []Recommendation, audiences map[string]Audience) []Recommendation {
	seen := make(map[string]bool, len(watched)+len(picks))
	for _, id := range watched {
		seen[id] = true
	}
	list := make([]Recommendation, 0, MaxRecommendations)
	for _, p := range picks {
		seen[p.titleID] = true
		a := audiences[p.titleID]
		a.TitleID = p.titleID
		list = append(list, Recommendation{
			TitleID:  p.titleID,
			Score:    math.Round((0.5+0.5*min(p.mean, 1))*1e4) / 1e4,
			Reason:   personalReason(p, a),
			Because:  p.becauseOf(),
			Audience: a,
		})
	}
	personal := len(list) > 0
	for _, r := range ranked {
		if len(list) == MaxRecommendations {
			break
		}
		if seen[r.TitleID] {
			continue
		}
		if personal {
			r.Score = math.Round(r.Score/2*1e4) / 1e4
		}
		list = append(list, r)
	}
	return list
}

// personalReason explains a personal pick, e.g. "Viewers who watched 2 of
// your titles also watched this; audiences are positive". The insights
// data holds title ids, not names, so the reason counts titles rather than
// naming them.
func personalReason(p affinity, a Audience) string {
	because := "Viewers who watched one of your titles also watched this"
	if p.because > 1 {
		because = fmt.Sprintf("Viewers who watched %d of your titles also watched this", p.because)
	}
	return because + "; " + audienceReason(a)
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
	parts = append(parts, audienceReason(p.Audience))
	return strings.Join(parts, "; ")
}

// audienceReason says how a title's watch party felt.
func audienceReason(a Audience) string {
	if a.MessageCount == 0 {
		return "no audience reactions yet"
	}
	return "audiences are " + strings.ToLower(string(a.Label()))
}
