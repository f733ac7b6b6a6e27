package word2vec

import (
	"fmt"
	"strings"

	"github.com/seq2go/seq2go/lib/plot"
	"gonum.org/v1/gonum/mat"
)

// Projection is a 2-D picture of some words: their coordinates on the
// first two principal components of their vectors.
type Projection struct {
	Words     []string
	X, Y      []float64  // word i is at (X[i], Y[i])
	Explained [2]float64 // the share of the words' variance along each axis
}

// String lists the words and their coordinates, one per line.
func (p *Projection) String() string {
	var b strings.Builder
	for i, w := range p.Words {
		fmt.Fprintf(&b, "%-16s %8.4f %8.4f\n", w, p.X[i], p.Y[i])
	}
	return b.String()
}

// PCA projects the vectors of words onto their first two principal
// components (plot.PCA): the two axes are the directions of largest
// variance among these words, and Explained[k] the share of it along axis
// k. Each axis's sign is chosen so that its largest coordinate is
// positive, which makes the picture reproducible. It needs at least two
// known words; unknown words are an error.
func (v *Vectors) PCA(words ...string) (*Projection, error) {
	n, d := len(words), v.dim
	if n < 2 {
		return nil, fmt.Errorf("word2vec: PCA of %d words: want at least 2", n)
	}
	x := mat.NewDense(n, d, nil)
	for i, w := range words {
		j := v.Index(w)
		if j < 0 {
			return nil, v.unknown(w)
		}
		x.SetRow(i, v.Row(j))
	}
	xs, ys, explained, err := plot.PCA(x)
	if err != nil {
		return nil, fmt.Errorf("word2vec: %w", err)
	}
	return &Projection{Words: append([]string(nil), words...), X: xs, Y: ys, Explained: explained}, nil
}
