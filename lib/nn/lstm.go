package nn

import (
	"math/rand/v2"

	seqblas "github.com/seq2go/seq2go/lib/blas"
	"gonum.org/v1/gonum/mat"
)

// LSTM is a long short-term memory layer over a sequence batch of T steps
// x_t (B×d) to T outputs h_t (B×H):
//
//	i_t = σ(x_t·Wxi + h_{t−1}·Whi + bi)          input gate     (B×H)
//	f_t = σ(x_t·Wxf + h_{t−1}·Whf + bf)          forget gate
//	g_t = tanh(x_t·Wxg + h_{t−1}·Whg + bg)       candidate cell
//	o_t = σ(x_t·Wxo + h_{t−1}·Who + bo)          output gate
//	c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t
//	h_t = o_t ⊙ tanh(c_t)
//
// The four gates' weights are packed side by side, column blocks [i | f | g | o]
// (PyTorch's order, so its weight_ih_l0ᵀ, weight_hh_l0ᵀ and b_ih + b_hh load
// directly): Wx is d×4H, Wh is H×4H and b is 1×4H, and the pre-activations
// of all four gates are one product per input:
//
//	G_t = x_t·Wx + h_{t−1}·Wh + b                 (B×4H)
//
// ForwardSeq caches the gates, c_t and tanh(c_t) of every step.
// BackwardSeq runs backpropagation through time over that cache; given
// dh_t = ∂L/∂y_t + (gradient from step t+1) and dc_t from step t+1:
//
//	dc    = dc_t + dh_t ⊙ o_t ⊙ (1 − tanh²(c_t))
//	dG_o  = dh_t ⊙ tanh(c_t) ⊙ o_t ⊙ (1 − o_t)
//	dG_i  = dc ⊙ g_t ⊙ i_t ⊙ (1 − i_t)
//	dG_f  = dc ⊙ c_{t−1} ⊙ f_t ⊙ (1 − f_t)
//	dG_g  = dc ⊙ i_t ⊙ (1 − g_t²)
//	dc_{t−1} = dc ⊙ f_t,    dh_{t−1} = dG_t·Whᵀ,    ∂L/∂x_t = dG_t·Wxᵀ,    ∂L/∂b += Σ_rows dG_t
//
// and then, for all T steps at once, with X, H_prev and dG the (T·B)-row
// stacks of x_t, h_{t−1} and dG_t:
//
//	∂L/∂Wx += Xᵀ·dG,   ∂L/∂Wh += H_prevᵀ·dG
//
// so the time goes to matrix products, not Go loops. What belongs to one
// step is done while that step's blocks are in cache (the gates of a step
// are B×4H, 256 KiB at B = 32, H = 256; all T steps' are 100 times that);
// a weight gradient is one product over all steps, with T·B = 3,200 rows
// to sum over. The layer reuses its buffers from call to call while T, B
// and d stay the same.
//
// References: Hochreiter & Schmidhuber (1997), "Long Short-Term Memory";
// the forget gate from Gers, Schmidhuber & Cummins (2000), "Learning to
// Forget: Continual Prediction with LSTM".
type LSTM struct {
	Wx, Wh, B *Param
	// CellClip, when > 0, clips the cell state c_t to [−CellClip, CellClip]
	// (no gradient flows through a clipped element): GNMT's
	// quantization-aware training bounds the cell so (Wu et al. 2016, §6).
	CellClip float64

	// H0 and C0 are the initial state (B×H each) of ForwardSeq; nil means
	// zeros. SetState sets them.
	H0, C0 *mat.Dense
	// DH0 and DC0 are ∂L/∂H0 and ∂L/∂C0 after BackwardSeq. They belong to
	// the layer and are overwritten by the next BackwardSeq.
	DH0, DC0 *mat.Dense

	h, c     *mat.Dense // the current state: State reads it, Step advances it
	dhT, dcT *mat.Dense // ∂L/∂h_T and ∂L/∂c_T, set by SetStateGrad

	seqCache
	gates  stacked // T blocks B×4H: pre-activations, then activations [i f g o]
	cs     stacked // T+1 blocks B×H: c_0 … c_T
	tc     stacked // T blocks B×H: tanh(c_t)
	dgates stacked // T blocks B×4H: ∂L/∂G_t
	dx     stacked
	dh     *mat.Dense // dh_t, then swapped with dhPrev each step
	dhPrev *mat.Dense
	dc     *mat.Dense      // dc_t, updated in place to dc_{t−1}
	dgP    seqblas.PackedB // dG, packed for the weight gradients
}

