package sentiment

import (
	"math"
	"testing"
)

func TestVaderLabels(t *testing.T) {
	t.Parallel()
	model := NewVader()
	cases := []struct {
		text string
		want Label
	}{
		{"This is amazing, best episode so far!", Positive},
		{"I love this soundtrack so much", Positive},
		{"Wonderful chemistry between the leads", Positive},
		{"Terrible dialogue, I hate it", Negative},
		{"The pacing is awful", Negative},
		{"This is not good at all", Negative},
		{"Starting episode two now", Neutral},
		{"Who is that guy again?", Neutral},
		{"", Neutral},
	}
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			t.Parallel()
			got := model.Score(tc.text)
			if got.Label != tc.want {
				t.Fatalf("Score(%q) = %+v, want label %s", tc.text, got, tc.want)
			}
			if got.Score < -1 || got.Score > 1 {
				t.Fatalf("score %v out of range", got.Score)
			}
			if got.Model != VaderName {
				t.Fatalf("model = %q, want %q", got.Model, VaderName)
			}
		})
	}
}

func TestLabelFor(t *testing.T) {
	t.Parallel()
	cases := []struct {
		score float64
		want  Label
	}{
		{1, Positive}, {0.05, Positive}, {0.0499, Neutral}, {0, Neutral},
		{-0.0499, Neutral}, {-0.05, Negative}, {-1, Negative},
	}
	for _, tc := range cases {
		if got := LabelFor(tc.score); got != tc.want {
			t.Errorf("LabelFor(%v) = %s, want %s", tc.score, got, tc.want)
		}
	}
}

func TestClamp(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want float64 }{{2, 1}, {-3, -1}, {0.3, 0.3}, {math.NaN(), 0}}
	for _, tc := range cases {
		if got := clamp(tc.in); got != tc.want {
			t.Errorf("clamp(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
