package plot

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// PCA projects the rows of x (n×d, n ≥ 2: word vectors, reply vectors)
// onto their first two principal components, for a Scatter: with X the
// rows centred (each column minus its mean),
//
//	X = U·Σ·Vᵀ               (thin SVD)
//	(xs_i, ys_i) = X_i·V[:, 0:2] = (σ₁·U_i1, σ₂·U_i2)
//
// so the two axes are the directions of largest variance among the rows,
// and explained[k] = σ_k² / Σ_j σ_j². Each axis's sign is chosen so that
// its largest coordinate is positive, which makes the picture
// reproducible. x is left as it was.
func PCA(x *mat.Dense) (xs, ys []float64, explained [2]float64, err error) {
	n, d := x.Dims()
	if n < 2 {
		return nil, nil, explained, fmt.Errorf("plot: PCA of %d rows: want at least 2", n)
	}
	c := mat.DenseCopyOf(x)
	for j := 0; j < d; j++ {
		var mean float64
		for i := 0; i < n; i++ {
			mean += c.At(i, j)
		}
		mean /= float64(n)
		for i := 0; i < n; i++ {
			c.Set(i, j, c.At(i, j)-mean)
		}
	}
	var svd mat.SVD
	if !svd.Factorize(c, mat.SVDThin) {
		return nil, nil, explained, fmt.Errorf("plot: PCA: the SVD did not converge")
	}
	var u mat.Dense
	svd.UTo(&u)
	sigma := svd.Values(nil)
	var total float64
	for _, s := range sigma {
		total += s * s
	}
	xs, ys = make([]float64, n), make([]float64, n)
	for k, axis := range [][]float64{xs, ys} {
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
			explained[k] = sigma[k] * sigma[k] / total
		}
	}
	return xs, ys, explained, nil
}
