package main

import (
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/tagger"
)

func init() {
	benches["tagger"] = command{"a tagger's accuracy (overall, known, unknown, per tag), confusion picture, tokens/s (--model FILE)", benchTagger}
}

func benchTagger(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench tagger", stderr)
	test := fs.String("test", "", "gold CoNLL-U test file (default: the embedded UD English EWT dev split)")
	plotFile := fs.String("plot", "confusion.png", "draw the confusion matrix to this PNG (or .svg) file (\"\": none)")
	cores := fs.Int("cores", 1, "cores the tagging speed is measured on (GOMAXPROCS)")
	passes := fs.Int("passes", 3, "tag the test set this many times and report the fastest pass")
	tf := addTaggerFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *cores < 1 || *passes < 1 {
		return usageError{"bench tagger: --cores and --passes must be at least 1"}
	}
	prev := runtime.GOMAXPROCS(*cores)
	defer runtime.GOMAXPROCS(prev)
	start := time.Now()
	t, restore, err := tf.tagger("bench tagger")
	if err != nil {
		return err
	}
	defer restore()
	cache := time.Since(start) // loading the model and its character cache
	sents, source, err := taggerTestSet(*test)
	if err != nil {
		return err
	}
	m := t.Model()
	var scores []tagger.Score
	for p := 0; p < *passes; p++ {
		s := t.Evaluate(sents)
		if p == 0 || s[0].Elapsed < scores[0].Elapsed {
			scores = s
		}
	}
	c := m.Config
	fmt.Fprintf(stdout, "%s: %s tagger (char %s, crf %v, %d hidden), gold tokenisation\n", source, c.Tagset, c.Char, c.CRF, c.Hidden)
	for _, sc := range scores {
		fmt.Fprintln(stdout)
		if err := sc.WriteReport(stdout); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "\ntagging: %.0f tokens/s on %d core(s), %v products, batch %d (fastest of %d passes; loading the model and its character cache took %s)\n",
		scores[0].TokensPerSecond(), *cores, tf.precision, *tf.batch, *passes, cache.Round(time.Millisecond))
	if *plotFile != "" {
		// One picture per tagset: confusion.png, and confusion-xpos.png for a second.
		for k, sc := range scores {
			file := *plotFile
			if k > 0 {
				ext := filepath.Ext(file)
				file = strings.TrimSuffix(file, ext) + "-" + sc.Tagset + ext
			}
			if err := sc.ConfusionPlot().Save(file); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s confusion matrix drawn to %s\n", strings.ToUpper(sc.Tagset), file)
		}
	}
	return nil
}

// taggerTestSet reads the gold sentences of file, or the embedded EWT dev
// split.
func taggerTestSet(file string) ([]data.Sentence, string, error) {
	if file != "" {
		s, err := data.ReadCoNLLUFile(file)
		return s, file, err
	}
	s, err := tagger.EWT("dev")
	return s, "UD English EWT dev", err
}
