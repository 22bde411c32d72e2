package sentiment

import "github.com/jonreiter/govader"

// VaderName is the model name VADER results carry.
const VaderName = "vader-lexicon"

// Vader is the VADER rule- and lexicon-based model (Hutto and Gilbert,
// 2014), tuned for short social-media texts; its compound score is the
// Score.
type Vader struct {
	analyzer *govader.SentimentIntensityAnalyzer
}

// NewVader loads the VADER lexicon. The analyzer only reads its lexicon after
// construction, so one Vader serves all goroutines.
func NewVader() *Vader {
	return &Vader{analyzer: govader.NewSentimentIntensityAnalyzer()}
}

// Name implements Model.
func (v *Vader) Name() string { return VaderName }

// Score implements Model.
func (v *Vader) Score(text string) Result {
	score := clamp(v.analyzer.PolarityScores(text).Compound)
	return Result{Label: LabelFor(score), Score: score, Model: VaderName}
}
