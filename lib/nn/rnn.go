package nn

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// RNN is the vanilla (Elman) recurrent layer of the talk, over a sequence
// batch of T steps x_t (B×d) to T outputs h_t (B×H):
//
//	h_t = tanh(x_t·Wx + h_{t−1}·Wh + b)      Wx: d×H, Wh: H×H, b: 1×H
//
// ForwardSeq caches every h_t; BackwardSeq runs backpropagation through time
// over that cache. Given dy_t = ∂L/∂h_t from the output and dh_t from step
// t+1:
//
//	da_t      = (dy_t + dh_t) ⊙ (1 − h_t²)       (B×H)
//	∂L/∂Wx   += x_tᵀ·da_t,   ∂L/∂Wh += h_{t−1}ᵀ·da_t,   ∂L/∂b += Σ_rows da_t
//	∂L/∂x_t   = da_t·Wxᵀ,    dh_{t−1} = da_t·Whᵀ
//
// The products with Wx, and the weight gradients, are computed once for all
// T steps as one (T·B)-row product; only h_{t−1}·Wh and da_t·Whᵀ are per step.
// When the inputs are mostly zeros — min-char-rnn's one-hot characters —
// x·Wx and xᵀ·da run over the non-zero elements of x only: they pick and
// add rows of Wx and ∂L/∂Wx instead of multiplying by zeros.
//
// Step is the talk's stateful single step (forward only, for sampling):
//
//	class RNN:
//	    def step(self, x):
//	        self.h = np.tanh(np.dot(self.W_hh, self.h) + np.dot(self.W_xh, x))
//	        return self.h
//
// Weights here are in×out, so W·x becomes x·W and a batch of B rows steps at
// once.
//
// References: Elman (1990), "Finding Structure in Time"; the step is from
// Karpathy (2015), "The Unreasonable Effectiveness of Recurrent Neural
// Networks".
type RNN struct {
	Wx, Wh, B *Param

	// H0 is the initial state (B×H) of ForwardSeq; nil means zeros.
	// SetState sets it.
	H0 *mat.Dense
	// DH0 is ∂L/∂H0 (B×H) after BackwardSeq. It belongs to the layer and is
	// overwritten by the next BackwardSeq.
	DH0 *mat.Dense
	// NoInputGrad makes BackwardSeq skip ∂L/∂x_t, a (T·B)×H by H×d
	// product, and return nil: for a first layer whose inputs are data
	// (min-char-rnn's one-hot characters), whose gradient nobody reads.
	NoInputGrad bool

	h   *mat.Dense // the current state: State reads it, Step advances it
	dhT *mat.Dense // ∂L/∂h_T, set by SetStateGrad

	lens   []int // the length of each row of the last ForwardSeq
	padded bool  // whether any row is shorter than T
	x      stacked
	xnz    nonzeros // the non-zero elements of x, when sparse is set
	sparse bool     // x is mostly zeros: the products with x use xnz
	hs     stacked  // T+1 blocks: h_0 … h_T
	ys     stacked  // the outputs: h_1 … h_T with padded rows zeroed
	da     stacked  // T blocks: ∂L/∂(pre-activation)
	dx     stacked
	dh     *mat.Dense // dh_t, then swapped with dhPrev each step
	dhPrev *mat.Dense
	whT    *mat.Dense // Whᵀ (H×H), refreshed by each BackwardSeq
}

// NewRNN returns an in→hidden RNN layer with a zero bias and Xavier
// initialised Wx and Wh. For the square H×H recurrent matrix Xavier's
// U(−a, a), a = √(3/H), has variance 1/H, so h·Wh keeps the scale of h and
// the spectral radius of Wh starts near 1: gradients through time neither
// vanish nor explode at the start of training. (Orthogonal initialisation,
// Saxe et al. 2014, is the other common choice.)
func NewRNN(rng *rand.Rand, in, hidden int) *RNN {
	l := &RNN{
		Wx: NewParam("Wx", in, hidden),
		Wh: NewParam("Wh", hidden, hidden),
		B:  NewParam("b", 1, hidden),
	}
	InitXavier(rng, l.Wx.Value)
	InitXavier(rng, l.Wh.Value)
	return l
}

