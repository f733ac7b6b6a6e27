package nn

import (
	"gonum.org/v1/gonum/mat"
)

// Bidirectional runs one sequence layer forward in time and another over
// the reversed sequence, and concatenates their outputs at each step, so
// that y_t sees the whole sequence (Schuster & Paliwal 1997, "Bidirectional
// Recurrent Neural Networks"):
//
//	→y = Fwd.ForwardSeq(x_0 … x_{T−1})
//	←y = reverse(Bwd.ForwardSeq(reverse(x)))
//	y_t = [→y_t | ←y_t]                         (B×(Hf+Hb))
//
// Each sequence is reversed within its own length: with lengths, row b's
// steps 0 … n_b−1 become n_b−1 … 0 and its padding stays at the end, so the
// backward direction starts at the row's last real step, not at padding.
// The final state of Bwd (its State after ForwardSeq) is therefore the
// state after reading each sequence back to its first step.
//
// With Concurrent set, the two directions run side by side, Fwd on a
// goroutine of its own: GNMT puts them on two GPUs (Wu et al. 2016, §3),
// the one layer of its encoder that a Pipeline cannot run step by step.
type Bidirectional struct {
	Fwd, Bwd   SeqLayer
	Concurrent bool

	lens   []int
	padded bool
	rev    stacked // T blocks B×d: the reversed inputs
	out    stacked // T blocks B×(Hf+Hb)
	dyf    stacked // T blocks B×Hf
	dyb    stacked // T blocks B×Hb, reversed
	dx     stacked // T blocks B×d
	hf, hb int
}

// NewBidirectional returns the bidirectional wrapper of fwd and bwd, which
// take inputs of the same width.
func NewBidirectional(fwd, bwd SeqLayer) *Bidirectional {
	return &Bidirectional{Fwd: fwd, Bwd: bwd}
}

// ForwardSeq returns the per-step concatenation of the two directions'
// outputs (each B×(Hf+Hb)). The returned matrices belong to the layer and are
// overwritten by the next ForwardSeq.
func (l *Bidirectional) ForwardSeq(xs []*mat.Dense, lengths []int) []*mat.Dense {
	if len(xs) == 0 {
		panic(ErrShape)
	}
	steps := len(xs)
	b, d := xs[0].Dims()
	l.lens, l.padded = seqLengths(l.lens, lengths, steps, b)

	var yf, yb []*mat.Dense
	l.both(func() { yf = l.Fwd.ForwardSeq(xs, lengths) }, func() {
		l.rev.resize(steps, b, d)
		reverseSeq(l.rev.steps, xs, l.lens)
		yb = l.Bwd.ForwardSeq(l.rev.steps, lengths)
	})

	_, l.hf = yf[0].Dims()
	_, l.hb = yb[0].Dims()
	l.out.resize(steps, b, l.hf+l.hb)
	for t, y := range l.out.steps {
		for i, n := range l.lens {
			row := y.RawRowView(i)
			if t >= n {
				clear(row)
				continue
			}
			copy(row[:l.hf], yf[t].RawRowView(i))
			copy(row[l.hf:], yb[n-1-t].RawRowView(i))
		}
	}
	return l.out.steps
}

// reverseSeq writes into dst (T blocks) the steps of src reversed within
// each row's length: dst[t] row i = src[n_i−1−t] row i for t < n_i, and zero
// past it. A nil src step reads as zero.
func reverseSeq(dst, src []*mat.Dense, lens []int) {
	for t, y := range dst {
		for i, n := range lens {
			row := y.RawRowView(i)
			if t >= n || src[n-1-t] == nil {
				clear(row)
				continue
			}
			copy(row, src[n-1-t].RawRowView(i))
		}
	}
}

// BackwardSeq splits ∂L/∂y_t between the two directions, runs their
// BackwardSeq and returns the sum of their input gradients (each B×d).
// Entries of dys may be nil (zero). The returned matrices belong to the
// layer and are overwritten by the next BackwardSeq.
func (l *Bidirectional) BackwardSeq(dys []*mat.Dense) []*mat.Dense {
	if l.out.all == nil {
		panic("nn: BackwardSeq before ForwardSeq")
	}
	steps, b := l.out.n, l.out.b
	checkGrads(dys, steps, b, l.hf+l.hb)
	l.dyf.resize(steps, b, l.hf)
	l.dyb.resize(steps, b, l.hb)
	for t := 0; t < steps; t++ {
		for i, n := range l.lens {
			f := l.dyf.steps[t].RawRowView(i)
			if t >= n || dys[t] == nil {
				clear(f)
			} else {
				copy(f, dys[t].RawRowView(i)[:l.hf])
			}
			// Step t of the backward direction is step n−1−t of the output.
			r := l.dyb.steps[t].RawRowView(i)
			if t >= n || dys[n-1-t] == nil {
				clear(r)
			} else {
				copy(r, dys[n-1-t].RawRowView(i)[l.hf:])
			}
		}
	}
	var dxf, dxb []*mat.Dense
	l.both(func() { dxf = l.Fwd.BackwardSeq(l.dyf.steps) }, func() { dxb = l.Bwd.BackwardSeq(l.dyb.steps) })

	_, d := dxf[0].Dims()
	l.dx.resize(steps, b, d)
	reverseSeq(l.dx.steps, dxb, l.lens)
	for t, dx := range l.dx.steps {
		dx.Add(dx, dxf[t])
	}
	return l.dx.steps
}

// both runs fwd and bwd, the two directions' work, one after the other, or
// side by side when Concurrent.
func (l *Bidirectional) both(fwd, bwd func()) {
	if l.Concurrent {
		inParallel(fwd, bwd)
		return
	}
	fwd()
	bwd()
}

// Params returns the parameters of Fwd, then those of Bwd.
func (l *Bidirectional) Params() []*Param {
	return append(append([]*Param(nil), l.Fwd.Params()...), l.Bwd.Params()...)
}

// Replica returns a *Bidirectional of replicas of Fwd and Bwd: shared
// weights, own caches and gradients (see Replicator).
func (l *Bidirectional) Replica() SeqLayer {
	return &Bidirectional{Fwd: ReplicaOf(l.Fwd), Bwd: ReplicaOf(l.Bwd), Concurrent: l.Concurrent}
}

// Shared returns a *Bidirectional of shared copies of Fwd and Bwd (see
// Sharer).
func (l *Bidirectional) Shared() SeqLayer {
	return &Bidirectional{Fwd: SharedOf(l.Fwd), Bwd: SharedOf(l.Bwd), Concurrent: l.Concurrent}
}

// Sublayers returns Fwd and Bwd, named "fwd" and "bwd" (see Container).
func (l *Bidirectional) Sublayers() (names []string, layers []SeqLayer) {
	return []string{"fwd", "bwd"}, []SeqLayer{l.Fwd, l.Bwd}
}

// QuantizeWith returns q's int8 twin of l (see Quantizer).
func (l *Bidirectional) QuantizeWith(q Quantizer) (any, error) { return q.QuantizeBidirectional(l) }
