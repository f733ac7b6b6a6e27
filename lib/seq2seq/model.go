package seq2seq

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// Config sets the sizes of a Model.
type Config struct {
	SrcVocab, TgtVocab int
	Embed              int // E: width of both embeddings
	Hidden             int // H: width of the decoder and of the encoder's outputs; even
	// EncoderLayers is the number of encoder layers: a bidirectional LSTM
	// (H/2 each way) and EncoderLayers−1 LSTM layers H→H above it. 0 means 1.
	EncoderLayers int
	// Residual, when > 0, adds residual connections to the encoder's layers
	// from index Residual up (GNMT uses 2; see nn.Stack).
	Residual int
	// Attention is "bahdanau", "general" or "dot"; AttentionDim the width of
	// the additive block's hidden layer (0 means H).
	Attention    string
	AttentionDim int
	// BOS and EOS are the target ids that start and end a sentence.
	BOS, EOS int
}

// Model is an attentional encoder–decoder (see the package documentation):
//
//	s_1 … s_n        = Encoder(SrcEmbed(x_1 … x_n))                (each B×H)
//	h_t, c_t         = Decoder([TgtEmbed(y_{t−1}) | h̃_{t−1}], h_{t−1}, c_{t−1})
//	c̃_t, a_t         = Attention(h_t, s_1 … s_n)
//	h̃_t              = tanh([c̃_t | h_t]·Wc + bc)                    (Combine)
//	p(y_t | y_<t, x) = softmax(h̃_t·Wo + bo)                          (Out)
//
// The decoder starts from a zero state with h̃_0 = 0. A Model is not safe
// for concurrent use; decoding (Greedy, Beam, StepDecoder) works on copies
// of the layers that share their parameters, so it may run between Loss
// and Backward without disturbing them.
type Model struct {
	Config
	SrcEmbed, TgtEmbed *nn.Embedding
	Encoder            *nn.Stack
	Decoder            *nn.LSTM   // (E+H) → H
	Attention          Attention  // queries H, keys H
	Combine            *nn.Linear // 2H → H
	Out                *nn.Linear // H → V_tgt

	loss nn.SoftmaxCrossEntropy
	fw   *forwardCache
}

// BUG(seq2seq): The decoder is one LSTM layer that starts from a zero state
// (the encoder's final state is not handed over), and there is no dropout,
// teacher-forcing ratio or quantization-aware clipping yet.

// forwardCache is what Backward needs from the last Loss.
type forwardCache struct {
	b, ts, tt int
	dec       []*nn.LSTM   // one per target step, sharing Decoder's parameters
	attn      []Attention  // one per target step
	comb      []*nn.Linear // one per target step
	ht        *mat.Dense   // (Tt·B)×H: h̃_t of every step
	htSteps   []*mat.Dense // Tt views B×H
	embed     int          // E
	tokens    int          // real target tokens, EOS included
	nll       float64      // their summed negative log-likelihood
}

// NewModel returns a model with freshly initialised weights. A bad
// configuration (odd Hidden, unknown attention) is returned as an error.
func NewModel(rng *rand.Rand, cfg Config) (*Model, error) {
	if cfg.Hidden <= 0 || cfg.Hidden%2 != 0 || cfg.Embed <= 0 || cfg.SrcVocab <= 0 || cfg.TgtVocab <= 0 {
		return nil, fmt.Errorf("seq2seq: bad sizes %+v (Hidden must be even and positive)", cfg)
	}
	if cfg.BOS < 0 || cfg.BOS >= cfg.TgtVocab || cfg.EOS < 0 || cfg.EOS >= cfg.TgtVocab {
		return nil, fmt.Errorf("seq2seq: BOS %d or EOS %d outside the target vocabulary of %d", cfg.BOS, cfg.EOS, cfg.TgtVocab)
	}
	if cfg.EncoderLayers <= 0 {
		cfg.EncoderLayers = 1
	}
	if cfg.AttentionDim <= 0 {
		cfg.AttentionDim = cfg.Hidden
	}
	h, e := cfg.Hidden, cfg.Embed
	attn, err := NewAttention(rng, cfg.Attention, h, h, cfg.AttentionDim)
	if err != nil {
		return nil, err
	}
	layers := []nn.SeqLayer{nn.NewBidirectional(nn.NewLSTM(rng, e, h/2), nn.NewLSTM(rng, e, h/2))}
	for k := 1; k < cfg.EncoderLayers; k++ {
		layers = append(layers, nn.NewLSTM(rng, h, h))
	}
	enc := nn.NewStack(layers...)
	enc.Residual = cfg.Residual
	m := &Model{
		Config:    cfg,
		SrcEmbed:  nn.NewEmbedding(rng, cfg.SrcVocab, e),
		TgtEmbed:  nn.NewEmbedding(rng, cfg.TgtVocab, e),
		Encoder:   enc,
		Decoder:   nn.NewLSTM(rng, e+h, h),
		Attention: attn,
		Combine:   nn.NewLinear(rng, 2*h, h),
		Out:       nn.NewLinear(rng, h, cfg.TgtVocab),
	}
	return m, nil
}

