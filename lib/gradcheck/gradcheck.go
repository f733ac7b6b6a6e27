// Package gradcheck checks hand-written gradients against finite differences.
//
// Every block in seq2go has its Backward written out by hand, and every one
// is checked here: the analytic gradient that Backward accumulates into
// Param.Grad is compared with the central difference of the loss,
//
//	∂L/∂θ_i ≈ (L(θ + h·e_i) − L(θ − h·e_i)) / 2h          (error O(h²))
//
// element by element, using the relative error
//
//	err_i = |a_i − n_i| / max(|a_i|, |n_i|, Floor)
//
// where a is analytic and n numeric. Floor keeps gradients that are zero up
// to rounding (|g| ≲ 1e-10) from dividing noise by noise.
//
// Use it on your own blocks from a notebook or a test:
//
//	r := gradcheck.Layer(myLayer, x, rng)
//	if err := r.Err(gradcheck.Tol); err != nil { ... }
//
// Layer and Seq build the scalar loss L = Σ r ⊙ Forward(x) with a fixed
// random r, so that every output element carries its own weight and a
// mistake in any one of them shows.
package gradcheck

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

const (
	// Step is the finite-difference step h. With float64 and losses of
	// order one, the rounding error of the difference quotient is about
	// ε·|L|/h ≈ 2e-11 and its truncation error h²·|L‴|/6 ≈ 1e-11: both
	// far below Tol·Floor. (With h = 1e-6 rounding reaches 1e-9 through a
	// stack of recurrent layers: too close.)
	Step = 1e-5
	// Tol is the relative error every gradient in seq2go's tests stays below.
	Tol = 1e-6
	// Floor is the smallest denominator of the relative error.
	Floor = 1e-4
)

// Report is the outcome of a gradient check.
type Report struct {
	Checked   int     // number of elements compared
	MaxRelErr float64 // the largest relative error found
	Where     string  // "name[i,j]" of the element with the largest error
	Analytic  float64 // the analytic gradient there
	Numeric   float64 // the numeric gradient there
}

// Err returns nil when the largest relative error is below tol, and an
// error naming the worst element otherwise.
func (r Report) Err(tol float64) error {
	if r.MaxRelErr < tol && !math.IsNaN(r.MaxRelErr) {
		return nil
	}
	return fmt.Errorf("gradcheck: %s", r)
}

func (r Report) String() string {
	return fmt.Sprintf("%d elements, max relative error %.3g at %s (analytic %.10g, numeric %.10g)",
		r.Checked, r.MaxRelErr, r.Where, r.Analytic, r.Numeric)
}

// Check compares gradients with central differences of loss. loss computes
// the scalar loss from the current values of params (running the forward
// pass); backward runs the backward pass of the most recent loss call,
// accumulating into the params' Grad. Check zeroes the gradients, calls loss
// and backward once, then perturbs every element of every Param.Value by
// ±Step, restoring it afterwards.
//
// Inputs are checked the same way: wrap an input matrix in a Param whose Grad
// the backward function fills.
func Check(loss func() float64, backward func(), params []*nn.Param) Report {
	nn.ZeroGrads(params)
	loss()
	backward()
	var rep Report
	for _, p := range params {
		r, c := p.Value.Dims()
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				orig := p.Value.At(i, j)
				p.Value.Set(i, j, orig+Step)
				up := loss()
				p.Value.Set(i, j, orig-Step)
				down := loss()
				p.Value.Set(i, j, orig)
				num := (up - down) / (2 * Step)
				ana := p.Grad.At(i, j)
				err := math.Abs(ana-num) / math.Max(math.Max(math.Abs(ana), math.Abs(num)), Floor)
				rep.Checked++
				if err > rep.MaxRelErr || math.IsNaN(err) || rep.Where == "" {
					rep.MaxRelErr, rep.Analytic, rep.Numeric = err, ana, num
					rep.Where = fmt.Sprintf("%s[%d,%d]", p.Name, i, j)
				}
			}
		}
	}
	return rep
}

// Func checks the gradient of a scalar function f at x: grad(x) is the
// analytic gradient, the same length as x.
func Func(f func(x []float64) float64, grad func(x []float64) []float64, x []float64) Report {
	p := &nn.Param{Name: "x", Value: mat.NewDense(1, len(x), x), Grad: mat.NewDense(1, len(x), nil)}
	return Check(
		func() float64 { return f(p.Value.RawRowView(0)) },
		func() { p.Grad.SetRow(0, grad(p.Value.RawRowView(0))) },
		[]*nn.Param{p})
}

// Layer checks a layer's Backward: the gradient with respect to its input x
// (B×in) and to each of its parameters, for L = Σ r ⊙ Forward(x) with r drawn
// from rng. x is not modified.
func Layer(l nn.Layer, x *mat.Dense, rng *rand.Rand) Report {
	in := inputParam("x", x)
	var weights *mat.Dense
	loss := func() float64 {
		y := l.Forward(in.Value)
		if weights == nil {
			weights = randomLike(y, rng)
		}
		return mat.Sum(mulElem(y, weights))
	}
	backward := func() { in.Grad.Add(in.Grad, l.Backward(weights)) }
	return Check(loss, backward, append(l.Params(), in))
}

// Seq checks a sequence layer's BackwardSeq: the gradients with respect to
// every input step xs[t] (B×in) and to each parameter, for
// L = Σ_t Σ r_t ⊙ ForwardSeq(xs, lengths)_t. The xs are not modified.
func Seq(l nn.SeqLayer, xs []*mat.Dense, lengths []int, rng *rand.Rand) Report {
	ins := make([]*nn.Param, len(xs))
	vals := make([]*mat.Dense, len(xs))
	for t, x := range xs {
		ins[t] = inputParam(fmt.Sprintf("x%d", t), x)
		vals[t] = ins[t].Value
	}
	var weights []*mat.Dense
	loss := func() float64 {
		ys := l.ForwardSeq(vals, lengths)
		if weights == nil {
			for _, y := range ys {
				weights = append(weights, randomLike(y, rng))
			}
		}
		s := 0.0
		for t, y := range ys {
			s += mat.Sum(mulElem(y, weights[t]))
		}
		return s
	}
	backward := func() {
		for t, dx := range l.BackwardSeq(weights) {
			ins[t].Grad.Add(ins[t].Grad, dx)
		}
	}
	return Check(loss, backward, append(l.Params(), ins...))
}

func inputParam(name string, x *mat.Dense) *nn.Param {
	r, c := x.Dims()
	return &nn.Param{Name: name, Value: mat.DenseCopyOf(x), Grad: mat.NewDense(r, c, nil)}
}

func randomLike(m *mat.Dense, rng *rand.Rand) *mat.Dense {
	r, c := m.Dims()
	w := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			w.Set(i, j, rng.NormFloat64())
		}
	}
	return w
}

func mulElem(a, b *mat.Dense) *mat.Dense {
	var m mat.Dense
	m.MulElem(a, b)
	return &m
}
