package nn

import (
	seqblas "github.com/seq2go/seq2go/lib/blas"
	"gonum.org/v1/gonum/mat"
)

// The clips of quantization-aware training (GNMT, Wu et al. 2016, §6): a
// value is bounded in the forward pass, and no gradient flows through an
// element the bound held:
//
//	y = min(max(x, −δ), δ),    ∂L/∂x = ∂L/∂y · 1[|y| < δ]
//
// nn.LSTM (CellClip) and nn.Stack (Clip) use them inside; lib/seq2seq for
// its logits.

// Clip bounds every element of m to [−bound, bound], in place.
func Clip(m *mat.Dense, bound float64) {
	r, _ := m.Dims()
	for i := 0; i < r; i++ {
		row := m.RawRowView(i)
		seqblas.ClampTo(row, row, -bound, bound)
	}
}

// ClipGrad zeroes the gradient d where y, the clipped values (the same
// shape), sits at ±bound.
func ClipGrad(d, y *mat.Dense, bound float64) {
	r, _ := d.Dims()
	for i := 0; i < r; i++ {
		dr, yr := d.RawRowView(i), y.RawRowView(i)
		for j, v := range yr {
			if v >= bound || v <= -bound {
				dr[j] = 0
			}
		}
	}
}
