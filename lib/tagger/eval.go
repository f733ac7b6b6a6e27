package tagger

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/metrics"
	"github.com/seq2go/seq2go/lib/plot"
	"gonum.org/v1/gonum/mat"
)

// Score is a tagger's accuracy on a test set with gold tokenisation (the
// test's own words): over all words, over the words seen in training
// (known) and the others (unknown), and per gold tag, from the confusion
// matrix.
type Score struct {
	Tagset            string             // "upos" or "xpos"
	Confusion         *metrics.Confusion // over the model's tags; gold tags it does not know count as errors
	Words             int                // words scored
	Correct           int
	Known, KnownRight int // words seen in training, and those tagged right
	Unknown, UnkRight int
	OutOfTagset       int           // gold tags the model does not have (always wrong)
	Elapsed           time.Duration // tagging time
	Sentences         int
}

// Accuracy returns the fraction of words tagged right.
func (s Score) Accuracy() float64 { return frac(s.Correct, s.Words) }

// KnownAccuracy returns the accuracy on words seen in training.
func (s Score) KnownAccuracy() float64 { return frac(s.KnownRight, s.Known) }

// UnknownAccuracy returns the accuracy on words not seen in training.
func (s Score) UnknownAccuracy() float64 { return frac(s.UnkRight, s.Unknown) }

// TokensPerSecond returns the tagging speed.
func (s Score) TokensPerSecond() float64 {
	return float64(s.Words) / math.Max(s.Elapsed.Seconds(), 1e-9)
}

func frac(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// Evaluate tags sents (their gold tags left as they are) with t and scores
// the tags against the gold ones: one Score per tagset of the model. The
// time includes reading the words into ids.
func (t *Tagger) Evaluate(sents []data.Sentence) []Score {
	m := t.m
	start := time.Now()
	exs := m.Encode(sents)
	pred := t.TagExamples(exs)
	elapsed := time.Since(start)
	var scores []Score
	for h := range m.heads {
		scores = append(scores, m.score(h, exs, pred[h], elapsed, len(sents)))
	}
	return scores
}

// score compares the tags pred of tagset h with the gold ones of exs.
func (m *Model) score(h int, exs []Example, pred [][]int, elapsed time.Duration, sentences int) Score {
	sc := Score{Tagset: m.heads[h].tagset, Confusion: metrics.NewConfusion(m.heads[h].tags), Elapsed: elapsed, Sentences: sentences}
	for i, e := range exs {
		if e.Tags == nil {
			continue
		}
		for k, gold := range e.Tags[h] {
			p := pred[i][k]
			right := gold == p
			sc.Words++
			if gold < 0 {
				sc.OutOfTagset++
			} else {
				sc.Confusion.Add(gold, p)
			}
			known := m.Known(e.Forms[k])
			if known {
				sc.Known++
			} else {
				sc.Unknown++
			}
			if right {
				sc.Correct++
				if known {
					sc.KnownRight++
				} else {
					sc.UnkRight++
				}
			}
		}
	}
	return sc
}

// WriteReport writes the scores as a table: overall, known and unknown
// accuracy, then each tag's count, accuracy (recall) and precision, most
// frequent first.
func (s Score) WriteReport(w io.Writer) error {
	fmt.Fprintf(w, "%s accuracy %.2f%% (%d words, %d sentences)   known %.2f%% (%d)   unknown %.2f%% (%d)\n",
		strings.ToUpper(s.Tagset), 100*s.Accuracy(), s.Words, s.Sentences, 100*s.KnownAccuracy(), s.Known, 100*s.UnknownAccuracy(), s.Unknown)
	if s.OutOfTagset > 0 {
		fmt.Fprintf(w, "%d words have a gold tag the model does not know\n", s.OutOfTagset)
	}
	c := s.Confusion
	order := make([]int, len(c.Labels))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return c.Support(order[a]) > c.Support(order[b]) })
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "tag\twords\taccuracy\tprecision\tmost often taken for\t")
	for _, k := range order {
		if c.Support(k) == 0 {
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%.2f%%\t%.2f%%\t%s\t\n", c.Labels[k], c.Support(k), 100*c.Recall(k), 100*c.Precision(k), mistake(c, k))
	}
	return tw.Flush()
}

// mistake names the tag that gold tag k is most often mistaken for.
func mistake(c *metrics.Confusion, k int) string {
	best, n := -1, 0.0
	for p := range c.Labels {
		if v := c.Counts.At(k, p); p != k && v > n {
			best, n = p, v
		}
	}
	if best < 0 {
		return "-"
	}
	return fmt.Sprintf("%s (%d)", c.Labels[best], int(n))
}

// ConfusionPlot draws the confusion matrix as a heat map: row g is the
// share of the words of gold tag g given each predicted tag, so a perfect
// tagger draws the diagonal. Tags that never occur in the test are left
// out.
func (s Score) ConfusionPlot() *plot.HeatMap {
	c := s.Confusion
	var keep []int
	for k := range c.Labels {
		if c.Support(k) > 0 {
			keep = append(keep, k)
		}
	}
	norm := c.RowNormalized()
	m := mat.NewDense(len(keep), len(keep), nil)
	labels := make([]string, len(keep))
	for i, g := range keep {
		labels[i] = c.Labels[g]
		for j, p := range keep {
			m.Set(i, j, norm.At(g, p))
		}
	}
	h := plot.NewHeatMap(m, labels, labels)
	h.Title = fmt.Sprintf("%s confusion matrix, accuracy %.2f%%", strings.ToUpper(s.Tagset), 100*s.Accuracy())
	h.XLabel, h.YLabel = "predicted tag", "gold tag"
	h.Min, h.Max = 0, 1
	h.Width, h.Height = 18, 16
	return h
}
