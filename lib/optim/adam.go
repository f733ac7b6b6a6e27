package optim

import (
	"math"

	seqblas "github.com/seq2go/seq2go/lib/blas"
	"github.com/seq2go/seq2go/lib/nn"
)

// Adam keeps exponential moving averages of the gradient (m, the first
// moment) and of its square (v, the second moment), corrects both for their
// start at zero, and steps along m scaled per element by 1/√v:
//
//	t ← t + 1
//	m ← β₁·m + (1−β₁)·g
//	v ← β₂·v + (1−β₂)·g²
//	m̂ = m / (1 − β₁ᵗ)        bias correction: m and v start at 0
//	v̂ = v / (1 − β₂ᵗ)
//	θ ← θ − lr·m̂ / (√v̂ + ε)
//
// ε is outside the square root, as in the paper (Algorithm 1) and in
// PyTorch's torch.optim.Adam. The step per element is about lr in size
// whatever the gradient's scale (|m̂|/√v̂ ≤ 1 roughly), which is why one lr
// such as 1e-3 works across models. The code computes the same thing
// rearranged as PyTorch does, with one scalar step size per Step:
//
//	θ ← θ − (lr/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε)
//
// (The paper's own rearrangement at the end of §2 also folds √(1−β₂ᵗ) into
// the step size, which rescales ε by √(1−β₂ᵗ); this form keeps Algorithm 1's
// ε exactly.)
//
// WeightDecay λ, when not zero, is decoupled weight decay (AdamW): the
// parameters shrink by lr·λ·θ before the Adam step, instead of λ·θ being
// added to the gradient, where the 1/√v̂ scaling would weaken it for
// parameters with large gradients:
//
//	θ ← θ − lr·λ·θ             (as torch.optim.AdamW: θ ← θ·(1 − lr·λ))
//
// State holds "adam.step" (t), then "adam.m/<name>" and "adam.v/<name>" for
// each parameter. t is read back from "adam.step" on every Step, so a
// restored optimizer applies the right bias correction.
//
// References: Kingma & Ba (2015), "Adam: A Method for Stochastic
// Optimization", ICLR, arXiv:1412.6980; Loshchilov & Hutter (2019),
// "Decoupled Weight Decay Regularization", ICLR, arXiv:1711.05101.
type Adam struct {
	Beta1       float64 // β₁, decay rate of the first moment, typically 0.9
	Beta2       float64 // β₂, decay rate of the second moment, typically 0.999
	Eps         float64 // ε, added to √v̂, typically 1e-8
	WeightDecay float64 // λ, decoupled (AdamW) weight decay; 0 turns it off

	c    core
	m, v []*nn.Param
}

// NewAdam returns an Adam optimizer over params with learning rate lr,
// moment decay rates beta1 and beta2, and eps added to the square root.
// It panics if a parameter's Value and Grad differ in shape.
func NewAdam(params []*nn.Param, lr, beta1, beta2, eps float64) *Adam {
	c, s := newCore("adam", params, lr, "m", "v")
	return &Adam{Beta1: beta1, Beta2: beta2, Eps: eps, c: c, m: s[0], v: s[1]}
}

// DefaultAdam returns NewAdam(params, lr, 0.9, 0.999, 1e-8), the defaults
// the paper recommends (Kingma & Ba 2015, Algorithm 1) and PyTorch uses.
func DefaultAdam(params []*nn.Param, lr float64) *Adam {
	return NewAdam(params, lr, 0.9, 0.999, 1e-8)
}

// Step updates the moments and then the parameters. It does not clear the
// gradients; call ZeroGrad for that.
func (o *Adam) Step() {
	t := float64(o.c.next())
	b1, b2 := o.Beta1, o.Beta2
	stepSize := o.c.lr / (1 - math.Pow(b1, t)) // lr/(1−β₁ᵗ)
	sqrtBC2 := math.Sqrt(1 - math.Pow(b2, t))  // √(1−β₂ᵗ)
	decay := 1 - o.c.lr*o.WeightDecay          // AdamW shrink factor; 1 when λ = 0
	for i, p := range o.c.params {
		r, c := p.Value.Dims()
		w, g := raw(p.Value, r, c), raw(p.Grad, r, c)
		m, v := raw(o.m[i].Value, r, c), raw(o.v[i].Value, r, c)
		rows, n := rowsOf(r, c, w.Stride == c && g.Stride == c && m.Stride == c && v.Stride == c)
		for k := 0; k < rows; k++ {
			seqblas.AdamStep(row(w, k, n), row(g, k, n), row(m, k, n), row(v, k, n), b1, b2, o.Eps, stepSize, sqrtBC2, decay)
		}
	}
}

// ZeroGrad sets every parameter's gradient to zero.
func (o *Adam) ZeroGrad() { o.c.zeroGrad() }

// LR returns the learning rate.
func (o *Adam) LR() float64 { return o.c.lr }

// SetLR sets the learning rate used by the next Step.
func (o *Adam) SetLR(lr float64) { o.c.lr = lr }

// Steps returns the number of Steps taken, read from the "adam.step" state.
func (o *Adam) Steps() int { return o.c.steps() }

// State returns the live state: "adam.step" (1×1), then "adam.m/<name>" for
// each parameter in order, then "adam.v/<name>" for each parameter in order.
func (o *Adam) State() []*nn.Param { return o.c.stateList() }
