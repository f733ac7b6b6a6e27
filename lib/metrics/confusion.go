package metrics

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// Confusion counts a classifier's answers by gold label and predicted label:
// the confusion matrix of a part-of-speech tagger, whose rows say what each
// tag was taken for.
//
//	Counts[g, p] = #{items with gold label g predicted as p}       (K×K)
//	accuracy     = Σ_k Counts[k, k] / Σ Counts
//	recall(k)    = Counts[k, k] / Σ_p Counts[k, p]   (the accuracy on gold k)
//	precision(k) = Counts[k, k] / Σ_g Counts[g, k]
type Confusion struct {
	Labels []string   // the K label names, in id order
	Counts *mat.Dense // K×K, row gold, column predicted
}

// NewConfusion returns an empty confusion matrix over labels.
func NewConfusion(labels []string) *Confusion {
	k := len(labels)
	if k == 0 {
		panic("metrics: a confusion matrix needs labels")
	}
	return &Confusion{Labels: append([]string(nil), labels...), Counts: mat.NewDense(k, k, nil)}
}

// Add counts one item of gold label gold predicted as pred (ids into
// Labels).
func (c *Confusion) Add(gold, pred int) {
	c.Counts.Set(gold, pred, c.Counts.At(gold, pred)+1)
}

// Total returns the number of items counted.
func (c *Confusion) Total() int { return int(mat.Sum(c.Counts)) }

// Correct returns the number of items predicted right: the trace.
func (c *Confusion) Correct() int { return int(mat.Trace(c.Counts)) }

// Accuracy returns Correct/Total, NaN with no items.
func (c *Confusion) Accuracy() float64 { return ratio(c.Correct(), c.Total()) }

// Support returns the number of items of gold label k.
func (c *Confusion) Support(k int) int { return int(mat.Sum(c.Counts.RowView(k))) }

// Recall returns the fraction of the items of gold label k predicted as k
// (the accuracy on label k), NaN when there are none.
func (c *Confusion) Recall(k int) float64 { return ratio(int(c.Counts.At(k, k)), c.Support(k)) }

// Precision returns the fraction of the items predicted as k that are k,
// NaN when none was.
func (c *Confusion) Precision(k int) float64 {
	return ratio(int(c.Counts.At(k, k)), int(mat.Sum(c.Counts.ColView(k))))
}

// Merge adds the counts of o, over the same labels, into c.
func (c *Confusion) Merge(o *Confusion) { c.Counts.Add(c.Counts, o.Counts) }

// RowNormalized returns the matrix with each row divided by its sum: row g
// is the distribution of the predictions for gold label g (a row of zeros
// for a label never seen), the form a confusion picture shows.
func (c *Confusion) RowNormalized() *mat.Dense {
	k := len(c.Labels)
	out := mat.NewDense(k, k, nil)
	for g := 0; g < k; g++ {
		if n := float64(c.Support(g)); n > 0 {
			for p := 0; p < k; p++ {
				out.Set(g, p, c.Counts.At(g, p)/n)
			}
		}
	}
	return out
}

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}
