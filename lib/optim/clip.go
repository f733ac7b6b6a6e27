package optim

import (
	"math"

	seqblas "github.com/seq2go/seq2go/lib/blas"
	"github.com/seq2go/seq2go/lib/nn"
)

// GlobalNorm returns the L2 norm of all the gradients of params taken
// together, as if they were one long vector:
//
//	‖g‖ = √( Σ_p Σ_ij p.Grad[i,j]² )
//
// It does not overflow for gradients whose squares would: when the plain sum
// is infinite it sums again with every element divided by the largest
// magnitude s, ‖g‖ = s·√Σ(g/s)². A NaN gradient gives a NaN norm, and an
// infinite one +Inf.
func GlobalNorm(params []*nn.Param) float64 {
	var ss float64
	for _, p := range params {
		a := p.Grad.RawMatrix()
		rows, n := rowsOf(a.Rows, a.Cols, a.Stride == a.Cols)
		for i := 0; i < rows; i++ {
			for _, x := range row(a, i, n) {
				ss += x * x
			}
		}
	}
	if !math.IsInf(ss, 1) {
		return math.Sqrt(ss)
	}
	// The squares overflowed (or an element is ±Inf).
	var scale float64
	for _, p := range params {
		a := p.Grad.RawMatrix()
		rows, n := rowsOf(a.Rows, a.Cols, a.Stride == a.Cols)
		for i := 0; i < rows; i++ {
			for _, x := range row(a, i, n) {
				scale = math.Max(scale, math.Abs(x))
			}
		}
	}
	if math.IsInf(scale, 1) || math.IsNaN(scale) {
		return scale
	}
	ss = 0
	for _, p := range params {
		a := p.Grad.RawMatrix()
		rows, n := rowsOf(a.Rows, a.Cols, a.Stride == a.Cols)
		for i := 0; i < rows; i++ {
			for _, x := range row(a, i, n) {
				x /= scale
				ss += x * x
			}
		}
	}
	return scale * math.Sqrt(ss)
}

// ClipGlobalNorm rescales all the gradients of params together so that their
// global L2 norm (see GlobalNorm) is at most maxNorm, and returns the norm
// before clipping:
//
//	if ‖g‖ > maxNorm:  g ← g · maxNorm/‖g‖
//
// Scaling every gradient by one factor keeps the direction of the update and
// only shortens it. This is the remedy for exploding gradients in RNNs of
// Pascanu, Mikolov & Bengio (2013), "On the difficulty of training recurrent
// neural networks", ICML, and what PyTorch's torch.nn.utils.clip_grad_norm_
// does. PyTorch divides by ‖g‖ + 1e-6, which leaves the clipped norm a hair
// under maxNorm; here the clipped norm is maxNorm up to rounding.
//
// When the norm is NaN or +Inf the gradients are left alone and the norm is
// returned, so the caller can skip the step (PyTorch raises an error under
// error_if_nonfinite). Logging the returned norm is a cheap way to watch
// training.
func ClipGlobalNorm(params []*nn.Param, maxNorm float64) float64 {
	norm := GlobalNorm(params)
	if !(norm > maxNorm) || math.IsInf(norm, 1) {
		return norm // within bounds, NaN or +Inf
	}
	s := maxNorm / norm
	for _, p := range params {
		a := p.Grad.RawMatrix()
		rows, n := rowsOf(a.Rows, a.Cols, a.Stride == a.Cols)
		for i := 0; i < rows; i++ {
			g := row(a, i, n)
			for j := range g {
				g[j] *= s
			}
		}
	}
	return norm
}

// ClipValue clips every gradient element of params to [−limit, limit]:
//
//	g ← min(max(g, −limit), limit)
//
// This is min-char-rnn's
//
//	for dparam in [dWxh, dWhh, dWhy, dbh, dby]:
//		np.clip(dparam, -5, 5, out=dparam) # clip to mitigate exploding gradients
//
// with limit = 5. Unlike ClipGlobalNorm it changes the direction of the
// gradient; it is cheaper and needs no pass to compute a norm. NaN elements
// stay NaN. It panics if limit is negative.
func ClipValue(params []*nn.Param, limit float64) {
	if limit < 0 {
		panic("optim: negative clip limit")
	}
	for _, p := range params {
		a := p.Grad.RawMatrix()
		rows, n := rowsOf(a.Rows, a.Cols, a.Stride == a.Cols)
		for i := 0; i < rows; i++ {
			g := row(a, i, n)
			seqblas.ClampTo(g, g, -limit, limit) // four at a time with AVX2
		}
	}
}