// NewLSTM returns an in→hidden LSTM layer. Each gate's d×H block of Wx and
// H×H block of Wh is Xavier initialised (for Wh, U(−√(3/H), √(3/H)), which
// keeps the scale of h·Wh equal to that of h; see NewRNN). The bias is zero
// except the forget gate's, which is 1 so that the cell remembers by default
// at the start of training (Gers et al. 2000; Jozefowicz, Zaremba &
// Sutskever 2015, "An Empirical Exploration of Recurrent Network
// Architectures").
func NewLSTM(rng *rand.Rand, in, hidden int) *LSTM {
	l := &LSTM{
		Wx: NewParam("Wx", in, 4*hidden),
		Wh: NewParam("Wh", hidden, 4*hidden),
		B:  NewParam("b", 1, 4*hidden),
	}
	initGates(rng, l.Wx.Value, 4)
	initGates(rng, l.Wh.Value, 4)
	f := l.B.Value.RawRowView(0)[hidden : 2*hidden]
	for j := range f {
		f[j] = 1
	}
	return l
}

// initGates Xavier-initialises each of the n column blocks of m on its own,
// so that a packed gate matrix gets the scale of n separate ones.
func initGates(rng *rand.Rand, m *mat.Dense, n int) {
	r, c := m.Dims()
	w := c / n
	for k := 0; k < n; k++ {
		InitXavier(rng, m.Slice(0, r, k*w, (k+1)*w).(*mat.Dense))
	}
}

// hidden returns H.
func (l *LSTM) hidden() int { _, h := l.Wh.Value.Dims(); return h / 4 }

// ForwardSeq runs the layer over T steps xs (each B×d) from the initial
// state (H0, C0) and returns the T outputs h_t (each B×H). With lengths,
// rows past their length keep their state and output zeros. The returned
// matrices belong to the layer and are overwritten by the next ForwardSeq;
// the caller may modify them. ForwardSeq sets the current state to the
// final one.
func (l *LSTM) ForwardSeq(xs []*mat.Dense, lengths []int) []*mat.Dense {
	return forwardSeq(l, &l.seqCache, xs, lengths)
}

// beginSeq readies the cache for a sequence of T steps of B rows with
// lengths (nil: all T long) and sets the initial state (H0, C0): the start
// of ForwardSeq, and of a Pipeline's step-by-step run.
func (l *LSTM) beginSeq(steps, b int, lengths []int) {
	d, _ := l.Wx.Value.Dims()
	hid := l.hidden()
	l.begin(steps, b, d, hid, lengths, l.H0)
	l.gates.resize(steps, b, 4*hid)
	l.cs.resize(steps+1, b, hid)
	l.tc.resize(steps, b, hid)
	setInitial(l.cs.steps[0], l.C0)
}

// forwardAt runs step t (after steps 0 … t−1) on its input x (B×d) and
// returns its output y_t (B×H, padded rows zero), which belongs to the
// layer as ForwardSeq's outputs do.
func (l *LSTM) forwardAt(t int, x *mat.Dense) *mat.Dense {
	l.input(t, x)
	l.forward(t)
	return l.output(t)
}

// endSeq sets the current state to the last step's and readies
// BackwardStep: the end of ForwardSeq and of ForwardStep.
func (l *LSTM) endSeq() {
	l.h, l.c = l.hs.steps[l.x.n], l.cs.steps[l.x.n]
	l.back = 0
}

// ForwardStep runs one step more, of input x (B×d), after the T steps of the
// last ForwardSeq and the ForwardStep calls since, and returns its output
// h_{T+1} (B×H), keeping the step in the cache: see GRU.ForwardStep.
func (l *LSTM) ForwardStep(x *mat.Dense) *mat.Dense {
	t := l.extend(x, &l.gates, &l.cs, &l.tc)
	y := l.forwardAt(t, x)
	l.endSeq()
	return y
}

// forward runs step t of the cache, whose input x_t is in place: the gate
// pre-activations and the cell. The step's blocks stay in cache from the
// bias to the cell; one product over all T steps' inputs at once would
// write the (T·B)×4H gates to memory and read them back twice more (in
// BenchmarkCharLSTM with float32 products, 3–7 % of the training time).
func (l *LSTM) forward(t int) {
	g := l.gates.steps[t]
	fillRows(g, l.B.Value)
	l.wxP.Mul(g, l.x.steps[t], l.Wx.Value, false, 1)  // G_t = b + x_t·Wx   (B×4H)
	l.whP.Mul(g, l.hs.steps[t], l.Wh.Value, false, 1) // G_t += h_{t−1}·Wh
	LSTMCell(g, l.cs.steps[t], l.cs.steps[t+1], l.tc.steps[t], l.hs.steps[t+1], l.CellClip)
	if l.padded {
		carryPadded(l.hs.steps[t+1], l.hs.steps[t], l.lens, t)
		carryPadded(l.cs.steps[t+1], l.cs.steps[t], l.lens, t)
	}
}

