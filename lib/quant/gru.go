package quant

import (
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// GRU is an nn.GRU whose two products run in int8:
//
//	Gx = x̂_t·Ŵx + b,   Gh = ĥ_{t−1}·Ŵh            (B×3H each), gate blocks [r | z | n]
//	r = σ(Gx_r + Gh_r),   z = σ(Gx_z + Gh_z)
//	n = tanh(Gx_n + r ⊙ (Gh_n + bhn))
//	h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
//
// with the gates, the biases and the state update in float64, exactly as
// in nn.GRU (PyTorch's variant, where r multiplies the recurrent product).
type GRU struct {
	Wx, Wh *Matrix   // d×3H, H×3H
	B, Bhn []float64 // 1×3H and 1×H, float64
}

// NewGRU quantizes l's weights (a snapshot).
func NewGRU(l *nn.GRU) *GRU {
	return &GRU{Wx: NewMatrix(l.Wx.Value), Wh: NewMatrix(l.Wh.Value),
		B: append([]float64(nil), l.B.Value.RawRowView(0)...), Bhn: append([]float64(nil), l.Bhn.Value.RawRowView(0)...)}
}

// Step returns the state h after one step of input x (B×d) from the state
// h (B×H; nil means zeros), and a nil c: a GRU has no cell. It writes
// neither.
func (l *GRU) Step(x, h, c *mat.Dense) (hNext, cNext *mat.Dense) {
	b, _ := x.Dims()
	hid := len(l.Bhn)
	gx, bx := getDense(b, 3*hid)
	gh, bh := getDense(b, 3*hid)
	defer floatPool.Put(bx)
	defer floatPool.Put(bh)
	l.Wx.MulTo(gx, x, l.B) // x̂·Ŵx + b   (B×3H)
	if h != nil {
		l.Wh.MulTo(gh, h, nil) // ĥ·Ŵh   (B×3H)
	} else {
		gh.Zero()
	}
	hNext = mat.NewDense(b, hid, nil)
	nn.GRUCell(gx, gh, mat.NewDense(1, hid, l.Bhn), h, hNext)
	return hNext, nil
}

// ForwardSeq runs the layer over T steps xs (each B×d) from a zero state
// and returns the T outputs h_t (each B×H, new). Rows past their length
// (lengths; nil means T) keep their state and output zeros, as in nn.GRU.
// The input products of all T steps are one int8 product.
func (l *GRU) ForwardSeq(xs []*mat.Dense, lengths []int) []*mat.Dense {
	steps, b, lens := seqShape(xs, l.Wx.Rows, lengths)
	hid := len(l.Bhn)
	gxs := nn.SplitSteps(l.Wx.MulTo(nil, stackSteps(xs), l.B), steps, b) // ((T·B)×3H) = ((T·B)×d)·(d×3H) + b
	gh := mat.NewDense(b, 3*hid, nil)                                    // h_0·Wh = 0
	bhn := mat.NewDense(1, hid, l.Bhn)
	return runSeq(steps, b, hid, lens, false, func(t int, hPrev, _, h, _ *mat.Dense) {
		if t > 0 {
			l.Wh.MulTo(gh, hPrev, nil) // ĥ_{t−1}·Ŵh   (B×3H)
		}
		nn.GRUCell(gxs[t], gh, bhn, hPrev, h)
	})
}
