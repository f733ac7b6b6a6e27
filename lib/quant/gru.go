package quant

import (
	"github.com/seq2go/seq2go/lib/blas"
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
	gruGates(gx, gh, l.Bhn, h, hNext)
	return hNext, nil
}

// ForwardSeq runs the layer over T steps xs (each B×d) from a zero state
// and returns the T outputs h_t (each B×H, new). Rows past their length
// (lengths; nil means T) keep their state and output zeros, as in nn.GRU.
// The input products of all T steps are one int8 product.
func (l *GRU) ForwardSeq(xs []*mat.Dense, lengths []int) []*mat.Dense {
	steps, b, lens := seqShape(xs, l.Wx.Rows, lengths)
	hid := len(l.Bhn)
	gxs := splitSteps(l.Wx.MulTo(nil, stackSteps(xs), l.B), steps, b) // ((T·B)×3H) = ((T·B)×d)·(d×3H) + b
	gh := mat.NewDense(b, 3*hid, nil)                                 // h_0·Wh = 0
	return runSeq(steps, b, hid, lens, false, func(t int, hPrev, _, h, _ *mat.Dense) {
		if t > 0 {
			l.Wh.MulTo(gh, hPrev, nil) // ĥ_{t−1}·Ŵh   (B×3H)
		}
		gruGates(gxs[t], gh, l.Bhn, hPrev, h)
	})
}

// gruGates is the element-wise part of a GRU step: gx (B×3H) holds
// x·Wx + b and is overwritten by the gates r, z, n; gh (B×3H) holds h·Wh
// and is overwritten by the gate sums and a_n = h·Whn + bhn; h gets
// (1 − z)⊙n + z⊙hPrev (B×H; a nil hPrev is zero). The same equations as
// nn.GRU's, through lib/blas's vectorised σ and tanh.
func gruGates(gx, gh *mat.Dense, bhn []float64, hPrev, h *mat.Dense) {
	rows, hid := h.Dims()
	bn := bhn[:hid]
	for b := 0; b < rows; b++ {
		x, g := gx.RawRowView(b), gh.RawRowView(b)
		xrz, xn := x[:2*hid], x[2*hid:3*hid]
		hrz, hn := g[:2*hid], g[2*hid:3*hid]
		for j := range xrz {
			xrz[j] += hrz[j]
		}
		blas.SigmoidTo(xrz, xrz) // r and z are adjacent: one call
		rg, zg := xrz[:hid], xrz[hid:]
		for j := range hn {
			xn[j] += rg[j] * (hn[j] + bn[j])
		}
		blas.TanhTo(xn, xn) // n
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