// LSTMCell is the element-wise part of one LSTM step, shared with the int8
// layers of lib/quant. It replaces the gate pre-activations in gates (B×4H)
// by the gates i, f, g, o, and writes
//
//	c = clip(f⊙cPrev + i⊙g),   tc = tanh(c),   h = o⊙tc      (each B×H)
//
// where clip bounds c to [−clip, clip] when clip > 0 (see CellClip). A nil
// cPrev is zeros; a nil tc keeps no copy of tanh(c). The activations run
// over whole gate blocks of a row (i and f are adjacent, so one σ call
// covers both) through lib/blas's vectorised SigmoidTo and TanhTo, which
// agree with math.Exp and math.Tanh to about 2 ulp.
func LSTMCell(gates, cPrev, c, tc, h *mat.Dense, clip float64) {
	r, hid := c.Dims()
	for b := 0; b < r; b++ {
		g := gates.RawRowView(b)
		ifg, gg, og := g[:2*hid], g[2*hid:3*hid], g[3*hid:4*hid]
		seqblas.SigmoidTo(ifg, ifg)
		seqblas.TanhTo(gg, gg)
		seqblas.SigmoidTo(og, og)
		ig, fg := ifg[:hid], ifg[hid:]
		cr, hr := c.RawRowView(b), h.RawRowView(b)
		hr = hr[:len(cr)]
		if cPrev == nil {
			for j := range cr {
				cr[j] = ig[j] * gg[j]
			}
		} else {
			cp := cPrev.RawRowView(b)[:len(cr)]
			for j := range cr {
				cr[j] = fg[j]*cp[j] + ig[j]*gg[j]
			}
		}
		if clip > 0 {
			seqblas.ClampTo(cr, cr, -clip, clip)
		}
		tcr := hr
		if tc != nil {
			tcr = tc.RawRowView(b)[:len(cr)]
		}
		seqblas.TanhTo(tcr, cr)
		for j := range hr {
			hr[j] = og[j] * tcr[j]
		}
	}
}

// BackwardSeq takes ∂L/∂y_t for the T outputs of the last ForwardSeq (each
// B×H, or nil for zero), adds the gradients of Wx, Wh and b into their Grad,
// sets DH0 and DC0, and returns ∂L/∂x_t (each B×d). The returned matrices
// belong to the layer and are overwritten by the next BackwardSeq.
func (l *LSTM) BackwardSeq(dys []*mat.Dense) []*mat.Dense {
	backwardSeq(l, &l.x, l.hidden(), dys)
	return l.dx.steps
}

// BackwardStep takes ∂L/∂y_t (B×H, or nil for zero) for the latest step t
// not yet gone back through and returns ∂L/∂x_t (B×d): BackwardSeq one step
// at a time, as GRU.BackwardStep; at step 0 it adds the weight gradients of
// all steps and sets DH0 and DC0.
func (l *LSTM) BackwardStep(dy *mat.Dense) *mat.Dense {
	t := backwardStep(l, &l.x, l.hidden(), &l.back, dy)
	return l.dx.steps[t]
}

// backwardAt goes back through step t with output gradient dy and returns
// ∂L/∂x_t (see Pipeline).
func (l *LSTM) backwardAt(t int, dy *mat.Dense) *mat.Dense {
	return backwardAt(l, &l.x, &l.dx, l.hidden(), t, dy)
}

// startBackward sizes the gradient buffers for the cached steps and sets
// dh and dc to ∂L/∂h_T and ∂L/∂c_T.
func (l *LSTM) startBackward() {
	d, _ := l.Wx.Value.Dims()
	hid := l.hidden()
	steps, b := l.x.n, l.x.b
	l.dgates.resize(steps, b, 4*hid)
	l.dx.resize(steps, b, d)
	l.dh = Ensure(l.dh, b, hid)
	l.dhPrev = Ensure(l.dhPrev, b, hid)
	l.dc = Ensure(l.dc, b, hid)
	startGrad(l.dh, l.dhT)
	startGrad(l.dc, l.dcT)
}

