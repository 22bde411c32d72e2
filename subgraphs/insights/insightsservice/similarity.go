package insightsservice

import "math"

// CoViews is what the store knows about who watched a title alongside
// which other titles: the item-to-item co-occurrence that collaborative
// filtering ranks by.
type CoViews struct {
	TitleID string
	// Viewers is how many distinct profiles watched the title.
	Viewers int
	// With lists every other title some of those profiles watched, most
	// shared viewers first, then by id.
	With []CoView
}

// CoView is another title watched by profiles that watched a given one.
type CoView struct {
	TitleID string
	// Both is how many profiles watched both titles.
	Both int
	// Viewers is how many distinct profiles watched this other title.
	Viewers int
}

// Similarity scores how alike two titles are from their audiences: both
// profiles that watched the two, and a and b those that watched each. A nil
// Of ranks by popularity alone.
type Similarity struct {
	Name string
	Of   func(both, a, b int) float64
}

// The similarities recommendations can rank by. Cosine is the default: on
// the offline evaluation (make eval-recommend) it scores level with or
// just above Jaccard, and it is the usual item-to-item choice.
var (
	// Cosine is both / sqrt(a*b), the cosine of the two titles' binary
	// viewer vectors.
	Cosine = Similarity{Name: "cosine", Of: cosine}
	// Jaccard is both / (a + b - both), the overlap of the two audiences.
	Jaccard = Similarity{Name: "jaccard", Of: jaccard}
	// Popularity is no similarity at all: every profile gets the popular
	// titles it has not watched (the ranking before collaborative
	// filtering, kept as the evaluation's baseline).
	Popularity = Similarity{Name: "popularity"}
)

func cosine(both, a, b int) float64 {
	if both <= 0 || a <= 0 || b <= 0 {
		return 0
	}
	return float64(both) / math.Sqrt(float64(a)*float64(b))
}

func jaccard(both, a, b int) float64 {
	union := a + b - both
	if both <= 0 || union <= 0 {
		return 0
	}
	return float64(both) / float64(union)
}

// WithSimilarity sets how recommendations compare titles; Cosine
// otherwise.
func WithSimilarity(sim Similarity) Option { return func(s *Service) { s.similarity = sim } }
