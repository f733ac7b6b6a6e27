package quant

import (
	"fmt"

	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/seq2seq"
	"gonum.org/v1/gonum/mat"
)

// Quantize returns a shallow copy of m that decodes with int8 products: its
// Infer is a seq2seq.Inference whose encoder (Bidirectional, Stack), decoder
// cell, Combine and Out layers and both embedding tables are quantized
// snapshots of m's, while the attention and the softmax are m's own, in
// float64. So
// Greedy, GreedyBatch, Beam and the step decoders of the copy work as on m,
// with GNMT's int8 arithmetic (Wu et al. 2016, §6).
//
// The copy shares every float layer with m: training either one changes
// those, but not the int8 snapshot, so quantize again after training. A
// layer that cannot be quantized (anything but LSTM, GRU, Bidirectional
// and Stack in the encoder, and an LSTM or GRU decoder) is an error.
func Quantize(m *seq2seq.Model) (*seq2seq.Model, error) {
	inf, err := newInference(m)
	if err != nil {
		return nil, err
	}
	return m.WithInference(inf), nil
}

// inference is the int8 seq2seq.Inference of a Model. It holds no state,
// so it is safe for concurrent use.
type inference struct {
	srcEmbed, tgtEmbed *Embedding
	encoder            SeqLayer
	decoder            Recurrent
	combine            *Linear
	out                *Linear
	bytes              int // the model's size: int8 weights with their scales, the rest float64
}

func newInference(m *seq2seq.Model) (*inference, error) {
	enc, err := quantizeLayer(m.Encoder)
	if err != nil {
		return nil, fmt.Errorf("quant: encoder: %w", err)
	}
	dec, err := quantizeRecurrent(m.Decoder)
	if err != nil {
		return nil, fmt.Errorf("quant: decoder: %w", err)
	}
	ws, err := weights(m)
	if err != nil {
		return nil, err
	}
	src, tgt := NewEmbedding(m.SrcEmbed.W.Value), NewEmbedding(m.TgtEmbed.W.Value)
	size := 8 * nn.CountParams(m.Params())
	for _, w := range ws {
		r, c := w.w.Dims()
		size -= 8*r*c - (r*c + 8*c) // one byte a weight, a float64 scale a column
	}
	for _, t := range []*Embedding{src, tgt} {
		size -= 8*len(t.Q) - t.Bytes()
	}
	return &inference{srcEmbed: src, tgtEmbed: tgt, encoder: enc, decoder: dec,
		combine: NewLinear(m.Combine), out: NewLinear(m.Out), bytes: size}, nil
}

// Bytes is the size of the quantized model's weights: one byte for each
// int8 weight and 8 for each scale (a column's, or an embedding row's), 8
// for every float64 that stays (biases, attention).
func (f *inference) Bytes() int { return f.bytes }

// Encode implements seq2seq.Inference: the source embeddings (int8 rows
// looked up, time-major, padded with id 0 past each sentence) through the
// int8 encoder.
func (f *inference) Encode(src [][]int) (keys []*mat.Dense, lengths []int) {
	ids, steps, lengths := seq2seq.TimeMajor(src)
	x := f.srcEmbed.Forward(ids) // (T·S)×E, step t of sentence i in row t·S + i
	return f.encoder.ForwardSeq(nn.SplitSteps(x, steps, len(src)), lengths), lengths
}

// Embed implements seq2seq.Inference: int8 rows of the target table.
func (f *inference) Embed(ids []int) *mat.Dense { return f.tgtEmbed.Forward(ids) }

// Cell implements seq2seq.Inference.
func (f *inference) Cell(x, h, c *mat.Dense) (hNext, cNext *mat.Dense) {
	return f.decoder.Step(x, h, c)
}

// Combine implements seq2seq.Inference.
func (f *inference) Combine(x *mat.Dense) *mat.Dense { return f.combine.Forward(x) }

// Out implements seq2seq.Inference.
func (f *inference) Out(x *mat.Dense) *mat.Dense { return f.out.Forward(x) }

// weight is one float weight matrix that Quantize turns into int8.
type weight struct {
	name string
	w    *mat.Dense
}

// weights lists the weight matrices of m that Quantize quantizes, named by
// their parameters ("encoder.0.fwd.Wx", "out.W"), bottom up; the same
// layers Quantize accepts.
func weights(m *seq2seq.Model) ([]weight, error) {
	var ws weightList
	if _, err := visit(&ws, m.Encoder); err != nil {
		return nil, fmt.Errorf("quant: encoder: %w", err)
	}
	if _, err := visit(&ws, m.Decoder); err != nil {
		return nil, fmt.Errorf("quant: decoder: %w", err)
	}
	return append(ws, weight{m.Combine.W.Name, m.Combine.W.Value}, weight{m.Out.W.Name, m.Out.W.Value}), nil
}

// weightList is the nn.Quantizer that makes no twins but lists the weights
// that twins quantize: an LSTM's and a GRU's Wx and Wh.
type weightList []weight

// QuantizeLSTM implements nn.Quantizer.
func (ws *weightList) QuantizeLSTM(l *nn.LSTM) (any, error) {
	*ws = append(*ws, weight{l.Wx.Name, l.Wx.Value}, weight{l.Wh.Name, l.Wh.Value})
	return nil, nil
}

// QuantizeGRU implements nn.Quantizer.
func (ws *weightList) QuantizeGRU(l *nn.GRU) (any, error) {
	*ws = append(*ws, weight{l.Wx.Name, l.Wx.Value}, weight{l.Wh.Name, l.Wh.Value})
	return nil, nil
}

// QuantizeBidirectional implements nn.Quantizer.
func (ws *weightList) QuantizeBidirectional(l *nn.Bidirectional) (any, error) {
	return nil, ws.list(l)
}

// QuantizeStack implements nn.Quantizer.
func (ws *weightList) QuantizeStack(l *nn.Stack) (any, error) { return nil, ws.list(l) }

// list visits the layers inside the container c.
func (ws *weightList) list(c nn.Container) error {
	_, layers := c.Sublayers()
	for _, l := range layers {
		if _, err := visit(ws, l); err != nil {
			return err
		}
	}
	return nil
}
