package optim

import (
	seqblas "github.com/seq2go/seq2go/lib/blas"
	"github.com/seq2go/seq2go/lib/nn"
)

// Adagrad gives every parameter element its own learning rate, shrinking as
// the squared gradients of that element accumulate: elements that see large
// or frequent gradients take small steps, rare ones take large steps.
//
//	s ← s + g²
//	θ ← θ − lr·g / √(s + ε)
//
// This is exactly the update of Karpathy's min-char-rnn.py:
//
//	mem += dparam * dparam
//	param += -learning_rate * dparam / np.sqrt(mem + 1e-8)
//
// so ε goes inside the square root (min-char-rnn uses ε = 1e-8 and lr = 0.1).
// PyTorch's torch.optim.Adagrad puts it outside, θ ← θ − lr·g/(√s + ε).
// The two differ only while s is not much larger than ε (inside) or ε²
// (outside): with ε = 1e-8 inside, a coordinate whose gradients stay near
// 1e-3 takes steps about 0.5% shorter than PyTorch's (see the example).
// On the first Step the update is lr·g/√(g² + ε) ≈ lr·sign(g): Adagrad's
// first step has length lr in every coordinate, whatever the gradient's scale.
//
// Because s only grows, the effective rate lr/√s decays; Adagrad suits sparse
// gradients (embeddings, min-char-rnn's one-hot inputs) and short runs, and
// RMSProp and Adam replace the sum by a moving average to stop the decay.
//
// State holds "adagrad.step" and one "adagrad.mem/<name>" (the sum s) per
// parameter.
//
// References: Duchi, Hazan & Singer (2011), "Adaptive Subgradient Methods for
// Online Learning and Stochastic Optimization", JMLR 12; Karpathy (2015),
// min-char-rnn.py, https://gist.github.com/karpathy/d4dee566867f8291f086.
type Adagrad struct {
	Eps float64 // ε, added to s inside the square root

	c   core
	mem []*nn.Param
}

// NewAdagrad returns an Adagrad optimizer over params with learning rate lr
// and ε = eps inside the square root (min-char-rnn: lr = 0.1, eps = 1e-8).
// It panics if a parameter's Value and Grad differ in shape.
func NewAdagrad(params []*nn.Param, lr, eps float64) *Adagrad {
	c, s := newCore("adagrad", params, lr, "mem")
	return &Adagrad{Eps: eps, c: c, mem: s[0]}
}

// Step adds g² into the accumulators and updates the parameters. It does not
// clear the gradients; call ZeroGrad for that.
//
// Rows whose gradient is all zero are skipped: for them the update is
// exactly nothing (s + 0 = s and w − 0 = w, since s + ε > 0). Those are the
// rows of characters absent from the chunk in min-char-rnn's Wx (about 50
// of 65), and of words absent from the batch in an embedding: skipping them
// saved a fifth of min-char-rnn's √ and ÷. (With ε = 0 and s = 0 the full
// update would make w NaN, 0/0; the skip leaves it alone.)
func (o *Adagrad) Step() {
	o.c.next()
	for i, p := range o.c.params {
		r, c := p.Value.Dims()
		w, g, s := raw(p.Value, r, c), raw(p.Grad, r, c), raw(o.mem[i].Value, r, c)
		contiguous := w.Stride == c && g.Stride == c && s.Stride == c
		for k := 0; k < r; {
			if zeroRow(row(g, k, c)) {
				k++
				continue
			}
			// Rows k … end−1 have gradients; when the matrices are
			// contiguous they are one run of (end−k)·c elements.
			end := k + 1
			for contiguous && end < r && !zeroRow(row(g, end, c)) {
				end++
			}
			n := (end-k-1)*w.Stride + c
			adagradRow(w.Data[k*w.Stride:][:n], g.Data[k*g.Stride:][:n], s.Data[k*s.Stride:][:n], o.c.lr, o.Eps)
			k = end
		}
	}
}

// zeroRow reports whether every element of g is zero. It usually returns
// at the first element.
func zeroRow(g []float64) bool {
	for _, v := range g {
		if v != 0 {
			return false
		}
	}
	return true
}

// adagradRow is Adagrad's update on one run of elements: lib/blas's
// AdagradStep, the loop
//
//	s[j] += g[j] * g[j]
//	w[j] -= lr * g[j] / math.Sqrt(s[j]+eps)
//
// four elements at a time where the CPU has AVX2, with the same result bit
// for bit (√ and ÷ were a fifth of min-char-rnn's training time).
func adagradRow(w, g, s []float64, lr, eps float64) {
	seqblas.AdagradStep(w, g[:len(w)], s[:len(w)], lr, eps)
}

// ZeroGrad sets every parameter's gradient to zero.
func (o *Adagrad) ZeroGrad() { o.c.zeroGrad() }

// LR returns the learning rate.
func (o *Adagrad) LR() float64 { return o.c.lr }

// SetLR sets the learning rate used by the next Step.
func (o *Adagrad) SetLR(lr float64) { o.c.lr = lr }

// Steps returns the number of Steps taken, read from the "adagrad.step" state.
func (o *Adagrad) Steps() int { return o.c.steps() }

// State returns the live state: "adagrad.step" (1×1), then
// "adagrad.mem/<name>" for each parameter in order.
func (o *Adagrad) State() []*nn.Param { return o.c.stateList() }
