package quant

import (
	"fmt"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// SeqLayer is a quantized sequence layer: T steps x_t (each B×d) in, T
// outputs (each B×H) out, rows past their length (lengths[b]; nil means T)
// zero. The outputs are new matrices; the inputs are only read.
type SeqLayer interface {
	ForwardSeq(xs []*mat.Dense, lengths []int) []*mat.Dense
}

// Recurrent is a quantized recurrent layer, which also runs one step at a
// time from a state passed in (nil meaning zeros) to the next state it
// returns: c is the LSTM's cell and nil for a GRU. Keeping the state out
// of the layer is what makes it safe for concurrent use.
type Recurrent interface {
	SeqLayer
	Step(x, h, c *mat.Dense) (hNext, cNext *mat.Dense)
}

// QuantizeLayer returns the quantized form of a sequence layer of lib/nn
// that has one (nn.Quantizable): an *nn.LSTM or *nn.GRU (as *LSTM or
// *GRU), an *nn.Bidirectional of those or an *nn.Stack of any of these.
// Any other layer is an error.
func QuantizeLayer(l nn.SeqLayer) (SeqLayer, error) {
	q, err := quantizeLayer(l)
	if err != nil {
		return nil, fmt.Errorf("quant: %w", err)
	}
	return q, nil
}

// quantizeLayer is QuantizeLayer, with errors that say where in l they
// arose and no package prefix.
func quantizeLayer(l nn.SeqLayer) (SeqLayer, error) {
	q, err := visit(twins{}, l)
	if err != nil {
		return nil, err
	}
	return q.(SeqLayer), nil
}

// quantizeRecurrent returns the quantized form of a recurrent layer: the
// decoder's cell, which runs step by step.
func quantizeRecurrent(l nn.Recurrent) (Recurrent, error) {
	q, err := quantizeLayer(l)
	if err != nil {
		return nil, err
	}
	r, ok := q.(Recurrent)
	if !ok {
		return nil, fmt.Errorf("cannot quantize a %T as a recurrent layer (want an LSTM or a GRU)", l)
	}
	return r, nil
}

// visit returns what q makes of l: l's QuantizeWith(q), or an error when l
// has no int8 form.
func visit(q nn.Quantizer, l nn.SeqLayer) (any, error) {
	ql, ok := l.(nn.Quantizable)
	if !ok {
		return nil, fmt.Errorf("cannot quantize a %T (want LSTM, GRU, Bidirectional or Stack)", l)
	}
	return ql.QuantizeWith(q)
}

// twins is the nn.Quantizer that makes the int8 twins of nn's layers.
type twins struct{}

// QuantizeLSTM implements nn.Quantizer.
func (twins) QuantizeLSTM(l *nn.LSTM) (any, error) { return NewLSTM(l), nil }

// QuantizeGRU implements nn.Quantizer.
func (twins) QuantizeGRU(l *nn.GRU) (any, error) { return NewGRU(l), nil }

// QuantizeBidirectional implements nn.Quantizer.
func (twins) QuantizeBidirectional(l *nn.Bidirectional) (any, error) {
	fwd, err := quantizeLayer(l.Fwd)
	if err != nil {
		return nil, fmt.Errorf("forward direction: %w", err)
	}
	bwd, err := quantizeLayer(l.Bwd)
	if err != nil {
		return nil, fmt.Errorf("backward direction: %w", err)
	}
	return &Bidirectional{Fwd: fwd, Bwd: bwd}, nil
}

// QuantizeStack implements nn.Quantizer.
func (twins) QuantizeStack(l *nn.Stack) (any, error) {
	s := &Stack{Residual: l.Residual, Clip: l.Clip}
	for k, c := range l.Layers {
		q, err := quantizeLayer(c)
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", k, err)
		}
		s.Layers = append(s.Layers, q)
	}
	return s, nil
}

// seqShape returns T and B of xs and the rows' lengths (lengths, checked,
// or T for every row when nil). It panics with nn.ErrShape unless every
// step is B×in and 0 ≤ lengths[b] ≤ T.
func seqShape(xs []*mat.Dense, in int, lengths []int) (steps, b int, lens []int) {
	if len(xs) == 0 {
		panic(nn.ErrShape)
	}
	steps = len(xs)
	b, _ = xs[0].Dims()
	for _, x := range xs {
		if r, c := x.Dims(); r != b || (in >= 0 && c != in) {
			panic(nn.ErrShape)
		}
	}
	if lengths != nil && len(lengths) != b {
		panic(nn.ErrShape)
	}
	lens = make([]int, b)
	for i := range lens {
		lens[i] = steps
		if lengths != nil {
			lens[i] = lengths[i]
		}
		if lens[i] < 0 || lens[i] > steps {
			panic(nn.ErrShape)
		}
	}
	return steps, b, lens
}

// stackSteps returns the T steps xs (each B×d) as one (T·B)×d matrix,
// step t in rows t·B … t·B+B−1, so that x_t·W for every step is one
// product.
func stackSteps(xs []*mat.Dense) *mat.Dense {
	b, d := xs[0].Dims()
	all := mat.NewDense(len(xs)*b, d, nil)
	for t, x := range xs {
		for i := 0; i < b; i++ {
			copy(all.RawRowView(t*b+i), x.RawRowView(i))
		}
	}
	return all
}

// runSeq is the time loop that LSTM and GRU share. g holds x_t·Wx + b for
// every step ((T·B)×G); step(t, g_t, hPrev, cPrev, h, c) computes the
// state of step t into h and c (B×H) for all rows; rows past their length
// then carry their state, as nn's layers do. It returns the outputs, T
// views of one new (T·B)×H matrix, zero past each row's length.
func runSeq(steps, b, hid int, lens []int, withC bool, step func(t int, hPrev, cPrev, h, c *mat.Dense)) []*mat.Dense {
	ys := nn.SplitSteps(mat.NewDense(steps*b, hid, nil), steps, b)
	h, hn := mat.NewDense(b, hid, nil), mat.NewDense(b, hid, nil)
	var c, cn *mat.Dense
	if withC {
		c, cn = mat.NewDense(b, hid, nil), mat.NewDense(b, hid, nil)
	}
	for t := 0; t < steps; t++ {
		step(t, h, c, hn, cn)
		for i, n := range lens {
			if t >= n { // padding: the state is carried, the output is zero
				copy(hn.RawRowView(i), h.RawRowView(i))
				if withC {
					copy(cn.RawRowView(i), c.RawRowView(i))
				}
				continue
			}
			copy(ys[t].RawRowView(i), hn.RawRowView(i))
		}
		h, hn, c, cn = hn, h, cn, c
	}
	return ys
}
