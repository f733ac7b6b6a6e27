package seq2seq

import (
	"math"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// StepDecoder runs a Model's decoder one step at a time over one source
// sentence, for any number of hypotheses at once (one a row): the Stepper
// of greedy decoding and beam search. It keeps no training cache. Every
// product of a step goes through the decoder's LSTM Step and the Forward
// of Combine and Out, the blocks that an int8 model replaces.
type StepDecoder struct {
	m          *Model
	keys       []*mat.Dense // T_s steps S×H: the encoded sources
	srcLens    []int        // S source lengths
	rowSrc     []int        // the source of each hypothesis
	h, c, feed *mat.Dense   // n×H: the state of each hypothesis
	lstm       *nn.LSTM
	attn       Attention
	comb, out  *nn.Linear
	embed      *nn.Embedding
}

// NewStepDecoder encodes src (a sentence of source ids, not empty) and
// returns a decoder at its start.
func (m *Model) NewStepDecoder(src []int) *StepDecoder {
	return m.newStepDecoder([][]int{src})
}

// newStepDecoder encodes a batch of S sources and returns a decoder whose
// S initial hypotheses, rows 0 … S−1, are the empty translations of each.
func (m *Model) newStepDecoder(src [][]int) *StepDecoder {
	keys, lens := encode(&nn.Embedding{W: m.SrcEmbed.W}, shared(m.Encoder), src)
	d := &StepDecoder{
		m:       m,
		embed:   &nn.Embedding{W: m.TgtEmbed.W},
		srcLens: lens,
		lstm:    &nn.LSTM{Wx: m.Decoder.Wx, Wh: m.Decoder.Wh, B: m.Decoder.B},
		attn:    m.Attention.Shared(),
		comb:    &nn.Linear{W: m.Combine.W, B: m.Combine.B},
		out:     &nn.Linear{W: m.Out.W, B: m.Out.B},
	}
	for _, k := range keys {
		d.keys = append(d.keys, mat.DenseCopyOf(k)) // the encoder reuses its outputs
	}
	h, n := m.Hidden, len(src)
	d.h, d.c, d.feed = mat.NewDense(n, h, nil), mat.NewDense(n, h, nil), mat.NewDense(n, h, nil)
	for i := range src {
		d.rowSrc = append(d.rowSrc, i)
	}
	return d
}

// Step implements Stepper.
func (d *StepDecoder) Step(parents, tokens []int) (logp, attn *mat.Dense) {
	n := len(tokens)
	if len(parents) != n || n == 0 {
		panic(nn.ErrShape)
	}
	h, c, feed := pick(d.h, parents), pick(d.c, parents), pick(d.feed, parents)
	rowSrc, lens := make([]int, n), make([]int, n)
	for i, p := range parents {
		rowSrc[i] = d.rowSrc[p]
		lens[i] = d.srcLens[rowSrc[i]]
	}
	d.rowSrc = rowSrc
	keys := make([]*mat.Dense, len(d.keys)) // each row's source, step by step
	for j, k := range d.keys {
		keys[j] = pick(k, rowSrc)
	}
	d.lstm.SetState(h, c)
	hs := d.lstm.Step(hcat(d.embed.Forward(tokens), feed)) // n×H
	d.h, d.c = d.lstm.State()
	ctx, w := d.attn.Forward(hs, keys, lens)
	ht := d.comb.Forward(hcat(ctx, hs)) // n×H
	r, _ := ht.Dims()
	for i := 0; i < r; i++ {
		row := ht.RawRowView(i)
		for j, v := range row {
			row[j] = math.Tanh(v)
		}
	}
	d.feed = ht
	logp = d.out.Forward(ht) // n×V
	for i := 0; i < r; i++ {
		row := logp.RawRowView(i)
		lz := nn.SoftmaxTo(make([]float64, len(row)), row)
		for j := range row {
			row[j] -= lz
		}
	}
	return logp, mat.DenseCopyOf(w)
}

// pick returns the rows idx of m, in that order.
func pick(m *mat.Dense, idx []int) *mat.Dense {
	_, c := m.Dims()
	y := mat.NewDense(len(idx), c, nil)
	for i, r := range idx {
		copy(y.RawRowView(i), m.RawRowView(r))
	}
	return y
}

// Greedy translates src by taking the most probable token at each step,
// up to twice the source length.
func (m *Model) Greedy(src []int) Translation {
	return m.Beam(src, BeamOptions{Width: 1})
}

// Beam translates src with beam search (see BeamSearch) and returns the
// best translation.
func (m *Model) Beam(src []int, opt BeamOptions) Translation {
	return BeamSearch(m.NewStepDecoder(src), len(src), m.BOS, m.EOS, opt)[0]
}

// GreedyBatch translates a batch of sentences greedily at once, one row of
// every product per sentence still being decoded. It gives the same
// translations as Greedy on each sentence alone.
func (m *Model) GreedyBatch(src [][]int) []Translation {
	n := len(src)
	out := make([]Translation, n)
	if n == 0 {
		return out
	}
	d := m.newStepDecoder(src)
	parents, tokens := make([]int, n), make([]int, n)
	for i := range parents {
		parents[i], tokens[i] = i, m.BOS
	}
	done := make([]bool, n)
	for step := 0; ; step++ {
		logp, attn := d.Step(parents, tokens)
		left := 0
		for i := range src {
			if done[i] {
				continue
			}
			row := logp.RawRowView(i)
			k := 0
			for j, v := range row {
				if v > row[k] {
					k = j
				}
			}
			if step == 2*len(src[i]) {
				k = m.EOS // at the length limit only EOS may follow
			}
			out[i].LogProb += row[k]
			if k == m.EOS {
				done[i], out[i].Finished = true, true
				out[i].Score = out[i].LogProb
				continue
			}
			out[i].Tokens = append(out[i].Tokens, k)
			out[i].Attention = append(out[i].Attention, append([]float64(nil), attn.RawRowView(i)[:len(src[i])]...))
			tokens[i] = k
			left++
		}
		if left == 0 {
			return out
		}
	}
}
