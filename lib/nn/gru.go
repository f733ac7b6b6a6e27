package nn

import (
	"math/rand/v2"

	seqblas "github.com/seq2go/seq2go/lib/blas"
	"gonum.org/v1/gonum/mat"
)

// GRU is a gated recurrent unit layer over a sequence batch of T steps x_t
// (B×d) to T outputs h_t (B×H):
//
//	r_t = σ(x_t·Wxr + br + h_{t−1}·Whr)                    reset gate    (B×H)
//	z_t = σ(x_t·Wxz + bz + h_{t−1}·Whz)                    update gate
//	n_t = tanh(x_t·Wxn + bn + r_t ⊙ (h_{t−1}·Whn + bhn))   candidate
//	h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}
//
// This is the variant of PyTorch's nn.GRU and cuDNN, where the reset gate
// multiplies the recurrent product h_{t−1}·Whn + bhn. Cho et al. (2014)
// apply it before the product, n_t = tanh(x_t·Wxn + (r_t ⊙ h_{t−1})·Whn),
// which needs a second product per step after r_t is known; this variant
// computes h_{t−1}·Wh for all three gates in one product per step. (Keras
// calls it reset_after=True.)
//
// The gates' weights are packed in column blocks [r | z | n], PyTorch's
// order: Wx is d×3H, Wh is H×3H, b is 1×3H (the input-side biases plus, for
// r and z, the recurrent ones, which only ever appear summed), and bhn (1×H)
// is the recurrent bias of n, which sits inside r_t ⊙ (…) and so cannot be
// merged. From PyTorch: Wx = weight_ih_l0ᵀ, Wh = weight_hh_l0ᵀ,
// b = b_ih + (b_hh_r, b_hh_z, 0), bhn = b_hh_n.
//
// BackwardSeq, with dh = ∂L/∂y_t + (gradient from step t+1) and
// a_n = h_{t−1}·Whn + bhn:
//
//	dn = dh ⊙ (1 − z_t) ⊙ (1 − n_t²)                       ∂L/∂(pre-activation of n)
//	dz = dh ⊙ (h_{t−1} − n_t) ⊙ z_t ⊙ (1 − z_t)
//	dr = dn ⊙ a_n ⊙ r_t ⊙ (1 − r_t)
//	dGx_t = [dr | dz | dn],   dGh_t = [dr | dz | dn ⊙ r_t]     (B×3H)
//	dh_{t−1} = dh ⊙ z_t + dGh_t·Whᵀ,   ∂L/∂x_t = dGx_t·Wxᵀ,
//	∂L/∂b += Σ_rows dGx_t,   ∂L/∂bhn += Σ_rows dGh_t[n]
//
// and, over the (T·B)-row stacks of all steps at once (as LSTM does):
//
//	∂L/∂Wx += Xᵀ·dGx,  ∂L/∂Wh += H_prevᵀ·dGh
//
// References: Cho et al. (2014), "Learning Phrase Representations using RNN
// Encoder–Decoder for Statistical Machine Translation"; PyTorch's nn.GRU
// documentation (the equations above).
type GRU struct {
	Wx, Wh, B, Bhn *Param

	// H0 is the initial state (B×H) of ForwardSeq; nil means zeros.
	// SetState sets it.
	H0 *mat.Dense
	// DH0 is ∂L/∂H0 (B×H) after BackwardSeq. It belongs to the layer and is
	// overwritten by the next BackwardSeq.
	DH0 *mat.Dense

	h   *mat.Dense // the current state: State reads it, Step advances it
	dhT *mat.Dense // ∂L/∂h_T, set by SetStateGrad

	seqCache
	gx     stacked // T blocks B×3H: x_t·Wx + b, then the gates [r z n]
	gh     stacked // T blocks B×3H: h_{t−1}·Wh, with bhn added to its n block (a_n)
	dgx    stacked // T blocks B×3H
	dgh    stacked // T blocks B×3H
	dx     stacked
	dh     *mat.Dense
	dhPrev *mat.Dense
}

// NewGRU returns an in→hidden GRU layer with zero biases and each gate's
// block of Wx and Wh Xavier initialised, as in NewLSTM.
func NewGRU(rng *rand.Rand, in, hidden int) *GRU {
	l := &GRU{
		Wx:  NewParam("Wx", in, 3*hidden),
		Wh:  NewParam("Wh", hidden, 3*hidden),
		B:   NewParam("b", 1, 3*hidden),
		Bhn: NewParam("bhn", 1, hidden),
	}
	initGates(rng, l.Wx.Value, 3)
	initGates(rng, l.Wh.Value, 3)
	return l
}