// Params returns every parameter: embeddings, encoder, decoder, attention,
// Combine and Out.
func (m *Model) Params() []*nn.Param {
	ps := append(m.SrcEmbed.Params(), m.TgtEmbed.Params()...)
	ps = append(ps, m.Encoder.Params()...)
	ps = append(ps, m.Decoder.Params()...)
	ps = append(ps, m.Attention.Params()...)
	ps = append(ps, m.Combine.Params()...)
	return append(ps, m.Out.Params()...)
}

// encode runs the encoder over a batch of source sentences (padded with id
// 0 to the longest) and returns the keys (T_s steps of B×H) and lengths.
// emb and enc are m's SrcEmbed and Encoder for training, and copies that
// share their parameters for decoding, so that decoding between Loss and
// Backward leaves the training caches alone.
func encode(emb *nn.Embedding, enc nn.SeqLayer, src [][]int) (keys []*mat.Dense, lens []int) {
	b := len(src)
	ts := 0
	lens = make([]int, b)
	for i, s := range src {
		lens[i] = len(s)
		ts = max(ts, len(s))
	}
	if b == 0 || ts == 0 {
		panic("seq2seq: empty source batch")
	}
	ids := make([]int, ts*b) // time-major: step t of sentence i at t·B + i
	for i, s := range src {
		for t, id := range s {
			ids[t*b+i] = id
		}
	}
	x := emb.Forward(ids) // (Ts·B)×E
	return enc.ForwardSeq(steps(x, ts, b), lens), lens
}

// Loss runs the model over a batch of sentence pairs with teacher forcing
// and returns the mean negative log-likelihood per target token, EOS
// included. tgt sentences hold neither BOS nor EOS: the decoder reads
// BOS y_1 … y_m and predicts y_1 … y_m EOS. Padding is masked out of the
// loss and of the attention. Backward computes the gradients of this loss.
func (m *Model) Loss(src, tgt [][]int) float64 {
	if len(src) != len(tgt) {
		panic(nn.ErrShape)
	}
	keys, lens := encode(m.SrcEmbed, m.Encoder, src)
	b, ts, h, e := len(src), len(keys), m.Hidden, m.Embed
	tt := 0
	for _, y := range tgt {
		tt = max(tt, len(y)+1)
	}
	in, targets := make([]int, tt*b), make([]int, tt*b)
	mask := make([]float64, tt*b)
	for i, y := range tgt {
		for t := 0; t <= len(y); t++ {
			if t == 0 {
				in[i] = m.BOS
			} else {
				in[t*b+i] = y[t-1]
			}
			if t < len(y) {
				targets[t*b+i] = y[t]
			} else {
				targets[t*b+i] = m.EOS
			}
			mask[t*b+i] = 1
		}
	}
	emb := steps(m.TgtEmbed.Forward(in), tt, b) // Tt steps B×E
	fw := &forwardCache{b: b, ts: ts, tt: tt, embed: e}
	fw.ht = mat.NewDense(tt*b, h, nil)
	fw.htSteps = steps(fw.ht, tt, b)
	var hPrev, cPrev *mat.Dense
	feed := mat.NewDense(b, h, nil) // h̃_0 = 0
	for t := 0; t < tt; t++ {
		dec := &nn.LSTM{Wx: m.Decoder.Wx, Wh: m.Decoder.Wh, B: m.Decoder.B}
		dec.SetState(hPrev, cPrev)
		hs := dec.ForwardSeq([]*mat.Dense{hcat(emb[t], feed)}, nil)[0] // B×H
		hPrev, cPrev = dec.State()
		attn := m.Attention.Shared()
		ctx, _ := attn.Forward(hs, keys, lens)
		comb := &nn.Linear{W: m.Combine.W, B: m.Combine.B}
		pre := comb.Forward(hcat(ctx, hs)) // (B×H) = (B×2H)·(2H×H) + b
		ht := fw.htSteps[t]
		for i := 0; i < b; i++ {
			row := ht.RawRowView(i)
			for j, v := range pre.RawRowView(i) {
				row[j] = math.Tanh(v)
			}
		}
		feed = ht
		fw.dec, fw.attn, fw.comb = append(fw.dec, dec), append(fw.attn, attn), append(fw.comb, comb)
	}
	logits := m.Out.Forward(fw.ht) // ((Tt·B)×V) = ((Tt·B)×H)·(H×V) + b
	loss := m.loss.Forward(logits, targets, mask)
	for _, v := range mask {
		fw.tokens += int(v)
	}
	fw.nll = loss * float64(fw.tokens)
	m.fw = fw
	return loss
}

