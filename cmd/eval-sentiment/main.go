// Command eval-sentiment prints how the sentiment models label the labelled
// watch-party chat set (sentiment/chatset): accuracy, macro-F1, per-class
// precision, recall and F1 and the confusion matrix of each model, on the
// tuning split and on the held-out split. It prints figures; it never fails
// on them (the chatset tests pin them).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/cinegraph/cinegraph/subgraphs/insights/sentiment"
	"github.com/cinegraph/cinegraph/subgraphs/insights/sentiment/chatset"
)

func main() {
	misses := flag.Bool("misses", false, "also list the tuning split's wrongly labelled messages (never the held-out split's)")
	flag.Parse()
	models := []sentiment.Model{sentiment.NewVader(), sentiment.NewChat()}
	splits := []struct {
		name     string
		examples []sentiment.Example
		misses   bool
	}{
		{"tuning split", chatset.Tune(), *misses},
		{"held-out split", chatset.HeldOut(), false},
	}
	for i, s := range splits {
		if i > 0 {
			fmt.Println()
		}
		reports := make([]sentiment.Report, len(models))
		for j, m := range models {
			reports[j] = sentiment.Evaluate(m, s.examples)
		}
		printSplit(os.Stdout, s.name, reports, s.misses)
	}
}

func printSplit(w io.Writer, name string, reports []sentiment.Report, misses bool) {
	support := reports[0].Classes
	fmt.Fprintf(w, "== %s: %d messages (", name, reports[0].N)
	for i, c := range support {
		if i > 0 {
			fmt.Fprint(w, ", ")
		}
		fmt.Fprintf(w, "%d %s", c.Support, strings.ToLower(string(c.Label)))
	}
	fmt.Fprintln(w, ")")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "model\taccuracy\tmacro-F1\t")
	for _, r := range reports {
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t\n", r.Model, r.Accuracy, r.MacroF1)
	}
	tw.Flush()
	for _, r := range reports {
		fmt.Fprintf(w, "\n%s on the %s\n", r.Model, name)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "  class\tprecision\trecall\tF1\tsupport\t")
		for _, c := range r.Classes {
			fmt.Fprintf(tw, "  %s\t%.3f\t%.3f\t%.3f\t%d\t\n", c.Label, c.Precision, c.Recall, c.F1, c.Support)
		}
		tw.Flush()
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprint(tw, "  true \\ scored\t")
		for _, l := range sentiment.Labels {
			fmt.Fprintf(tw, "%s\t", l)
		}
		fmt.Fprintln(tw)
		for i, l := range sentiment.Labels {
			fmt.Fprintf(tw, "  %s\t", l)
			for j := range sentiment.Labels {
				fmt.Fprintf(tw, "%d\t", r.Confusion[i][j])
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
		if misses {
			fmt.Fprintf(w, "  wrongly labelled (%d):\n", len(r.Misses))
			for _, m := range r.Misses {
				fmt.Fprintf(w, "    want %-8s got %-8s %+.3f  %s\n", m.Want, m.Got.Label, m.Got.Score, m.Text)
			}
		}
	}
}
