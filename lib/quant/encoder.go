package quant

import (
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// Bidirectional is nn.Bidirectional over quantized layers: Fwd reads the
// sequence forward, Bwd each row's sequence reversed within its length,
// and the outputs are concatenated per step,
//
//	y_t = [→y_t | ←y_{n_b−1−t}]            (B×(Hf+Hb)), zero for t ≥ n_b
//
// so that, as in lib/nn, the backward direction starts at the row's last
// real step, not at padding.
type Bidirectional struct {
	Fwd, Bwd SeqLayer
}

// ForwardSeq returns the per-step concatenation of the two directions'
// outputs (T new matrices B×(Hf+Hb)).
func (l *Bidirectional) ForwardSeq(xs []*mat.Dense, lengths []int) []*mat.Dense {
	steps, b, lens := seqShape(xs, -1, lengths)
	_, d := xs[0].Dims()
	rev := nn.SplitSteps(mat.NewDense(steps*b, d, nil), steps, b)
	for t, y := range rev { // row i of step t is row i of step n_i−1−t; zero past n_i
		for i, n := range lens {
			if t < n {
				copy(y.RawRowView(i), xs[n-1-t].RawRowView(i))
			}
		}
	}
	yf := l.Fwd.ForwardSeq(xs, lengths)
	yb := l.Bwd.ForwardSeq(rev, lengths)
	_, hf := yf[0].Dims()
	_, hb := yb[0].Dims()
	out := nn.SplitSteps(mat.NewDense(steps*b, hf+hb, nil), steps, b)
	for t, y := range out {
		for i, n := range lens {
			if t < n {
				row := y.RawRowView(i)
				copy(row[:hf], yf[t].RawRowView(i))
				copy(row[hf:], yb[n-1-t].RawRowView(i))
			}
		}
	}
	return out
}

// Stack is nn.Stack over quantized layers: the outputs of layer k are the
// inputs of layer k+1, and with Residual = r > 0 every layer k ≥ r adds its
// input to its output (padded rows stay zero), clipped to [−Clip, Clip]
// when Clip > 0 (quantization-aware training's bound, see nn.Stack):
//
//	y^{k+1} = Layers[k](y^k) + y^k        (k ≥ r)
type Stack struct {
	Layers   []SeqLayer
	Residual int
	Clip     float64
}

// ForwardSeq runs every layer in turn and returns the top layer's outputs
// (T new matrices).
func (s *Stack) ForwardSeq(xs []*mat.Dense, lengths []int) []*mat.Dense {
	_, _, lens := seqShape(xs, -1, lengths)
	in := xs
	for k, l := range s.Layers {
		out := l.ForwardSeq(in, lengths)
		if s.Residual > 0 && k >= s.Residual {
			for t, y := range out {
				ro, co := y.Dims()
				nn.MustDims(in[t], ro, co)
				y.Add(y, in[t]) // out is this layer's own, new
				if s.Clip > 0 {
					nn.Clip(y, s.Clip)
				}
				for i, n := range lens {
					if t >= n {
						clear(y.RawRowView(i))
					}
				}
			}
		}
		in = out
	}
	return in
}
