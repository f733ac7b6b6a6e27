package nn

import (
	"strconv"

	"gonum.org/v1/gonum/mat"
)

// Stack is a multi-layer stack of sequence layers: the outputs of layer k
// are the inputs of layer k+1, and BackwardSeq runs the layers in reverse.
//
//	y^0 = xs,   y^{k+1} = Layers[k].ForwardSeq(y^k)
//
// With Residual = r > 0, every layer k ≥ r also adds its input to its output
// (He et al. 2016), which lets deep stacks train:
//
//	y^{k+1} = Layers[k].ForwardSeq(y^k) + y^k         (k ≥ r; same widths)
//	∂L/∂y^k = Layers[k].BackwardSeq(∂L/∂y^{k+1}) + ∂L/∂y^{k+1}
//
// GNMT uses r = 2: residual connections from the third layer up (Wu et al.
// 2016, "Google's Neural Machine Translation System", §3.1). Padded rows of
// a residual sum stay zero, as every SeqLayer's output does.
//
// With Clip = δ > 0, each residual sum is clipped to [−δ, δ] and no
// gradient flows through a clipped element: GNMT's quantization-aware
// training bounds the accumulators that way, so that int8 inference sees
// the ranges training saw (Wu et al. 2016, §6).
//
// The layers' own states are reached through Layers: a seq2seq model that
// hands the encoder's states to the decoder does so layer by layer, with
// each layer a Recurrent.
type Stack struct {
	Layers   []SeqLayer
	Residual int     // first layer index with a residual connection; 0 means none
	Clip     float64 // bound of the residual sums; 0 means none

	lens   []int
	padded bool
	sums   []stacked // sums[k]: the output of layer k ≥ Residual
	dsums  []stacked // dsums[k]: the input gradient of layer k ≥ Residual
}

// NewStack returns the stack of layers, bottom first.
func NewStack(layers ...SeqLayer) *Stack { return &Stack{Layers: layers} }

func (s *Stack) residual(k int) bool { return s.Residual > 0 && k >= s.Residual }

// ForwardSeq runs every layer in turn and returns the top layer's outputs.
// The returned matrices belong to the stack or its top layer and are
// overwritten by the next ForwardSeq.
func (s *Stack) ForwardSeq(xs []*mat.Dense, lengths []int) []*mat.Dense {
	s.begin(xs, lengths)
	in := xs
	for k, l := range s.Layers {
		out := l.ForwardSeq(in, lengths)
		if s.residual(k) {
			for t := range out {
				s.residualAt(&s.sums[k], len(out), t, out[t], in[t], s.Clip > 0)
			}
			out = s.sums[k].steps
		}
		in = out
	}
	return in
}

// begin checks the lengths of a sequence batch xs and sizes the residual
// buffers: the start of a forward pass, the stack's or a Pipeline's.
func (s *Stack) begin(xs []*mat.Dense, lengths []int) {
	if len(xs) == 0 {
		panic(ErrShape)
	}
	b, _ := xs[0].Dims()
	s.lens, s.padded = seqLengths(s.lens, lengths, len(xs), b)
	if n := len(s.Layers); len(s.sums) != n {
		s.sums, s.dsums = make([]stacked, n), make([]stacked, n)
	}
}

// residualAt sets step t of sum (T blocks the shape of a) to a + b (a nil
// b is zero) with padded rows zeroed and, with clip, clipped to ±Clip, and
// returns it: one step of a residual connection, forward or backward.
func (s *Stack) residualAt(sum *stacked, steps, t int, a, b *mat.Dense, clip bool) *mat.Dense {
	rows, w := a.Dims()
	sum.resize(steps, rows, w)
	y := sum.steps[t]
	if b == nil {
		copyInto(y, a)
	} else {
		MustDims(b, rows, w)
		y.Add(a, b)
	}
	if s.padded {
		for i, n := range s.lens {
			if t >= n {
				zeroRow(y, i)
			}
		}
	}
	if clip {
		Clip(y, s.Clip)
	}
	return y
}

// BackwardSeq runs every layer's BackwardSeq from the top down and returns
// ∂L/∂xs. Entries of dys may be nil (zero).
func (s *Stack) BackwardSeq(dys []*mat.Dense) []*mat.Dense {
	d := dys
	for k := len(s.Layers) - 1; k >= 0; k-- {
		if s.residual(k) && s.Clip > 0 {
			clipped := make([]*mat.Dense, len(d))
			for t, g := range d {
				clipped[t] = s.clippedGradAt(k, t, g)
			}
			d = clipped
		}
		dx := s.Layers[k].BackwardSeq(d)
		if s.residual(k) {
			for t := range dx {
				s.residualAt(&s.dsums[k], len(dx), t, dx[t], d[t], false)
			}
			dx = s.dsums[k].steps
		}
		d = dx
	}
	return d
}

// clippedGradAt returns a copy of the gradient g of layer k's residual sum
// at step t with zeros where the clipped sum sits at the bound: no gradient
// through a clip. A nil g (zero) stays nil.
func (s *Stack) clippedGradAt(k, t int, g *mat.Dense) *mat.Dense {
	if g == nil {
		return nil
	}
	c := mat.DenseCopyOf(g)
	ClipGrad(c, s.sums[k].steps[t], s.Clip)
	return c
}

// Params returns the parameters of every layer, bottom first.
func (s *Stack) Params() []*Param {
	var ps []*Param
	for _, l := range s.Layers {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// Replica returns a *Stack of replicas of s's layers, with s's Residual
// and Clip: shared weights, own caches and gradients (see Replicator).
func (s *Stack) Replica() SeqLayer { return s.copyWith(ReplicaOf) }

// Shared returns a *Stack of shared copies of s's layers, with s's
// Residual and Clip (see Sharer).
func (s *Stack) Shared() SeqLayer { return s.copyWith(SharedOf) }

// copyWith returns a Stack with s's settings over copy(l) of each layer l.
func (s *Stack) copyWith(copy func(SeqLayer) SeqLayer) *Stack {
	r := &Stack{Layers: make([]SeqLayer, len(s.Layers)), Residual: s.Residual, Clip: s.Clip}
	for k, l := range s.Layers {
		r.Layers[k] = copy(l)
	}
	return r
}

// Sublayers returns the layers, named by their index (see Container).
func (s *Stack) Sublayers() (names []string, layers []SeqLayer) {
	names = make([]string, len(s.Layers))
	for k := range names {
		names[k] = strconv.Itoa(k)
	}
	return names, s.Layers
}

// SetClip sets Clip, the bound of the residual sums (see Clipper); the
// layers' own bounds are theirs (nn.SetClip sets them all).
func (s *Stack) SetClip(delta float64) { s.Clip = delta }

// QuantizeWith returns q's int8 twin of s (see Quantizer).
func (s *Stack) QuantizeWith(q Quantizer) (any, error) { return q.QuantizeStack(s) }
