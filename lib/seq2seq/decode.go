package seq2seq

import (
	"cmp"
	"runtime"
	"sync"

	"github.com/seq2go/seq2go/lib/attention"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// Inference is the arithmetic of decoding: the products and the
// embedding tables that an int8 model replaces (lib/quant), while the
// attention, the softmax and the search stay in float64. A Model decodes through its Infer field, or
// through its own float layers when Infer is nil. Implementations must be
// safe for concurrent use.
type Inference interface {
	// Encode returns the encoder's outputs (T_s steps of S×H, one row a
	// sentence, padded with zeros past each length) for S source sentences
	// of ids, and their lengths. The matrices belong to the caller.
	Encode(src [][]int) (keys []*mat.Dense, lengths []int)
	// Embed returns the target embeddings (n×E) of n target ids, the
	// decoder's input words.
	Embed(ids []int) *mat.Dense
	// Cell runs one step of the decoder's cell on input x (n×(E+H)) from
	// state h (n×H) and c (n×H for an LSTM, nil for a GRU, nil h and c
	// meaning zeros) and returns the next state.
	Cell(x, h, c *mat.Dense) (hNext, cNext *mat.Dense)
	// Combine returns [c̃ | h]·Wc + bc (n×H) for x = [c̃ | h] (n×2H), before
	// the tanh.
	Combine(x *mat.Dense) *mat.Dense
	// Out returns the logits h̃·Wo + bo (n×V) for x = h̃ (n×H).
	Out(x *mat.Dense) *mat.Dense
}

// floatInference is the float64 Inference of a Model: its own layers,
// through copies that share the parameters, so that decoding leaves the
// training caches alone. It makes new copies at every call, which keeps it
// safe for concurrent use.
type floatInference struct{ m *Model }

// Encode implements Inference.
func (f floatInference) Encode(src [][]int) (keys []*mat.Dense, lengths []int) {
	ids, ts, lens := TimeMajor(src)
	emb := &nn.Embedding{W: f.m.SrcEmbed.W}
	x := emb.Forward(ids) // (Ts·S)×E
	for _, k := range nn.SharedOf(f.m.Encoder).ForwardSeq(nn.SplitSteps(x, ts, len(src)), lens) {
		keys = append(keys, mat.DenseCopyOf(k)) // the encoder reuses its outputs
	}
	return keys, lens
}

// Embed implements Inference.
func (f floatInference) Embed(ids []int) *mat.Dense {
	return (&nn.Embedding{W: f.m.TgtEmbed.W}).Forward(ids)
}

// Cell implements Inference.
func (f floatInference) Cell(x, h, c *mat.Dense) (hNext, cNext *mat.Dense) {
	cell := nn.SharedOf(f.m.Decoder).(nn.Recurrent)
	cell.SetState(h, c)
	hNext = cell.Step(x)
	_, cNext = cell.State()
	return hNext, cNext
}

// Combine implements Inference.
func (f floatInference) Combine(x *mat.Dense) *mat.Dense {
	l := &nn.Linear{W: f.m.Combine.W, B: f.m.Combine.B}
	return l.Forward(x)
}

// Out implements Inference.
func (f floatInference) Out(x *mat.Dense) *mat.Dense {
	l := &nn.Linear{W: f.m.Out.W, B: f.m.Out.B}
	return l.Forward(x)
}

// inference returns what m decodes with.
func (m *Model) inference() Inference {
	if m.Infer != nil {
		return m.Infer
	}
	return floatInference{m}
}

// StepDecoder runs a Model's decoder one step at a time over a batch of S
// source sentences, for any number of hypotheses at once (one a row): the
// Stepper of greedy decoding and beam search. It keeps no training cache.
// Every product of a step goes through the model's Inference.
type StepDecoder struct {
	m      *Model
	inf    Inference
	mem    *attention.Memory // the S encoded sources
	rowSrc []int             // the source of each hypothesis
	h, c   *mat.Dense
	feed   *mat.Dense // n×H: h̃ of each hypothesis
	attn   attention.Attention
	buf    []float64 // the softmax of a row, scratch of the log-softmax
	// With Config.Copy (NewCopyDecoder): the target id of each source word,
	// and the number of ids past the target vocabulary.
	copyIDs [][]int
	ext     int
}

// NewStepDecoder encodes src (a sentence of source ids, not empty) and
// returns a decoder at its start.
func (m *Model) NewStepDecoder(src []int) *StepDecoder {
	return m.NewBatchDecoder([][]int{src})
}

// NewBatchDecoder encodes a batch of S sources (none empty) and returns a
// decoder whose S initial hypotheses, rows 0 … S−1, are the empty
// translations of each: its first Step takes parents 0 … S−1 and S BOS
// tokens.
func (m *Model) NewBatchDecoder(src [][]int) *StepDecoder {
	inf := m.inference()
	keys, lens := inf.Encode(src)
	d := &StepDecoder{
		m:    m,
		inf:  inf,
		attn: m.Attention.Shared(),
		mem:  m.Attention.Memory(keys, nil, lens),
	}
	n := len(src)
	d.feed = mat.NewDense(n, m.Hidden, nil)
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
	rowSrc := make([]int, n)
	for i, p := range parents {
		rowSrc[i] = d.rowSrc[p]
	}
	d.rowSrc = rowSrc
	mem := d.mem
	if !identity(rowSrc, len(d.mem.Lengths)) {
		mem = d.mem.Rows(rowSrc) // each row's source
	}
	var h, c *mat.Dense
	if d.h != nil {
		h = pick(d.h, parents)
	}
	if d.c != nil {
		c = pick(d.c, parents)
	}
	in := tokens
	if d.m.Copy {
		in = make([]int, n)
		for i, tok := range tokens {
			in[i] = d.m.inputID(tok) // a copied word outside the vocabulary is read as Unk
		}
	}
	hs, cs := d.inf.Cell(hcat(d.inf.Embed(in), pick(d.feed, parents)), h, c) // n×H
	d.h, d.c = hs, cs
	ctx, w := d.attn.Forward(hs, mem)
	pre := d.inf.Combine(hcat(ctx, hs)) // n×H
	tanhRows(pre, pre)
	d.feed = pre          // h̃
	logp = d.inf.Out(pre) // n×V
	if d.m.Clip > 0 {
		nn.Clip(logp, LogitClip)
	}
	if d.m.Copy {
		return d.pointer(logp, pre, w, rowSrc), mat.DenseCopyOf(w)
	}
	r, v := logp.Dims()
	if len(d.buf) < v {
		d.buf = make([]float64, v)
	}
	for i := 0; i < r; i++ { // log softmax: z − log Σ exp z
		row := logp.RawRowView(i)
		lz := nn.SoftmaxTo(d.buf[:v], row)
		for j := range row {
			row[j] -= lz
		}
	}
	return logp, mat.DenseCopyOf(w)
}

// WithInference returns a copy of m that decodes through inf: the same
// layers, parameters and configuration, without m's training cache.
// lib/quant's Quantize makes an int8 model with it.
func (m *Model) WithInference(inf Inference) *Model {
	c := *m
	c.Infer, c.fw, c.cache, c.replicas = inf, nil, nil, nil
	return &c
}

// identity reports whether rows is 0, 1, …, n−1.
func identity(rows []int, n int) bool {
	if len(rows) != n {
		return false
	}
	for i, r := range rows {
		if r != i {
			return false
		}
	}
	return true
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

// BeamBatch translates a batch of sentences with beam search at once: one
// search per sentence (as Beam), all hypotheses of all sentences as the
// rows of each decoder step. It gives the same translations as Beam on each
// sentence alone.
func (m *Model) BeamBatch(src [][]int, opt BeamOptions) []Translation {
	out := make([]Translation, len(src))
	if len(src) == 0 {
		return out
	}
	d := m.NewBatchDecoder(src)
	beams := make([]*beam, len(src))
	var parents, tokens, owner []int // owner: the sentence of each row
	for i, s := range src {
		beams[i] = newBeam(len(s), m.EOS, opt)
		parents, tokens, owner = append(parents, i), append(tokens, m.BOS), append(owner, i)
	}
	for step := 0; len(tokens) > 0; step++ {
		logp, attn := d.Step(parents, tokens)
		var np, nt, no []int
		for off := 0; off < len(owner); {
			i, b := owner[off], beams[owner[off]]
			n := len(b.live)
			ps, ts := b.advance(step, logp, attn, off)
			if !b.over(step + 1) {
				for k, p := range ps {
					np, nt, no = append(np, off+p), append(nt, ts[k]), append(no, i)
				}
			}
			off += n
		}
		parents, tokens, owner = np, nt, no
	}
	for i, b := range beams {
		out[i] = b.result()[0]
	}
	return out
}

// NLL returns the summed negative log-likelihood (nats) of the reference
// translations tgt given src, and their number of tokens (EOS included),
// by forced decoding through the model's Inference: the same products as
// translating, so that an int8 model is measured as it decodes. The log
// perplexity per target token is nll/tokens.
func (m *Model) NLL(src, tgt [][]int) (nll float64, tokens int) {
	if len(src) != len(tgt) {
		panic(nn.ErrShape)
	}
	if len(src) == 0 {
		return 0, 0
	}
	d := m.NewBatchDecoder(src)
	n, steps := len(src), 0
	for _, y := range tgt {
		steps = max(steps, len(y)+1)
	}
	parents, in := make([]int, n), make([]int, n)
	for i := range parents {
		parents[i], in[i] = i, m.BOS
	}
	for t := 0; t < steps; t++ {
		logp, _ := d.Step(parents, in)
		for i, y := range tgt {
			if t > len(y) {
				in[i] = m.EOS // finished: the row runs on, unscored
				continue
			}
			want := m.EOS
			if t < len(y) {
				want = y[t]
			}
			nll -= logp.At(i, want)
			tokens++
			in[i] = want
		}
	}
	return nll, tokens
}

// GreedyBatch translates a batch of sentences greedily at once, one row of
// every product per sentence still being decoded, up to twice each
// source's length. It gives the same translations as Greedy on each
// sentence alone.
func (m *Model) GreedyBatch(src [][]int) []Translation { return m.greedyBatch(src, 0) }

// Decode translates a batch of sentences with greedy decoding (opt.Width
// ≤ 1) or beam search, as GreedyBatch and BeamBatch do, the batch split
// across GOMAXPROCS goroutines (data parallelism: each decodes its share of
// the sentences with its own decoder). opt.MaxLen, when > 0, caps every
// translation's length for greedy decoding too.
func (m *Model) Decode(src [][]int, opt BeamOptions) []Translation {
	decode := func(part [][]int) []Translation {
		if max(opt.Width, 1) == 1 {
			return m.greedyBatch(part, opt.MaxLen)
		}
		return m.BeamBatch(part, opt)
	}
	n := len(src)
	workers := min(runtime.GOMAXPROCS(0), n/minShare)
	if workers <= 1 {
		return decode(src)
	}
	out := make([]Translation, n)
	var wg sync.WaitGroup
	share := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += share {
		hi := min(lo+share, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			copy(out[lo:hi], decode(src[lo:hi]))
		}()
	}
	wg.Wait()
	return out
}

// minShare is the fewest sentences Decode gives a goroutine: below it, the
// products are too thin for a second core to pay.
const minShare = 8

// greedyBatch is GreedyBatch with translations capped at maxLen tokens (0:
// twice the source length).
func (m *Model) greedyBatch(src [][]int, maxLen int) []Translation {
	n := len(src)
	out := make([]Translation, n)
	if n == 0 {
		return out
	}
	d := m.NewBatchDecoder(src)
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
			k := argmax(row)
			if limit := cmp.Or(maxLen, 2*len(src[i])); step == limit {
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
