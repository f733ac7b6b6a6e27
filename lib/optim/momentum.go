package optim

import "github.com/seq2go/seq2go/lib/nn"

// Momentum is stochastic gradient descent with momentum, in PyTorch's form
// (torch.optim.SGD with momentum μ, dampening 0): a velocity v accumulates
// the gradients, and the parameters move along v.
//
//	g ← g + λ·θ                 (only when WeightDecay λ ≠ 0)
//	v ← μ·v + g                 (v starts at 0, so v = g after the first Step)
//	θ ← θ − lr·v                (classical momentum)
//	θ ← θ − lr·(g + μ·v)        (Nesterov, with the v just computed)
//
// With a constant gradient v grows to g/(1−μ), so μ = 0.9 takes steps up to
// ten times as long as SGD's; along directions where the gradient changes
// sign, the terms of v cancel and the oscillation is damped.
//
// Nesterov's variant looks one step ahead: it applies the gradient on top of
// the velocity that the next step will use, which corrects an overshoot one
// step sooner. This is Sutskever et al.'s reformulation as PyTorch
// implements it, in terms of θ rather than the look-ahead point.
//
// Note that this form puts lr outside v (Sutskever et al. put it inside:
// v ← μ·v − lr·g). The two agree while lr is constant and differ after a
// SetLR: here a new rate applies at once to the whole velocity.
//
// State holds "momentum.step" and one "momentum.v/<name>" per parameter.
//
// References: Polyak (1964), "Some methods of speeding up the convergence of
// iteration methods"; Sutskever, Martens, Dahl & Hinton (2013), "On the
// importance of initialization and momentum in deep learning", ICML;
// PyTorch's torch.optim.SGD documentation.
type Momentum struct {
	Mu          float64 // μ, the momentum coefficient, typically 0.9
	Nesterov    bool    // use Nesterov's update
	WeightDecay float64 // λ, the L2 penalty coefficient; 0 turns it off

	c core
	v []*nn.Param
}

// NewMomentum returns a momentum optimizer over params with learning rate
// lr, momentum coefficient mu and, when nesterov is true, Nesterov's update.
// It panics if a parameter's Value and Grad differ in shape.
func NewMomentum(params []*nn.Param, lr, mu float64, nesterov bool) *Momentum {
	c, s := newCore("momentum", params, lr, "v")
	return &Momentum{Mu: mu, Nesterov: nesterov, c: c, v: s[0]}
}

// Step updates the velocities and then the parameters. It does not clear the
// gradients; call ZeroGrad for that.
func (o *Momentum) Step() {
	o.c.next()
	lr, mu, wd := o.c.lr, o.Mu, o.WeightDecay
	for i, p := range o.c.params {
		r, c := p.Value.Dims()
		w, g, v := raw(p.Value, r, c), raw(p.Grad, r, c), raw(o.v[i].Value, r, c)
		rows, n := rowsOf(r, c, w.Stride == c && g.Stride == c && v.Stride == c)
		for k := 0; k < rows; k++ {
			momentumRow(row(w, k, n), row(g, k, n), row(v, k, n), lr, mu, wd, o.Nesterov)
		}
	}
}

// momentumRow is Momentum's update on one run of elements.
func momentumRow(w, g, v []float64, lr, mu, wd float64, nesterov bool) {
	g, v = g[:len(w)], v[:len(w)]
	if nesterov {
		for j := range w {
			gj := g[j] + wd*w[j]
			v[j] = mu*v[j] + gj
			w[j] -= lr * (gj + mu*v[j])
		}
		return
	}
	for j := range w {
		v[j] = mu*v[j] + g[j] + wd*w[j]
		w[j] -= lr * v[j]
	}
}

// ZeroGrad sets every parameter's gradient to zero.
func (o *Momentum) ZeroGrad() { o.c.zeroGrad() }

// LR returns the learning rate.
func (o *Momentum) LR() float64 { return o.c.lr }

// SetLR sets the learning rate used by the next Step.
func (o *Momentum) SetLR(lr float64) { o.c.lr = lr }

// Steps returns the number of Steps taken, read from the "momentum.step" state.
func (o *Momentum) Steps() int { return o.c.steps() }

// State returns the live state: "momentum.step" (1×1), then
// "momentum.v/<name>" for each parameter in order.
func (o *Momentum) State() []*nn.Param { return o.c.stateList() }
