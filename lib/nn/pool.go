package nn

import (
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// MeanPool averages a sequence batch over time, each row over its own
// length: T steps x_t (each B×d) with lengths n_b give one B×d batch,
//
//	y_b = (1/n_b) Σ_{t < n_b} x_t,b                               (B×d)
//	∂L/∂x_t,b = ∂L/∂y_b / n_b   for t < n_b,   0 past n_b
//
// the bag-of-vectors summary of a sentence: a sentence encoder's outputs
// pooled into one vector (Henderson et al. 2017's dual encoder), or a
// message's word embeddings averaged into the features of a classifier.
// Padded steps are ignored whatever they hold. A row of length 0 gives
// zeros. Backward reads the lengths that Forward kept.
type MeanPool struct {
	t, d int
	lens []int
}

// Forward returns the mean of the first lengths[b] steps of row b (all T
// steps when lengths is nil).
func (p *MeanPool) Forward(xs []*mat.Dense, lengths []int) *mat.Dense {
	if len(xs) == 0 {
		panic(ErrShape)
	}
	b, d := xs[0].Dims()
	if lengths != nil && len(lengths) != b {
		panic(ErrShape)
	}
	p.t, p.d = len(xs), d
	p.lens = p.lens[:0]
	y := mat.NewDense(b, d, nil)
	for i := 0; i < b; i++ {
		n := len(xs)
		if lengths != nil {
			n = min(lengths[i], len(xs))
		}
		p.lens = append(p.lens, n)
		row := y.RawRowView(i)
		for t := 0; t < n; t++ {
			MustDims(xs[t], b, d)
			floats.Add(row, xs[t].RawRowView(i))
		}
		if n > 0 {
			floats.Scale(1/float64(n), row)
		}
	}
	return y
}

// Backward returns ∂L/∂x_t (T steps of B×d) for ∂L/∂y (B×d).
func (p *MeanPool) Backward(dy *mat.Dense) []*mat.Dense {
	MustDims(dy, len(p.lens), p.d)
	dxs := make([]*mat.Dense, p.t)
	for t := range dxs {
		dxs[t] = mat.NewDense(len(p.lens), p.d, nil)
	}
	for i, n := range p.lens {
		for t := 0; t < n; t++ {
			floats.AddScaled(dxs[t].RawRowView(i), 1/float64(n), dy.RawRowView(i))
		}
	}
	return dxs
}
