// Package sentiment scores the sentiment of short texts such as chat
// messages. Models sit behind the Model interface so that a learned model can
// replace the lexicon one without touching callers.
package sentiment

import (
	"context"
	"math"
)

// Label is the class a score falls into.
type Label string

// The labels, matching the GraphQL SentimentLabel enum.
const (
	Positive Label = "POSITIVE"
	Neutral  Label = "NEUTRAL"
	Negative Label = "NEGATIVE"
)

// Valid reports whether l is one of the three labels.
func (l Label) Valid() bool { return l == Positive || l == Neutral || l == Negative }

// Threshold is how far from zero a score must be to count as positive or
// negative; VADER's authors recommend 0.05 for its compound score.
const Threshold = 0.05

// LabelFor classifies a score in -1..1.
func LabelFor(score float64) Label {
	switch {
	case score >= Threshold:
		return Positive
	case score <= -Threshold:
		return Negative
	default:
		return Neutral
	}
}

// Result is one text's sentiment.
type Result struct {
	Label Label
	// Score runs from -1 (most negative) to 1 (most positive).
	Score float64
	// Model names what produced the score.
	Model string
}

// Model scores texts. Implementations are safe for concurrent use.
type Model interface {
	// Name identifies the model in results.
	Name() string
	// Score returns the sentiment of text.
	Score(text string) Result
}

// Scorer is a Model that can fail or be slow, as one served by another
// process does: it takes the caller's context and reports errors. Models
// that run in process and cannot fail, such as the lexicon one, need not
// implement it.
type Scorer interface {
	Model
	// ScoreContext returns the sentiment of text, or why it cannot.
	ScoreContext(ctx context.Context, text string) (Result, error)
}

// ScoreContext scores text with m: through ScoreContext when m is a
// Scorer, else with Score, which cannot fail.
func ScoreContext(ctx context.Context, m Model, text string) (Result, error) {
	if s, ok := m.(Scorer); ok {
		return s.ScoreContext(ctx, text)
	}
	return m.Score(text), nil
}

// clamp keeps a score within -1..1 and maps NaN to neutral, so a model's
// numeric corner cases never leak out of range.
func clamp(score float64) float64 {
	if math.IsNaN(score) {
		return 0
	}
	return math.Max(-1, math.Min(1, score))
}
