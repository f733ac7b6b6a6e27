package word2vec

import (
	"fmt"
	"math"
	"strings"

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
// components: with X the n×d matrix of their vectors, centred (each
// column minus its mean),
//
//	X = U·Σ·Vᵀ               (thin SVD)
//	(x_i, y_i) = X_i·V[:, 0:2] = (σ₁·U_i1, σ₂·U_i2)
//
// so the two axes are the directions of largest variance among these
// words, and Explained[k] = σ_k² / Σ_j σ_j². Each axis's sign is chosen
// so that its largest coordinate is positive, which makes the picture
// reproducible. It needs at least two known words; unknown words are an
// error.
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
	for c := 0; c < d; c++ {
		var mean float64
		for i := 0; i < n; i++ {
			mean += x.At(i, c)
		}
		mean /= float64(n)
		for i := 0; i < n; i++ {
			x.Set(i, c, x.At(i, c)-mean)
		}
	}
	var svd mat.SVD
	if !svd.Factorize(x, mat.SVDThin) {
		return nil, fmt.Errorf("word2vec: PCA: the SVD did not converge")
	}
	var u mat.Dense
	svd.UTo(&u)
	sigma := svd.Values(nil)
	var total float64
	for _, s := range sigma {
		total += s * s
	}
	p := &Projection{Words: append([]string(nil), words...), X: make([]float64, n), Y: make([]float64, n)}
	for k, axis := range [][]float64{p.X, p.Y} {
		if k >= len(sigma) {
			break
		}
		big := 0.0
		for i := range axis {
			axis[i] = sigma[k] * u.At(i, k)
			if math.Abs(axis[i]) > math.Abs(big) {
				big = axis[i]
			}
		}
		if big < 0 {
			for i := range axis {
				axis[i] = -axis[i]
			}
		}
		if total > 0 {
			p.Explained[k] = sigma[k] * sigma[k] / total
		}
	}
	return p, nil
}
