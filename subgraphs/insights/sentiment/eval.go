package sentiment

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Example is one labelled text of an evaluation set.
type Example struct {
	Text string
	Want Label
}

// ReadExamples reads an evaluation set: one LABEL<TAB>text a line, the label
// one of POSITIVE, NEUTRAL, NEGATIVE. Blank lines and lines starting with #
// are skipped.
func ReadExamples(r io.Reader) ([]Example, error) {
	var out []Example
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		label, text, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("line %d: want LABEL<TAB>text", n)
		}
		if l := Label(label); !l.Valid() {
			return nil, fmt.Errorf("line %d: unknown label %q", n, label)
		}
		out = append(out, Example{Text: text, Want: Label(label)})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Labels are the three labels in the order reports list them.
var Labels = [3]Label{Positive, Neutral, Negative}

func labelIndex(l Label) int {
	for i, x := range Labels {
		if x == l {
			return i
		}
	}
	return -1
}

// Confusion counts examples by true label (row) and scored label (column),
// both indexed as Labels.
type Confusion [3][3]int

// ClassMetrics are one label's figures, treating it as the positive class
// against the other two.
type ClassMetrics struct {
	Label                 Label
	Precision, Recall, F1 float64
	// Support is how many examples carry the label.
	Support int
}

// Miss is an example the model labelled wrongly.
type Miss struct {
	Example
	Got Result
}

// Report is a model's figures on an evaluation set.
type Report struct {
	// Model is the Name of the model evaluated.
	Model string
	// N is the number of examples.
	N        int
	Accuracy float64
	// MacroF1 is the unweighted mean of the three classes' F1.
	MacroF1   float64
	Classes   [3]ClassMetrics
	Confusion Confusion
	// Misses are the examples labelled wrongly, in input order.
	Misses []Miss
}

// Evaluate scores every example with m and reports accuracy, macro-F1,
// per-class precision, recall and F1 and the confusion matrix. Examples with
// an invalid label are a caller's mistake and panic.
func Evaluate(m Model, examples []Example) Report {
	var c Confusion
	var misses []Miss
	for _, ex := range examples {
		want := labelIndex(ex.Want)
		if want < 0 {
			panic(fmt.Sprintf("sentiment: example %q has invalid label %q", ex.Text, ex.Want))
		}
		got := m.Score(ex.Text)
		gi := labelIndex(got.Label)
		if gi < 0 {
			// An invalid label is wrong whatever the truth: count it as
			// the next class.
			gi = (want + 1) % len(Labels)
		}
		c[want][gi]++
		if gi != want {
			misses = append(misses, Miss{Example: ex, Got: got})
		}
	}
	r := c.Report()
	r.Model = m.Name()
	r.Misses = misses
	return r
}

// Report computes the figures of c (without Model or Misses). A precision,
// recall or F1 with a zero denominator is 0.
func (c Confusion) Report() Report {
	r := Report{Confusion: c}
	correct := 0
	for i := range Labels {
		correct += c[i][i]
		for j := range Labels {
			r.N += c[i][j]
		}
	}
	r.Accuracy = ratio(correct, r.N)
	for i, l := range Labels {
		tp, predicted, actual := c[i][i], 0, 0
		for j := range Labels {
			predicted += c[j][i]
			actual += c[i][j]
		}
		p, rec := ratio(tp, predicted), ratio(tp, actual)
		f1 := 0.0
		if p+rec > 0 {
			f1 = 2 * p * rec / (p + rec)
		}
		r.Classes[i] = ClassMetrics{Label: l, Precision: p, Recall: rec, F1: f1, Support: actual}
		r.MacroF1 += f1 / float64(len(Labels))
	}
	return r
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
