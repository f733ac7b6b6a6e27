package quant

import (
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// LSTM is an nn.LSTM whose two products run in int8:
//
//	G_t = x̂_t·Ŵx + ĥ_{t−1}·Ŵh + b                  (B×4H), gate blocks [i | f | g | o]
//	i, f, o = σ(G_i), σ(G_f), σ(G_o),   g = tanh(G_g)
//	c_t = f ⊙ c_{t−1} + i ⊙ g
//	h_t = o ⊙ tanh(c_t)
//
// x_t and h_{t−1} are quantized per row at each step (see Matrix); the
// gates, the cell and the bias are float64, exactly as in nn.LSTM, so that
// the int8 layer differs from the float one only by the rounding of the
// two products.
type LSTM struct {
	Wx, Wh *Matrix   // d×4H, H×4H
	B      []float64 // 1×4H, float64
	// CellClip bounds the cell state as nn.LSTM's does (quantization-aware
	// training); 0 means none.
	CellClip float64
	hidden   int // H
}

// NewLSTM quantizes l's weights (a snapshot).
func NewLSTM(l *nn.LSTM) *LSTM {
	_, h4 := l.Wh.Value.Dims()
	return &LSTM{Wx: NewMatrix(l.Wx.Value), Wh: NewMatrix(l.Wh.Value),
		B: append([]float64(nil), l.B.Value.RawRowView(0)...), CellClip: l.CellClip, hidden: h4 / 4}
}

// Step returns the state (h, c) after one step of input x (B×d) from the
// state h, c (B×H each; nil means zeros). It writes neither.
func (l *LSTM) Step(x, h, c *mat.Dense) (hNext, cNext *mat.Dense) {
	b, _ := x.Dims()
	hid := l.hidden
	g, buf := getDense(b, 4*hid)
	defer floatPool.Put(buf)
	l.Wx.MulTo(g, x, l.B) // x̂·Ŵx + b   (B×4H)
	if h != nil {
		l.Wh.mulTo(g, h, nil, true) // + ĥ·Ŵh
	}
	if c != nil {
		if r, w := c.Dims(); r != b || w != hid {
			panic(nn.ErrShape)
		}
	}
	hNext, cNext = mat.NewDense(b, hid, nil), mat.NewDense(b, hid, nil)
	nn.LSTMCell(g, c, cNext, nil, hNext, l.CellClip)
	return hNext, cNext
}

// ForwardSeq runs the layer over T steps xs (each B×d) from a zero state
// and returns the T outputs h_t (each B×H, new). Rows past their length
// (lengths; nil means T) keep their state and output zeros, as in
// nn.LSTM. The input products of all T steps are one int8 product.
func (l *LSTM) ForwardSeq(xs []*mat.Dense, lengths []int) []*mat.Dense {
	steps, b, lens := seqShape(xs, l.Wx.Rows, lengths)
	gs := nn.SplitSteps(l.Wx.MulTo(nil, stackSteps(xs), l.B), steps, b) // ((T·B)×4H) = ((T·B)×d)·(d×4H) + b
	return runSeq(steps, b, l.hidden, lens, true, func(t int, hPrev, cPrev, h, c *mat.Dense) {
		g := gs[t]
		if t > 0 { // h_0 = 0 adds nothing
			l.Wh.mulTo(g, hPrev, nil, true) // G_t += ĥ_{t−1}·Ŵh   (B×4H)
		}
		nn.LSTMCell(g, cPrev, c, nil, h, l.CellClip)
	})
}