// backStep goes back through step t: from dh = ∂L/∂h_t less dy = ∂L/∂y_t
// and dc = ∂L/∂c_t, it fills dG_t and turns dh and dc into ∂L/∂h_{t−1} and
// ∂L/∂c_{t−1}.
func (l *LSTM) backStep(t int, dy *mat.Dense) {
	hid := l.hidden()
	g, dg := l.gates.steps[t], l.dgates.steps[t]
	cPrev, tc := l.cs.steps[t], l.tc.steps[t]
	for i := 0; i < l.x.b; i++ {
		dgr := dg.RawRowView(i)
		if t >= l.lens[i] {
			// Padding: h and c were carried, so dh and dc pass
			// through unchanged and no gate gets a gradient.
			clear(dgr)
			continue
		}
		dhr := l.dh.RawRowView(i)[:hid]
		if dyr := gradRow(dy, i); dyr != nil {
			// dh_t = ∂L/∂y_t + (gradient from step t+1), in place:
			// this row of l.dh is not read again.
			for j, v := range dyr[:hid] {
				dhr[j] += v
			}
		}
		lstmCellGrad(g.RawRowView(i), dgr, cPrev.RawRowView(i), tc.RawRowView(i),
			l.cs.steps[t+1].RawRowView(i), dhr, l.dc.RawRowView(i), l.CellClip)
	}
	// While dG_t is in cache: ∂L/∂b += Σ_rows dG_t, ∂L/∂x_t = dG_t·Wxᵀ
	// and dh_{t−1} = dG_t·Whᵀ.
	AddRowSums(l.B.Grad, dg)
	l.wxTP.Mul(l.dx.steps[t], dg, l.Wx.Value, true, 0) // (B×d) = (B×4H)·(4H×d)
	l.whTP.Mul(l.dhPrev, dg, l.Wh.Value, true, 0)      // (B×H) = (B×4H)·(4H×H)
	if l.padded {
		carryPadded(l.dhPrev, l.dh, l.lens, t)
	}
	l.dh, l.dhPrev = l.dhPrev, l.dh
}

// lstmCellGrad is the element-wise part of backStep for one row: from the
// gates gr = [i f g o] (4H), c_{t−1}, tanh(c_t), c_t, dh_t and dc_t (H each)
// it writes the gate gradients dgr = [dG_i dG_f dG_g dG_o] (4H) and turns dc
// into dc_{t−1}, by the formulas of the LSTM doc comment; with clip > 0 no
// gradient flows through a clipped cell. With AVX2 the elements go four at
// a time (cell_amd64.s), bit for bit the Go loop, which does the rest.
func lstmCellGrad(gr, dgr, cp, tc, c, dh, dc []float64, clip float64) {
	hid := len(dh)
	k := 0
	if useCellAVX2 && hid >= 4 {
		k = hid &^ 3
		_ = gr[4*hid-1]
		_ = dgr[4*hid-1]
		_, _, _ = cp[hid-1], tc[hid-1], c[hid-1]
		_ = dc[hid-1]
		lstmCellGradAVX2(&gr[0], &dgr[0], &cp[0], &tc[0], &c[0], &dh[0], &dc[0], hid, k, clip)
	}
	lstmCellGradGo(gr, dgr, cp, tc, c, dh, dc, k, clip)
}

// lstmCellGradGo is lstmCellGrad in Go, from element k of each block on.
func lstmCellGradGo(gr, dgr, cp, tc, c, dh, dc []float64, k int, clip float64) {
	hid := len(dh)
	// Every slice is cut to length H so that the compiler drops the
	// bounds checks of the loop.
	ig, fg, gg, og := gr[:hid], gr[hid:2*hid], gr[2*hid:3*hid], gr[3*hid:4*hid]
	di, df, dgg, do := dgr[:hid], dgr[hid:2*hid], dgr[2*hid:3*hid], dgr[3*hid:4*hid]
	cp, tc, c, dc = cp[:hid], tc[:hid], c[:hid], dc[:hid]
	for j := k; j < hid; j++ {
		dhj := dh[j]
		iv, fv, gv, ov, tv := ig[j], fg[j], gg[j], og[j], tc[j]
		dcj := dc[j] + dhj*ov*(1-tv*tv)
		if clip > 0 && (c[j] >= clip || c[j] <= -clip) {
			dcj = 0 // no gradient through the clip
		}
		do[j] = dhj * tv * ov * (1 - ov)
		di[j] = dcj * gv * iv * (1 - iv)
		df[j] = dcj * cp[j] * fv * (1 - fv)
		dgg[j] = dcj * iv * (1 - gv*gv)
		dc[j] = dcj * fv // dc_{t−1}
	}
}

