package translate

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/datasets"
	"github.com/seq2go/seq2go/lib/tasks"
)

// Data says where a translator's sentence pairs come from and how they
// are split, so that a checkpoint can name its own dev set: `seq2go bench
// translate` scores a model on the sentences it was not trained on.
type Data struct {
	// Dataset is an embedded corpus ("tatoeba-eng-nld", "tatoeba-eng-fra"),
	// "dates" for the generated date task, or empty when Pairs names a file.
	Dataset string
	// Pairs is a file of source<TAB>target lines (extra columns ignored).
	Pairs string
	// SrcLang and TgtLang name the two sides. An embedded Tatoeba corpus
	// is English<TAB>other; a side "en" picks the direction (nl→en swaps).
	SrcLang, TgtLang string
	// Dev is the fraction of the pairs held out for the dev set, grouped by
	// sentence (data.SplitPairs); MaxWords drops training pairs with a side
	// longer than that many tokens (0: keep all). Seed seeds the split and
	// the generated dates.
	Dev      float64
	MaxWords int
	Seed     uint64
}

// Date task sizes: the training set generated for "dates", and its dev and
// held-out sets (Data.HeldOut).
const (
	DateTrain = 50000
	DateDev   = 1000
)

// Load returns the training and dev pairs, source first.
func (d Data) Load() (train, dev []data.Pair, err error) {
	if d.Dataset == "dates" {
		return tasks.Dates(rand.New(rand.NewPCG(d.Seed, 1)), DateTrain), tasks.Dates(rand.New(rand.NewPCG(d.Seed, 2)), DateDev), nil
	}
	pairs, err := d.read()
	if err != nil {
		return nil, nil, err
	}
	if !(d.Dev > 0 && d.Dev < 1) {
		return nil, nil, fmt.Errorf("translate: dev fraction %v: want a number between 0 and 1", d.Dev)
	}
	train, dev = data.SplitPairs(pairs, d.Dev, d.Seed)
	if d.MaxWords > 0 {
		train = data.FilterPairs(train, d.MaxWords)
	}
	if len(train) == 0 || len(dev) == 0 {
		return nil, nil, fmt.Errorf("translate: %s: %d training and %d dev pairs; need both", d.Name(), len(train), len(dev))
	}
	return train, dev, nil
}

// HeldOut returns the generated dates' second test set, nil for other
// data: DateDev dates written only in the held-out formats
// (tasks.HeldOutDates), from a third seed, to measure whether the model
// reads the parts of a date rather than the formats it was trained on.
func (d Data) HeldOut() []data.Pair {
	if d.Dataset != "dates" {
		return nil
	}
	return tasks.HeldOutDates(rand.New(rand.NewPCG(d.Seed, 3)), DateDev)
}

// Name names the data in messages: the pairs file, the embedded corpus,
// or the generated date task.
func (d Data) Name() string {
	switch {
	case d.Pairs != "":
		return d.Pairs
	case d.Dataset == "dates":
		return "dates (generated)"
	}
	return d.Dataset + " (embedded)"
}

// read reads the pairs of a file or an embedded corpus, in the direction
// SrcLang → TgtLang.
func (d Data) read() ([]data.Pair, error) {
	if d.Pairs != "" {
		return data.ReadPairsFile(d.Pairs)
	}
	if d.Dataset != "tatoeba-eng-nld" && d.Dataset != "tatoeba-eng-fra" {
		return nil, fmt.Errorf("translate: dataset %q: want tatoeba-eng-nld, tatoeba-eng-fra or dates", d.Dataset)
	}
	other := map[string]string{"nld": "nl", "fra": "fr"}[strings.TrimPrefix(d.Dataset, "tatoeba-eng-")]
	rc, err := datasets.Open(d.Dataset)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	pairs, err := data.ReadPairs(rc, d.Dataset)
	if err != nil {
		return nil, err
	}
	switch {
	case d.SrcLang == "en" && d.TgtLang == other:
		return pairs, nil
	case d.SrcLang == other && d.TgtLang == "en":
		return data.SwapPairs(pairs), nil
	}
	return nil, fmt.Errorf("translate: %s holds en and %s; --src %q --tgt %q is not one of its directions", d.Dataset, other, d.SrcLang, d.TgtLang)
}