// hidden returns H.
func (l *GRU) hidden() int { _, h := l.Bhn.Value.Dims(); return h }

// ForwardSeq runs the layer over T steps xs (each B×d) from the initial
// state H0 and returns the T outputs h_t (each B×H). With lengths, rows past
// their length keep their state and output zeros. The returned matrices
// belong to the layer and are overwritten by the next ForwardSeq; the caller
// may modify them. ForwardSeq sets the current state to the final one.
func (l *GRU) ForwardSeq(xs []*mat.Dense, lengths []int) []*mat.Dense {
	return forwardSeq(l, &l.seqCache, xs, lengths)
}

// beginSeq readies the cache for a sequence of T steps of B rows with
// lengths (nil: all T long) and sets the initial state H0 (see LSTM).
func (l *GRU) beginSeq(steps, b int, lengths []int) {
	d, _ := l.Wx.Value.Dims()
	hid := l.hidden()
	l.begin(steps, b, d, hid, lengths, l.H0)
	l.gx.resize(steps, b, 3*hid)
	l.gh.resize(steps, b, 3*hid)
}

// forwardAt runs step t on its input x (B×d) and returns its output y_t
// (see LSTM).
func (l *GRU) forwardAt(t int, x *mat.Dense) *mat.Dense {
	l.input(t, x)
	l.forward(t)
	return l.output(t)
}

// endSeq sets the current state to the last step's and readies
// BackwardStep.
func (l *GRU) endSeq() {
	l.h = l.hs.steps[l.x.n]
	l.back = 0
}

// ForwardStep runs one step more, of input x (B×d), after the T steps of the
// last ForwardSeq and the ForwardStep calls since, and returns its output
// h_{T+1} (B×H), keeping the step in the cache: ForwardSeq(xs[:1], nil)
// followed by ForwardStep(xs[t]) for t = 1 … T−1 leaves the layer as
// ForwardSeq(xs, nil) does. It is for a sequence whose input at step t
// depends on the output at step t−1, as a decoder's with input feeding;
// BackwardStep goes back through it. A sequence with lengths cannot grow.
// The returned matrix belongs to the layer, as ForwardSeq's do.
func (l *GRU) ForwardStep(x *mat.Dense) *mat.Dense {
	t := l.extend(x, &l.gx, &l.gh)
	y := l.forwardAt(t, x)
	l.endSeq()
	return y
}

// forward runs step t of the cache, whose input x_t is in place: the two
// products and the cell, while the step's blocks are in cache (see
// LSTM.forward).
func (l *GRU) forward(t int) {
	gx := l.gx.steps[t]
	fillRows(gx, l.B.Value)
	l.wxP.Mul(gx, l.x.steps[t], l.Wx.Value, false, 1)             // b + x_t·Wx   (B×3H)
	l.whP.Mul(l.gh.steps[t], l.hs.steps[t], l.Wh.Value, false, 0) // h_{t−1}·Wh   (B×3H)
	GRUCell(l.gx.steps[t], l.gh.steps[t], l.Bhn.Value, l.hs.steps[t], l.hs.steps[t+1])
	if l.padded {
		carryPadded(l.hs.steps[t+1], l.hs.steps[t], l.lens, t)
	}
}

// GRUCell is the element-wise part of one GRU step, shared with the int8
// layers of lib/quant. gx (B×3H) holds x·Wx + b and is overwritten by the
// gates r, z, n; gh (B×3H) holds h·Wh and gets bhn (1×H) added to its n
// block; h = (1 − z)⊙n + z⊙hPrev (B×H; a nil hPrev is zeros). The
// activations run over whole gate blocks of a row through lib/blas's
// vectorised SigmoidTo and TanhTo (r and z are adjacent: one σ call).
func GRUCell(gx, gh, bhn, hPrev, h *mat.Dense) {
	r, hid := h.Dims()
	bn := bhn.RawRowView(0)[:hid]
	for b := 0; b < r; b++ {
		x, g := gx.RawRowView(b), gh.RawRowView(b)
		xrz, xn := x[:2*hid], x[2*hid:3*hid]
		hrz, hn := g[:2*hid], g[2*hid:3*hid]
		for j := range xrz {
			xrz[j] += hrz[j]
		}
		seqblas.SigmoidTo(xrz, xrz) // r, z
		rg, zg := xrz[:hid], xrz[hid:]
		for j := range hn {
			an := hn[j] + bn[j]
			hn[j] = an
			xn[j] += rg[j] * an
		}
		seqblas.TanhTo(xn, xn) // n
		out := h.RawRowView(b)[:hid]
		if hPrev == nil {
			for j := range out {
				out[j] = (1 - zg[j]) * xn[j]
			}
			continue
		}
		hp := hPrev.RawRowView(b)[:hid]
		for j := range out {
			zv := zg[j]
			out[j] = (1-zv)*xn[j] + zv*hp[j]
		}
	}
}

