package optim

import "github.com/seq2go/seq2go/lib/nn"

// SGD is plain stochastic gradient descent: each Step moves every parameter a
// distance proportional to its gradient, downhill.
//
//	g ← g + λ·θ        (only when WeightDecay λ ≠ 0)
//	θ ← θ − lr·g
//
// WeightDecay λ is an L2 penalty (λ/2)·‖θ‖² folded into the gradient, as
// PyTorch's torch.optim.SGD weight_decay does; it reads θ before the update
// and leaves Param.Grad unchanged.
//
// SGD has no per-parameter state; State holds only the step counter
// "sgd.step".
//
// Reference: Robbins & Monro (1951), "A Stochastic Approximation Method";
// Goodfellow, Bengio & Courville (2016), "Deep Learning", §8.3.1.
type SGD struct {
	WeightDecay float64 // λ, the L2 penalty coefficient; 0 turns it off

	c core
}

// NewSGD returns an SGD optimizer over params with learning rate lr.
// It panics if a parameter's Value and Grad differ in shape.
func NewSGD(params []*nn.Param, lr float64) *SGD {
	c, _ := newCore("sgd", params, lr)
	return &SGD{c: c}
}

// Step applies θ ← θ − lr·(g + λ·θ) to every parameter. It does not clear
// the gradients; call ZeroGrad for that.
func (o *SGD) Step() {
	o.c.next()
	lr, wd := o.c.lr, o.WeightDecay
	for _, p := range o.c.params {
		r, c := p.Value.Dims()
		w, g := raw(p.Value, r, c), raw(p.Grad, r, c)
		rows, n := rowsOf(r, c, w.Stride == c && g.Stride == c)
		for i := 0; i < rows; i++ {
			sgdRow(row(w, i, n), row(g, i, n), lr, wd)
		}
	}
}

// sgdRow is SGD's update on one run of elements.
func sgdRow(w, g []float64, lr, wd float64) {
	g = g[:len(w)]
	for j, gj := range g {
		w[j] -= lr * (gj + wd*w[j])
	}
}

// ZeroGrad sets every parameter's gradient to zero.
func (o *SGD) ZeroGrad() { o.c.zeroGrad() }

// LR returns the learning rate.
func (o *SGD) LR() float64 { return o.c.lr }

// SetLR sets the learning rate used by the next Step.
func (o *SGD) SetLR(lr float64) { o.c.lr = lr }

// Steps returns the number of Steps taken, read from the "sgd.step" state.
func (o *SGD) Steps() int { return o.c.steps() }

// State returns the live state: the 1×1 step counter "sgd.step".
func (o *SGD) State() []*nn.Param { return o.c.stateList() }
