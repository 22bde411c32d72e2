// Package chatset is the labelled evaluation set of the sentiment models:
// watch-party chat messages written for Cinegraph, in a tuning split and a
// held-out split (testdata/), embedded so that tests and the eval-sentiment
// program read the same data from anywhere.
package chatset

import (
	"bytes"
	_ "embed"

	"github.com/cinegraph/cinegraph/subgraphs/insights/sentiment"
)

//go:embed testdata/tune.tsv
var tune []byte

//go:embed testdata/heldout.tsv
var heldOut []byte

// Tune is the tuning split: the chat model's lexicon and rules may be
// adjusted against it.
func Tune() []sentiment.Example { return mustRead("tune", tune) }

// HeldOut is the held-out split, a quarter of each class chosen before any
// tuning: it only measures, it never guides changes to a model.
func HeldOut() []sentiment.Example { return mustRead("held-out", heldOut) }

// mustRead parses an embedded split; the files are checked by this package's
// tests, so a parse error is a broken build and panics.
func mustRead(name string, data []byte) []sentiment.Example {
	ex, err := sentiment.ReadExamples(bytes.NewReader(data))
	if err != nil {
		panic("chatset: " + name + " split: " + err.Error())
	}
	return ex
}