// BackwardSeq takes ∂L/∂y_t for the T outputs of the last ForwardSeq (each
// B×H, or nil for zero), adds the gradients of Wx, Wh, b and bhn into their
// Grad, sets DH0, and returns ∂L/∂x_t (each B×d). The returned matrices
// belong to the layer and are overwritten by the next BackwardSeq.
func (l *GRU) BackwardSeq(dys []*mat.Dense) []*mat.Dense {
	backwardSeq(l, &l.x, l.hidden(), dys)
	return l.dx.steps
}

// BackwardStep takes ∂L/∂y_t (B×H, or nil for zero) for the latest step t
// not yet gone back through, of the sequence of the last ForwardSeq and
// ForwardStep calls, and returns ∂L/∂x_t (B×d): BackwardSeq one step at a
// time, from the last step to the first, for a caller whose ∂L/∂y_{t−1}
// depends on ∂L/∂x_t (input feeding). At step 0 it adds the weight
// gradients of all steps, as one product each, and sets DH0; a call after
// that starts again from the last step. The returned matrix belongs to the
// layer and is overwritten by the next BackwardSeq.
func (l *GRU) BackwardStep(dy *mat.Dense) *mat.Dense {
	t := backwardStep(l, &l.x, l.hidden(), &l.back, dy)
	return l.dx.steps[t]
}

// backwardAt goes back through step t with output gradient dy and returns
// ∂L/∂x_t (see Pipeline).
func (l *GRU) backwardAt(t int, dy *mat.Dense) *mat.Dense {
	return backwardAt(l, &l.x, &l.dx, l.hidden(), t, dy)
}

// startBackward sizes the gradient buffers for the cached steps and sets
// dh to ∂L/∂h_T.
func (l *GRU) startBackward() {
	d, _ := l.Wx.Value.Dims()
	hid := l.hidden()
	steps, b := l.x.n, l.x.b
	l.dgx.resize(steps, b, 3*hid)
	l.dgh.resize(steps, b, 3*hid)
	l.dx.resize(steps, b, d)
	l.dh = Ensure(l.dh, b, hid)
	l.dhPrev = Ensure(l.dhPrev, b, hid)
	startGrad(l.dh, l.dhT)
}

// backStep goes back through step t: from dh = ∂L/∂h_t less dy = ∂L/∂y_t,
// it fills the gate gradients dGx_t and dGh_t and turns dh into
// ∂L/∂h_{t−1}.
func (l *GRU) backStep(t int, dy *mat.Dense) {
	hid := l.hidden()
	gx, gh := l.gx.steps[t], l.gh.steps[t]
	dgx, dgh := l.dgx.steps[t], l.dgh.steps[t]
	hPrev := l.hs.steps[t]
	for i := 0; i < l.x.b; i++ {
		dxr, dhr3, dpr := dgx.RawRowView(i), dgh.RawRowView(i), l.dhPrev.RawRowView(i)
		dhr := l.dh.RawRowView(i)
		if t >= l.lens[i] {
			// Padding: h was carried, so dh passes through unchanged.
			clear(dxr)
			clear(dhr3)
			copy(dpr, dhr)
			continue
		}
		x, g := gx.RawRowView(i), gh.RawRowView(i)
		rg, zg, ng, an := x[:hid], x[hid:2*hid], x[2*hid:3*hid], g[2*hid:3*hid]
		dr, dz, dn, dhn := dxr[:hid], dxr[hid:2*hid], dxr[2*hid:3*hid], dhr3[2*hid:3*hid]
		hp, dyr := hPrev.RawRowView(i), gradRow(dy, i)
		for j := range dhr {
			dh := dhr[j]
			if dyr != nil {
				dh += dyr[j]
			}
			rv, zv, nv := rg[j], zg[j], ng[j]
			dnv := dh * (1 - zv) * (1 - nv*nv)
			dn[j] = dnv
			dz[j] = dh * (hp[j] - nv) * zv * (1 - zv)
			dr[j] = dnv * an[j] * rv * (1 - rv)
			dhn[j] = dnv * rv
			dpr[j] = dh * zv // the direct path z ⊙ h_{t−1}
		}
		copy(dhr3[:2*hid], dxr[:2*hid]) // r and z see x·Wx and h·Wh alike
	}
	// While dGx_t and dGh_t are in cache: the biases' gradients
	// ∂L/∂b += Σ_rows dGx_t and ∂L/∂bhn += Σ_rows dGh_t[n], ∂L/∂x_t =
	// dGx_t·Wxᵀ and dh_{t−1} += dGh_t·Whᵀ.
	AddRowSums(l.B.Grad, dgx)
	bhn := l.Bhn.Grad.RawRowView(0)
	for i := 0; i < l.x.b; i++ {
		for j, v := range dgh.RawRowView(i)[2*hid:] {
			bhn[j] += v
		}
	}
	l.wxTP.Mul(l.dx.steps[t], dgx, l.Wx.Value, true, 0) // (B×d) = (B×3H)·(3H×d)
	l.whTP.Mul(l.dhPrev, dgh, l.Wh.Value, true, 1)      // (B×H) += (B×3H)·(3H×H)
	l.dh, l.dhPrev = l.dhPrev, l.dh
}