// ForwardSeq runs the layer over T steps xs (each B×d) from the initial
// state H0 and returns the T outputs (each B×H). With lengths, rows past
// their length keep their state and output zeros. The returned matrices
// belong to the layer and are overwritten by the next ForwardSeq; the caller
// may modify them. ForwardSeq sets the current state to the final one.
func (l *RNN) ForwardSeq(xs []*mat.Dense, lengths []int) []*mat.Dense {
	d, hid := l.Wx.Value.Dims()
	steps, b := seqDims(xs, d)
	l.lens, l.padded = seqLengths(l.lens, lengths, steps, b)
	l.x.resize(steps, b, d)
	l.hs.resize(steps+1, b, hid)
	l.ys.resize(steps, b, hid)

	stackInputs(&l.x, xs)
	setInitial(l.hs.steps[0], l.H0)
	// Every step's input projection in one product, written straight into
	// the blocks of h_1 … h_T:  ((T·B)×H) = ((T·B)×d)·(d×H) + b
	if l.sparse = l.xnz.find(l.x.all); l.sparse {
		l.xnz.mulTo(l.hs.tail, l.Wx.Value) // one-hot rows pick rows of Wx
	} else {
		gemm(false, false, 1, l.x.all, l.Wx.Value, 0, l.hs.tail)
	}
	addBias(l.hs.tail, l.B.Value)
	for t := 0; t < steps; t++ {
		h := l.hs.steps[t+1]
		gemm(false, false, 1, l.hs.steps[t], l.Wh.Value, 1, h) // a_t += h_{t−1}·Wh   (B×H)
		tanhInPlace(h)
		if l.padded {
			carryPadded(h, l.hs.steps[t], l.lens, t)
		}
	}
	outputs(&l.ys, &l.hs, l.lens)
	l.h = l.hs.steps[steps]
	return l.ys.steps
}

// BackwardSeq takes ∂L/∂y_t for the T outputs of the last ForwardSeq (each
// B×H, or nil for zero), adds the gradients of Wx, Wh and b into their Grad,
// sets DH0, and returns ∂L/∂x_t (each B×d), or nil with NoInputGrad. The
// returned matrices belong to the layer and are overwritten by the next
// BackwardSeq.
func (l *RNN) BackwardSeq(dys []*mat.Dense) []*mat.Dense {
	mustForward(&l.x)
	d, hid := l.Wx.Value.Dims()
	steps, b := l.x.n, l.x.b
	checkGrads(dys, steps, b, hid)
	l.da.resize(steps, b, hid)
	l.dh = Ensure(l.dh, b, hid)
	l.dhPrev = Ensure(l.dhPrev, b, hid)

	startGrad(l.dh, l.dhT)
	l.whT = transposeTo(l.whT, l.Wh.Value)
	for t := steps - 1; t >= 0; t-- {
		h, da := l.hs.steps[t+1], l.da.steps[t]
		for i := 0; i < b; i++ {
			dar := da.RawRowView(i)
			if t >= l.lens[i] {
				clear(dar) // padding: the state was carried, not computed
				continue
			}
			hr, dhr, dyr := h.RawRowView(i), l.dh.RawRowView(i), gradRow(dys[t], i)
			for j, hv := range hr {
				g := dhr[j]
				if dyr != nil {
					g += dyr[j]
				}
				dar[j] = g * (1 - hv*hv) // tanh' = 1 − tanh²
			}
		}
		gemm(false, false, 1, da, l.whT, 0, l.dhPrev) // dh_{t−1} = da_t·Whᵀ   (B×H)
		if l.padded {
			carryPadded(l.dhPrev, l.dh, l.lens, t)
		}
		l.dh, l.dhPrev = l.dhPrev, l.dh
	}
	l.DH0 = Ensure(l.DH0, b, hid)
	copyInto(l.DH0, l.dh)

	// The weight gradients and the input gradient of all T steps at once.
	if l.sparse {
		l.xnz.addTMulTo(l.Wx.Grad, l.da.all) // one-hot rows add rows of da into ∂L/∂Wx
	} else {
		gemm(true, false, 1, l.x.all, l.da.all, 1, l.Wx.Grad) // (d×H) += ((T·B)×d)ᵀ·((T·B)×H)
	}
	gemm(true, false, 1, l.hs.lead, l.da.all, 1, l.Wh.Grad) // (H×H) += ((T·B)×H)ᵀ·((T·B)×H)
	AddRowSums(l.B.Grad, l.da.all)
	if l.NoInputGrad {
		return nil
	}
	l.dx.resize(steps, b, d)
	gemm(false, true, 1, l.da.all, l.Wx.Value, 0, l.dx.all) // ((T·B)×d) = ((T·B)×H)·(H×d)
	return l.dx.steps
}

// Step advances the current state by one step of input x (B×d) and returns
// the new state h (B×H), as the talk's RNN.step does. It starts from zeros
// after Reset, from the SetState state, or from the end of the last
// ForwardSeq. Step keeps no cache: it is for sampling, not training. The
// returned matrix is the layer's state; the layer never writes it again.
func (l *RNN) Step(x *mat.Dense) *mat.Dense {
	d, hid := l.Wx.Value.Dims()
	MustDims(x, -1, d)
	b, _ := x.Dims()
	h := mat.NewDense(b, hid, nil)
	gemm(false, false, 1, x, l.Wx.Value, 0, h) // x·Wx   (B×H)
	if l.h != nil {
		MustDims(l.h, b, hid)
		gemm(false, false, 1, l.h, l.Wh.Value, 1, h) // + h·Wh
	}
	addBias(h, l.B.Value)
	tanhInPlace(h)
	l.h = h
	return h
}