// endBackward sets DH0 and DC0 and adds the weight gradients of all T steps
// at once.
func (l *LSTM) endBackward() {
	hid := l.hidden()
	l.DH0 = Ensure(l.DH0, l.x.b, hid)
	l.DC0 = Ensure(l.DC0, l.x.b, hid)
	copyInto(l.DH0, l.dh)
	copyInto(l.DC0, l.dc)
	// Both weight gradients multiply by dG: pack it once for the two
	// products (under float32 products, one conversion of the (T·B)×4H
	// stack instead of two).
	dg, x, h := l.dgates.all.RawMatrix(), l.x.all.RawMatrix(), l.hs.lead.RawMatrix()
	wx, wh := l.Wx.Grad.RawMatrix(), l.Wh.Grad.RawMatrix()
	l.dgP.Pack(false, dg.Rows, dg.Cols, dg.Data, dg.Stride)
	seqblas.GemmPacked(true, x.Cols, 1, x.Data, x.Stride, &l.dgP, 1, wx.Data, wx.Stride) // (d×4H) += ((T·B)×d)ᵀ·((T·B)×4H)
	seqblas.GemmPacked(true, h.Cols, 1, h.Data, h.Stride, &l.dgP, 1, wh.Data, wh.Stride) // (H×4H) += ((T·B)×H)ᵀ·((T·B)×4H)
}

// Step advances the current state (h, c) by one step of input x (B×d) and
// returns the new h (B×H). It starts from zeros after Reset, from the
// SetState state, or from the end of the last ForwardSeq. Step keeps no
// cache: it is for sampling and decoding, not training. The returned matrix
// is the layer's state; the layer never writes it again.
func (l *LSTM) Step(x *mat.Dense) *mat.Dense {
	d, _ := l.Wx.Value.Dims()
	hid := l.hidden()
	MustDims(x, -1, d)
	b, _ := x.Dims()
	g := mat.NewDense(b, 4*hid, nil)
	gemm(false, false, 1, x, l.Wx.Value, 0, g) // x·Wx   (B×4H)
	if l.h != nil {
		MustDims(l.h, b, hid)
		gemm(false, false, 1, l.h, l.Wh.Value, 1, g) // + h·Wh
	}
	addBias(g, l.B.Value)
	cPrev := l.c
	if cPrev == nil {
		cPrev = mat.NewDense(b, hid, nil)
	}
	MustDims(cPrev, b, hid)
	h, c, tc := mat.NewDense(b, hid, nil), mat.NewDense(b, hid, nil), mat.NewDense(b, hid, nil)
	LSTMCell(g, cPrev, c, tc, h, l.CellClip)
	l.h, l.c = h, c
	return h
}

// Reset sets the state to zeros: SetState(nil, nil).
func (l *LSTM) Reset() { l.SetState(nil, nil) }

// SetState sets (H0, C0) and the current state to (h, c), each B×H or nil
// for zeros.
func (l *LSTM) SetState(h, c *mat.Dense) {
	hid := l.hidden()
	if h != nil {
		MustDims(h, -1, hid)
	}
	if c != nil {
		MustDims(c, -1, hid)
	}
	l.H0, l.C0, l.h, l.c = h, c, h, c
}

// State returns copies of the current state h and c.
func (l *LSTM) State() (h, c *mat.Dense) { return copyState(l.h), copyState(l.c) }

// SetStateGrad sets ∂L/∂h_T and ∂L/∂c_T (B×H each, nil for zero) for every
// following BackwardSeq.
func (l *LSTM) SetStateGrad(dh, dc *mat.Dense) { l.dhT, l.dcT = dh, dc }

// StateGrad returns DH0 and DC0.
func (l *LSTM) StateGrad() (dh, dc *mat.Dense) { return l.DH0, l.DC0 }

// Params returns Wx, Wh and b.
func (l *LSTM) Params() []*Param { return []*Param{l.Wx, l.Wh, l.B} }

// Replica returns an *LSTM that shares l's weights and CellClip, with its
// own caches, gradients and a zero state (see Replicator).
func (l *LSTM) Replica() SeqLayer {
	return &LSTM{Wx: l.Wx.Replica(), Wh: l.Wh.Replica(), B: l.B.Replica(), CellClip: l.CellClip}
}

// Shared returns an *LSTM with l's parameters and CellClip, its own caches
// and a zero state (see Sharer).
func (l *LSTM) Shared() SeqLayer { return &LSTM{Wx: l.Wx, Wh: l.Wh, B: l.B, CellClip: l.CellClip} }

// SetClip sets CellClip (see Clipper).
func (l *LSTM) SetClip(delta float64) { l.CellClip = delta }

// QuantizeWith returns q's int8 twin of l (see Quantizer).
func (l *LSTM) QuantizeWith(q Quantizer) (any, error) { return q.QuantizeLSTM(l) }