// LastNLL returns the summed negative log-likelihood (nats) and the number
// of target tokens of the last Loss: the inputs of metrics.Perplexity.
func (m *Model) LastNLL() (nll float64, tokens int) {
	if m.fw == nil {
		return 0, 0
	}
	return m.fw.nll, m.fw.tokens
}

// Backward adds the gradients of the last Loss into every parameter's Grad,
// running the decoder steps backwards in time, then the encoder.
func (m *Model) Backward() {
	fw := m.fw
	if fw == nil {
		panic("seq2seq: Backward before Loss")
	}
	b, h, e := fw.b, m.Hidden, fw.embed
	dht := m.Out.Backward(m.loss.Backward()) // (Tt·B)×H
	dhtSteps := steps(dht, fw.tt, b)
	dkeys := make([]*mat.Dense, fw.ts)
	for j := range dkeys {
		dkeys[j] = mat.NewDense(b, h, nil)
	}
	demb := mat.NewDense(fw.tt*b, e, nil)
	dembSteps := steps(demb, fw.tt, b)
	var dfeed, dhNext, dcNext *mat.Dense
	dpre := mat.NewDense(b, h, nil)
	for t := fw.tt - 1; t >= 0; t-- {
		// ∂L/∂h̃_t: from the output layer and, by input feeding, from step t+1.
		d, ht := dhtSteps[t], fw.htSteps[t]
		for i := 0; i < b; i++ {
			dr, hr, pr := d.RawRowView(i), ht.RawRowView(i), dpre.RawRowView(i)
			var fr []float64
			if dfeed != nil {
				fr = dfeed.RawRowView(i)
			}
			for j, v := range hr {
				g := dr[j]
				if fr != nil {
					g += fr[j]
				}
				pr[j] = g * (1 - v*v) // through tanh
			}
		}
		dcat := fw.comb[t].Backward(dpre) // B×2H: [∂L/∂c̃_t | ∂L/∂h_t]
		dctx := dcat.Slice(0, b, 0, h).(*mat.Dense)
		dq, dk := fw.attn[t].Backward(mat.DenseCopyOf(dctx))
		for j, g := range dk {
			dkeys[j].Add(dkeys[j], g)
		}
		dh := mat.NewDense(b, h, nil)
		dh.Add(dcat.Slice(0, b, h, 2*h), dq)
		fw.dec[t].SetStateGrad(dhNext, dcNext)
		dx := fw.dec[t].BackwardSeq([]*mat.Dense{dh})[0] // B×(E+H)
		dhNext, dcNext = fw.dec[t].StateGrad()
		dembSteps[t].Copy(dx.Slice(0, b, 0, e))
		dfeed = mat.DenseCopyOf(dx.Slice(0, b, e, e+h))
	}
	m.TgtEmbed.Backward(demb)
	dxs := m.Encoder.BackwardSeq(dkeys)
	dsrc := mat.NewDense(fw.ts*b, e, nil)
	for t, dx := range steps(dsrc, fw.ts, b) {
		dx.Copy(dxs[t])
	}
	m.SrcEmbed.Backward(dsrc)
}

// steps returns the n views b×w of x ((n·b)×w), block t being step t.
func steps(x *mat.Dense, n, b int) []*mat.Dense {
	_, w := x.Dims()
	s := make([]*mat.Dense, n)
	for t := range s {
		s[t] = x.Slice(t*b, (t+1)*b, 0, w).(*mat.Dense)
	}
	return s
}

// hcat returns [a | b], the rows of a and b side by side.
func hcat(a, b *mat.Dense) *mat.Dense {
	r, ca := a.Dims()
	_, cb := b.Dims()
	mustDims(b, r, -1)
	y := mat.NewDense(r, ca+cb, nil)
	for i := 0; i < r; i++ {
		row := y.RawRowView(i)
		copy(row, a.RawRowView(i))
		copy(row[ca:], b.RawRowView(i))
	}
	return y
}

// shared returns a copy of the sequence layer l with the same parameters
// (Value and Grad) and its own caches and state: LSTM, Bidirectional and
// Stack layers (all the encoder is made of) are copied, any other through
// its Replica method (own gradients).
func shared(l nn.SeqLayer) nn.SeqLayer {
	switch l := l.(type) {
	case *nn.LSTM:
		return &nn.LSTM{Wx: l.Wx, Wh: l.Wh, B: l.B}
	case *nn.Bidirectional:
		return nn.NewBidirectional(shared(l.Fwd), shared(l.Bwd))
	case *nn.Stack:
		s := &nn.Stack{Layers: make([]nn.SeqLayer, len(l.Layers)), Residual: l.Residual}
		for k, c := range l.Layers {
			s.Layers[k] = shared(c)
		}
		return s
	}
	return nn.NewStack(l).Replica().Layers[0]
}