// Reset sets the state to zeros: SetState(nil, nil).
func (l *RNN) Reset() { l.SetState(nil, nil) }

// SetState sets H0 and the current state to h (B×H, nil for zeros). An RNN
// has no cell state: c is ignored.
func (l *RNN) SetState(h, c *mat.Dense) {
	if h != nil {
		_, hid := l.Wh.Value.Dims()
		MustDims(h, -1, hid)
	}
	l.H0, l.h = h, h
}

// State returns a copy of the current state h and a nil c.
func (l *RNN) State() (h, c *mat.Dense) { return copyState(l.h), nil }

// SetStateGrad sets ∂L/∂h_T (B×H, nil for zero) for every following
// BackwardSeq. dc is ignored.
func (l *RNN) SetStateGrad(dh, dc *mat.Dense) { l.dhT = dh }

// StateGrad returns DH0 and a nil dc.
func (l *RNN) StateGrad() (dh, dc *mat.Dense) { return l.DH0, nil }

// Params returns Wx, Wh and b.
func (l *RNN) Params() []*Param { return []*Param{l.Wx, l.Wh, l.B} }

// Replica returns an *RNN that shares l's weights and NoInputGrad, with its
// own caches, gradients and a zero state (see Replicator).
func (l *RNN) Replica() SeqLayer {
	return &RNN{Wx: l.Wx.Replica(), Wh: l.Wh.Replica(), B: l.B.Replica(), NoInputGrad: l.NoInputGrad}
}

// Shared returns an *RNN with l's parameters and NoInputGrad, its own
// caches and a zero state (see Sharer).
func (l *RNN) Shared() SeqLayer { return &RNN{Wx: l.Wx, Wh: l.Wh, B: l.B, NoInputGrad: l.NoInputGrad} }

// sparseShare: an input with at most one element in sparseShare non-zero
// is multiplied as sparse. A one-hot row over V ≥ sparseShare characters
// is (min-char-rnn: V = 65); below that the dense product, whose every
// multiply-add is many times cheaper than the sparse path's, is as fast.
const sparseShare = 16

// nonzeros is a matrix x (r×c) in compressed sparse row form: row i's
// non-zero elements are x[i, cols[e]] = vals[e] for e in start[i] …
// start[i+1]−1. Its products skip the zeros of x, as gonum's reference
// Dgemm does, so a zero times an infinite or NaN weight gives 0, not NaN.
type nonzeros struct {
	start []int
	cols  []int
	vals  []float64
}

// find records the non-zero elements of x and reports whether there are
// at most r·c/sparseShare of them; it stops as soon as there are more.
func (nz *nonzeros) find(x *mat.Dense) bool {
	r, c := x.Dims()
	limit := r * c / sparseShare
	nz.start = append(nz.start[:0], 0)
	nz.cols, nz.vals = nz.cols[:0], nz.vals[:0]
	for i := 0; i < r; i++ {
		for j, v := range x.RawRowView(i) {
			if v == 0 {
				continue
			}
			if len(nz.cols) == limit {
				return false
			}
			nz.cols = append(nz.cols, j)
			nz.vals = append(nz.vals, v)
		}
		nz.start = append(nz.start, len(nz.cols))
	}
	return true
}

// mulTo sets dst (r×n) to x·w, where w is c×n: row i of dst is
// Σ_e vals[e]·w[cols[e], :] over row i's elements, a copy of one row of w
// for a one-hot row.
func (nz *nonzeros) mulTo(dst, w *mat.Dense) {
	for i := 0; i+1 < len(nz.start); i++ {
		d := dst.RawRowView(i)
		clear(d)
		for e := nz.start[i]; e < nz.start[i+1]; e++ {
			floats.AddScaled(d, nz.vals[e], w.RawRowView(nz.cols[e]))
		}
	}
}

// addTMulTo adds xᵀ·m into dst (c×n), where m is r×n: row i of m, times
// x[i, j], goes into row j of dst for every non-zero x[i, j].
func (nz *nonzeros) addTMulTo(dst, m *mat.Dense) {
	for i := 0; i+1 < len(nz.start); i++ {
		row := m.RawRowView(i)
		for e := nz.start[i]; e < nz.start[i+1]; e++ {
			floats.AddScaled(dst.RawRowView(nz.cols[e]), nz.vals[e], row)
		}
	}
}