// endBackward sets DH0 and adds the weight gradients of all T steps at
// once.
func (l *GRU) endBackward() {
	hid := l.hidden()
	l.DH0 = Ensure(l.DH0, l.x.b, hid)
	copyInto(l.DH0, l.dh)
	gemm(true, false, 1, l.x.all, l.dgx.all, 1, l.Wx.Grad)   // (d×3H) += ((T·B)×d)ᵀ·((T·B)×3H)
	gemm(true, false, 1, l.hs.lead, l.dgh.all, 1, l.Wh.Grad) // (H×3H) += ((T·B)×H)ᵀ·((T·B)×3H)
}

// Step advances the current state by one step of input x (B×d) and returns
// the new state h (B×H). It starts from zeros after Reset, from the SetState
// state, or from the end of the last ForwardSeq. Step keeps no cache: it is
// for sampling and decoding, not training. The returned matrix is the
// layer's state; the layer never writes it again.
func (l *GRU) Step(x *mat.Dense) *mat.Dense {
	d, _ := l.Wx.Value.Dims()
	hid := l.hidden()
	MustDims(x, -1, d)
	b, _ := x.Dims()
	hPrev := l.h
	if hPrev == nil {
		hPrev = mat.NewDense(b, hid, nil)
	}
	MustDims(hPrev, b, hid)
	gx, gh := mat.NewDense(b, 3*hid, nil), mat.NewDense(b, 3*hid, nil)
	gemm(false, false, 1, x, l.Wx.Value, 0, gx) // x·Wx   (B×3H)
	addBias(gx, l.B.Value)
	gemm(false, false, 1, hPrev, l.Wh.Value, 0, gh) // h·Wh   (B×3H)
	h := mat.NewDense(b, hid, nil)
	GRUCell(gx, gh, l.Bhn.Value, hPrev, h)
	l.h = h
	return h
}

// Reset sets the state to zeros: SetState(nil, nil).
func (l *GRU) Reset() { l.SetState(nil, nil) }

// SetState sets H0 and the current state to h (B×H, nil for zeros). A GRU
// has no cell state: c is ignored.
func (l *GRU) SetState(h, c *mat.Dense) {
	if h != nil {
		MustDims(h, -1, l.hidden())
	}
	l.H0, l.h = h, h
}

// State returns a copy of the current state h and a nil c.
func (l *GRU) State() (h, c *mat.Dense) { return copyState(l.h), nil }

// SetStateGrad sets ∂L/∂h_T (B×H, nil for zero) for every following
// BackwardSeq. dc is ignored.
func (l *GRU) SetStateGrad(dh, dc *mat.Dense) { l.dhT = dh }

// StateGrad returns DH0 and a nil dc.
func (l *GRU) StateGrad() (dh, dc *mat.Dense) { return l.DH0, nil }

// Params returns Wx, Wh, b and bhn.
func (l *GRU) Params() []*Param { return []*Param{l.Wx, l.Wh, l.B, l.Bhn} }

// Replica returns a *GRU that shares l's weights, with its own caches,
// gradients and a zero state (see Replicator).
func (l *GRU) Replica() SeqLayer {
	return &GRU{Wx: l.Wx.Replica(), Wh: l.Wh.Replica(), B: l.B.Replica(), Bhn: l.Bhn.Replica()}
}

// Shared returns a *GRU with l's parameters, its own caches and a zero
// state (see Sharer).
func (l *GRU) Shared() SeqLayer { return &GRU{Wx: l.Wx, Wh: l.Wh, B: l.B, Bhn: l.Bhn} }

// QuantizeWith returns q's int8 twin of l (see Quantizer).
func (l *GRU) QuantizeWith(q Quantizer) (any, error) { return q.QuantizeGRU(l) }
