package nn

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Dropout is inverted dropout (Srivastava et al. 2014, "Dropout: A Simple
// Way to Prevent Neural Networks from Overfitting"): in training, each
// element of the input is zeroed with probability P and the others are
// scaled by 1/(1−P), so that the expected output equals the input and the
// layer is simply left out at test time:
//
//	m_ij ~ Bernoulli(1−P) / (1−P)
//	y = x ⊙ m,    ∂L/∂x = ∂L/∂y ⊙ m
//
// A Dropout is a Layer with no parameters. Its mask comes from Rand; the
// layer keeps the mask of the last Forward for Backward.
type Dropout struct {
	P    float64
	Rand *rand.Rand
	mask *mat.Dense
}

// NewDropout returns a dropout layer with probability p (0 ≤ p < 1) that
// draws its masks from rng.
func NewDropout(rng *rand.Rand, p float64) *Dropout {
	if p < 0 || p >= 1 {
		panic("nn: dropout probability outside [0, 1)")
	}
	return &Dropout{P: p, Rand: rng}
}

// Forward returns x with a fresh random mask applied (a new matrix; x is
// not written). With P = 0 it returns a copy of x.
func (d *Dropout) Forward(x *mat.Dense) *mat.Dense {
	r, c := x.Dims()
	d.mask = Ensure(d.mask, r, c)
	y := mat.NewDense(r, c, nil)
	keep := 1 / (1 - d.P)
	for i := 0; i < r; i++ {
		mr, xr, yr := d.mask.RawRowView(i), x.RawRowView(i), y.RawRowView(i)
		for j, v := range xr {
			m := keep
			if d.P > 0 && d.Rand.Float64() < d.P {
				m = 0
			}
			mr[j], yr[j] = m, v*m
		}
	}
	return y
}

// Backward returns ∂L/∂x = dy ⊙ mask for the last Forward.
func (d *Dropout) Backward(dy *mat.Dense) *mat.Dense {
	if d.mask == nil {
		panic("nn: Dropout Backward before Forward")
	}
	var dx mat.Dense
	dx.MulElem(dy, d.mask)
	return &dx
}

// Params returns nil: dropout has no parameters.
func (d *Dropout) Params() []*Param { return nil }
