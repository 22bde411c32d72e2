package sentiment

import (
	"math"
	"strings"
	"testing"
)

// fixedModel labels each text with the label it maps it to.
type fixedModel map[string]Label

func (m fixedModel) Name() string { return "fixed" }

func (m fixedModel) Score(text string) Result {
	return Result{Label: m[text], Model: "fixed"}
}

func TestEvaluate(t *testing.T) {
	t.Parallel()
	type pair struct {
		want, got Label
	}
	cases := []struct {
		name      string
		pairs     []pair
		accuracy  float64
		macroF1   float64
		precision [3]float64
		recall    [3]float64
		confusion Confusion
	}{
		{
			// Rows P, U, N of the confusion: [2 1 0] [0 1 1] [1 0 0].
			name: "mixed",
			pairs: []pair{
				{Positive, Positive}, {Positive, Positive}, {Positive, Neutral},
				{Neutral, Neutral}, {Neutral, Negative},
				{Negative, Positive},
			},
			accuracy:  3.0 / 6,
			macroF1:   (2.0/3 + 0.5 + 0) / 3,
			precision: [3]float64{2.0 / 3, 1.0 / 2, 0},
			recall:    [3]float64{2.0 / 3, 1.0 / 2, 0},
			confusion: Confusion{{2, 1, 0}, {0, 1, 1}, {1, 0, 0}},
		},
		{
			name:      "perfect",
			pairs:     []pair{{Positive, Positive}, {Neutral, Neutral}, {Negative, Negative}, {Negative, Negative}},
			accuracy:  1,
			macroF1:   1,
			precision: [3]float64{1, 1, 1},
			recall:    [3]float64{1, 1, 1},
			confusion: Confusion{{1, 0, 0}, {0, 1, 0}, {0, 0, 2}},
		},
		{
			// Negative is never predicted and never true: its precision,
			// recall and F1 are 0, not NaN, and still count in the mean.
			name:      "a class never predicted",
			pairs:     []pair{{Positive, Positive}, {Positive, Neutral}, {Neutral, Neutral}},
			accuracy:  2.0 / 3,
			macroF1:   (2*1*0.5/(1+0.5) + 2*0.5*1/(0.5+1) + 0) / 3,
			precision: [3]float64{1, 0.5, 0},
			recall:    [3]float64{0.5, 1, 0},
			confusion: Confusion{{1, 1, 0}, {0, 1, 0}, {0, 0, 0}},
		},
		{
			name: "empty",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			model := fixedModel{}
			var examples []Example
			for i, p := range tc.pairs {
				text := strings.Repeat("x", i+1)
				model[text] = p.got
				examples = append(examples, Example{Text: text, Want: p.want})
			}
			r := Evaluate(model, examples)
			if r.Model != "fixed" || r.N != len(tc.pairs) {
				t.Errorf("model %q, N %d; want fixed, %d", r.Model, r.N, len(tc.pairs))
			}
			if r.Confusion != tc.confusion {
				t.Errorf("confusion = %v, want %v", r.Confusion, tc.confusion)
			}
			near(t, "accuracy", r.Accuracy, tc.accuracy)
			near(t, "macro-F1", r.MacroF1, tc.macroF1)
			wrong := 0
			for i, c := range r.Classes {
				if c.Label != Labels[i] {
					t.Errorf("class %d is %s, want %s", i, c.Label, Labels[i])
				}
				near(t, string(c.Label)+" precision", c.Precision, tc.precision[i])
				near(t, string(c.Label)+" recall", c.Recall, tc.recall[i])
				f1 := 0.0
				if p, rec := tc.precision[i], tc.recall[i]; p+rec > 0 {
					f1 = 2 * p * rec / (p + rec)
				}
				near(t, string(c.Label)+" F1", c.F1, f1)
				support := 0
				for j := range Labels {
					support += tc.confusion[i][j]
				}
				if c.Support != support {
					t.Errorf("%s support = %d, want %d", c.Label, c.Support, support)
				}
				for j := range Labels {
					if j != i {
						wrong += tc.confusion[i][j]
					}
				}
			}
			if len(r.Misses) != wrong {
				t.Errorf("%d misses, want %d", len(r.Misses), wrong)
			}
			for _, m := range r.Misses {
				if m.Got.Label == m.Want {
					t.Errorf("miss %+v is labelled right", m)
				}
			}
		})
	}
}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > 1e-9 {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func TestReadExamples(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		in      string
		want    []Example
		wantErr string
	}{
		{
			name: "comments and blank lines skipped",
			in:   "# a set\n\nPOSITIVE\tso good 🔥\r\nNEUTRAL\twho is that?\nNEGATIVE\tmid, not great\n",
			want: []Example{{"so good 🔥", Positive}, {"who is that?", Neutral}, {"mid, not great", Negative}},
		},
		{name: "unknown label", in: "GOOD\tnice\n", wantErr: `line 1: unknown label "GOOD"`},
		{name: "no tab", in: "# c\nPOSITIVE nice\n", wantErr: "line 2: want LABEL<TAB>text"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ReadExamples(strings.NewReader(tc.in))
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("example %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}
