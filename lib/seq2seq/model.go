package seq2seq

import (
	"fmt"
	"math/rand/v2"

	"github.com/seq2go/seq2go/lib/attention"
	seqblas "github.com/seq2go/seq2go/lib/blas"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// Config sets the sizes of a Model and how it trains.
type Config struct {
	SrcVocab, TgtVocab int
	Embed              int // E: width of both embeddings
	Hidden             int // H: width of the decoder and of the encoder's outputs; even
	// Cell is the recurrent cell of the encoder and the decoder: "lstm"
	// (the default when empty) or "gru".
	Cell string
	// EncoderLayers is the number of encoder layers: a bidirectional layer
	// (H/2 each way) and EncoderLayers−1 layers H→H above it. 0 means 1.
	EncoderLayers int
	// Residual, when > 0, adds residual connections to the encoder's layers
	// from index Residual up (GNMT uses 2; see nn.Stack).
	Residual int
	// Attention is "bahdanau", "general" or "dot"; AttentionDim the width of
	// the additive block's hidden layer (0 means H).
	Attention    string
	AttentionDim int
	// Dropout is the probability with which Loss zeroes each element of the
	// source and target embeddings and of h̃_t before the output layer
	// (inverted dropout; decoding never drops). 0 turns it off.
	Dropout float64
	// TeacherForcing is the probability that, at each step of Loss, the
	// decoder reads the reference word y_{t−1} rather than its own most
	// probable word (scheduled sampling, Bengio et al. 2015). 0 (the zero
	// value) and 1 both mean always: plain teacher forcing.
	TeacherForcing float64
	// BOS and EOS are the target ids that start and end a sentence.
	BOS, EOS int
	// Copy adds a pointer to the decoder, so that it can also copy a source
	// word (See, Liu & Manning 2017; see copy.go): Loss and decoding then
	// take, for each source word, the target id it stands for (LossCopy,
	// NewCopyDecoder), and target ids from TgtVocab up name words outside
	// the target vocabulary, which only copying can produce exactly. Unk
	// is the target id the generator stands in for them with.
	Copy bool `json:",omitempty"`
	Unk  int  `json:",omitempty"`
	// Pipeline runs the encoder's layers each on a goroutine of its own,
	// pipelined over the source steps (nn.Pipeline), and the two
	// directions of its bidirectional layer side by side: GNMT's model
	// parallelism. The numbers are those of the plain encoder.
	Pipeline bool `json:",omitempty"`
}

// Model is an attentional encoder–decoder (see the package documentation):
//
//	s_1 … s_n        = Encoder(SrcEmbed(x_1 … x_n))                (each B×H)
//	h_t, c_t         = Decoder([TgtEmbed(y_{t−1}) | h̃_{t−1}], h_{t−1}, c_{t−1})
//	c̃_t, a_t         = Attention(h_t, s_1 … s_n)
//	h̃_t              = tanh([c̃_t | h_t]·Wc + bc)                    (Combine)
//	p(y_t | y_<t, x) = softmax(h̃_t·Wo + bo)                          (Out)
//
// The decoder starts from a zero state with h̃_0 = 0 (a GRU decoder has no
// c). A Model is not safe for concurrent use; decoding (Greedy, Beam,
// StepDecoder) works on copies of the layers that share their parameters,
// so it may run between Loss and Backward without disturbing them.
type Model struct {
	Config
	SrcEmbed, TgtEmbed *nn.Embedding
	Encoder            *nn.Stack
	Decoder            nn.Recurrent        // *nn.LSTM or *nn.GRU, (E+H) → H
	Attention          attention.Attention // queries H, keys H
	Combine            *nn.Linear          // 2H → H
	Out                *nn.Linear          // H → V_tgt
	Gate               *nn.Linear          // H → 1: the copy gate, with Config.Copy (nil without)
	// Infer does the products of decoding (see Inference); nil means the
	// float layers above. lib/quant's Quantize sets an int8 one.
	Infer Inference
	// Clip is the bound δ of quantization-aware training (see SetClip);
	// 0 means none.
	Clip float64

	pcg *rand.PCG  // the state of rng, saved with a checkpoint
	rng *rand.Rand // dropout masks and teacher-forcing draws
	// replicas are LossGrad's workers, made on first use.
	replicas []*Model
	loss     nn.SoftmaxCrossEntropy
	cache    *forwardCache // kept from Loss to Loss
	fw       *forwardCache // the cache, from a Loss until its Backward
	pipeline *nn.Pipeline  // over Encoder, with Config.Pipeline
}

// forwardCache is what Backward needs from the last Loss. The model keeps
// one from call to call (see prepare), so that its buffers, and the caches
// of its decoder and attention steps, are reused while the batch's shape
// holds.
type forwardCache struct {
	b, ts, tt int
	decoder   nn.Recurrent // the Decoder and Attention the copies below share
	attention attention.Attention
	srcDrop   *nn.Dropout
	mem       *attention.Memory
	targets   []int           // Tt·B target ids, time-major
	mask      []float64       // Tt·B: 1 for a real target, 0 for padding
	in        []int           // B: the decoder's input words at one step
	copyIDs   [][]int         // with Copy: the target id of each source word
	weights   []*mat.Dense    // with Copy: the attention weights of every step (B×Ts)
	hd        *mat.Dense      // the (dropped-out) h̃ rows, the input of Out and Gate
	gate      *mat.Dense      // with Copy: the gates g of every row ((Tt·B)×1)
	mix       []float64       // with Copy: per row, P of the target and the share of it generated
	emb       []*nn.Embedding // one per target step, sharing TgtEmbed's table
	embDrop   []*nn.Dropout
	dec       stepper               // runs the Tt steps, sharing Decoder's parameters
	attn      []attention.Attention // one per target step
	zero      *mat.Dense            // B×H zeros: h̃_0
	x         *mat.Dense            // B×(E+H): the decoder's input at one step
	dcat      *mat.Dense            // B×2H: ∂L/∂[c̃_t | h_t] at one step
	dh        *mat.Dense            // B×H: ∂L/∂h_t at one step
	// Combine's Wc packed for the steps' products, forward and transposed.
	combine, combineT nn.PackedWeight
	// The (Tt·B)-row stacks of every step, and their Tt views B×w: Combine's
	// input [c̃_t | h_t], its output h̃_t, and ∂L/∂(h̃_t before the tanh).
	cat, ht, dpre                *mat.Dense
	catSteps, htSteps, dpreSteps []*mat.Dense
	outDrop                      *nn.Dropout
	out                          *mat.Dense // the logits, (Tt·B)×V, kept from call to call
	logits                       *mat.Dense // the clipped logits, when Clip > 0
	tokens                       int        // real target tokens, EOS included
	nll                          float64    // their summed negative log-likelihood
}

// stepper is a recurrent layer that also runs, and goes back through, one
// step at a time with a cache (nn.LSTM and nn.GRU): the decoder, whose
// input at step t holds h̃_{t−1}, computed from its output at step t−1.
type stepper interface {
	nn.Recurrent
	ForwardStep(x *mat.Dense) *mat.Dense
	BackwardStep(dy *mat.Dense) *mat.Dense
}

// prepare returns the model's forwardCache for a batch of B pairs with Tt
// target steps: its buffers are reused while B and Tt fit them, and its
// copies of the decoder and the attention while the model's are the same.
func (m *Model) prepare(b, tt int) *forwardCache {
	fw := m.cache
	if fw == nil || fw.decoder != m.Decoder || fw.attention != m.Attention {
		fw = &forwardCache{decoder: m.Decoder, attention: m.Attention, dec: nn.SharedOf(m.Decoder).(stepper)}
		m.cache = fw
	}
	h, e := m.Hidden, m.Embed
	for len(fw.weights) < tt {
		fw.weights = append(fw.weights, nil)
	}
	for len(fw.attn) < tt {
		fw.attn = append(fw.attn, m.Attention.Shared())
		fw.emb = append(fw.emb, &nn.Embedding{W: m.TgtEmbed.W})
		fw.embDrop = append(fw.embDrop, nn.NewDropout(m.rng, m.Dropout))
	}
	for _, d := range append(fw.embDrop, fw.srcDrop, fw.outDrop) {
		if d != nil {
			d.P = m.Dropout
		}
	}
	if fw.srcDrop == nil {
		fw.srcDrop, fw.outDrop = nn.NewDropout(m.rng, m.Dropout), nn.NewDropout(m.rng, m.Dropout)
	}
	if fw.b != b || fw.tt != tt {
		fw.b, fw.tt = b, tt
		fw.targets, fw.mask, fw.in = make([]int, tt*b), make([]float64, tt*b), make([]int, b)
		fw.zero, fw.x = mat.NewDense(b, h, nil), mat.NewDense(b, e+h, nil)
		fw.dcat, fw.dh = mat.NewDense(b, 2*h, nil), mat.NewDense(b, h, nil)
		fw.cat, fw.ht, fw.dpre = mat.NewDense(tt*b, 2*h, nil), mat.NewDense(tt*b, h, nil), mat.NewDense(tt*b, h, nil)
		fw.catSteps, fw.htSteps, fw.dpreSteps = nn.SplitSteps(fw.cat, tt, b), nn.SplitSteps(fw.ht, tt, b), nn.SplitSteps(fw.dpre, tt, b)
	}
	fw.logits, fw.tokens, fw.nll = nil, 0, 0
	return fw
}

// NewModel returns a model with freshly initialised weights; rng also
// seeds the model's own generator for dropout and teacher forcing. A bad
// configuration (odd Hidden, unknown cell or attention) is returned as an
// error.
func NewModel(rng *rand.Rand, cfg Config) (*Model, error) {
	if cfg.Hidden <= 0 || cfg.Hidden%2 != 0 || cfg.Embed <= 0 || cfg.SrcVocab <= 0 || cfg.TgtVocab <= 0 {
		return nil, fmt.Errorf("seq2seq: bad sizes %+v (Hidden must be even and positive)", cfg)
	}
	if cfg.BOS < 0 || cfg.BOS >= cfg.TgtVocab || cfg.EOS < 0 || cfg.EOS >= cfg.TgtVocab || cfg.Unk < 0 || cfg.Unk >= cfg.TgtVocab {
		return nil, fmt.Errorf("seq2seq: BOS %d, EOS %d or Unk %d outside the target vocabulary of %d", cfg.BOS, cfg.EOS, cfg.Unk, cfg.TgtVocab)
	}
	if cfg.Dropout < 0 || cfg.Dropout >= 1 || cfg.TeacherForcing < 0 || cfg.TeacherForcing > 1 {
		return nil, fmt.Errorf("seq2seq: dropout %v must be in [0, 1) and teacher forcing %v in [0, 1]", cfg.Dropout, cfg.TeacherForcing)
	}
	if cfg.Cell == "" {
		cfg.Cell = "lstm"
	}
	if cfg.EncoderLayers <= 0 {
		cfg.EncoderLayers = 1
	}
	if cfg.AttentionDim <= 0 {
		cfg.AttentionDim = cfg.Hidden
	}
	h, e := cfg.Hidden, cfg.Embed
	var cell func(in, hidden int) nn.Recurrent
	switch cfg.Cell {
	case "lstm":
		cell = func(in, hidden int) nn.Recurrent { return nn.NewLSTM(rng, in, hidden) }
	case "gru":
		cell = func(in, hidden int) nn.Recurrent { return nn.NewGRU(rng, in, hidden) }
	default:
		return nil, fmt.Errorf("seq2seq: unknown cell %q (want lstm or gru)", cfg.Cell)
	}
	attn, err := attention.NewAttention(rng, cfg.Attention, h, h, cfg.AttentionDim)
	if err != nil {
		return nil, err
	}
	bi := nn.NewBidirectional(cell(e, h/2), cell(e, h/2))
	bi.Concurrent = cfg.Pipeline
	layers := []nn.SeqLayer{bi}
	for k := 1; k < cfg.EncoderLayers; k++ {
		layers = append(layers, cell(h, h))
	}
	enc := nn.NewStack(layers...)
	enc.Residual = cfg.Residual
	m := &Model{
		Config:    cfg,
		SrcEmbed:  nn.NewEmbedding(rng, cfg.SrcVocab, e),
		TgtEmbed:  nn.NewEmbedding(rng, cfg.TgtVocab, e),
		Encoder:   enc,
		Decoder:   cell(e+h, h),
		Attention: attn,
		Combine:   nn.NewLinear(rng, 2*h, h),
		Out:       nn.NewLinear(rng, h, cfg.TgtVocab),
		pcg:       rand.NewPCG(rng.Uint64(), rng.Uint64()),
	}
	if cfg.Copy {
		m.Gate = nn.NewLinear(rng, h, 1)
	}
	m.rng = rand.New(m.pcg)
	m.nameParams()
	return m, nil
}

// LogitClip is the bound of the logits under quantization-aware training
// (GNMT's γ = 25).
const LogitClip = 25

// SetClip turns on quantization-aware training with bound δ > 0, or off
// with 0 (GNMT, Wu et al. 2016, §6): the LSTM cell states (nn.LSTM's
// CellClip) and the encoder's residual sums are clipped to [−δ, δ] and the
// logits to ±LogitClip, in training and in decoding, so that a quantized
// model meets the ranges the float one was trained with. GNMT anneals δ
// from 8 to 1 over training (translate.Trainer does when asked).
func (m *Model) SetClip(delta float64) {
	m.Clip = delta
	nn.SetClip(m.Encoder, delta)
	nn.SetClip(m.Decoder, delta)
	if m.cache != nil {
		nn.SetClip(m.cache.dec, delta)
	}
}

// Replica returns a model that shares m's weights (Value) with its own
// gradients (Grad), caches and generator, for data-parallel training: N
// replicas run Loss and Backward on N parts of a batch at once, and their
// gradients are combined into m's (see translate.Trainer). Reseed its
// generator with ReseedRand.
func (m *Model) Replica() *Model {
	r := &Model{
		Config:    m.Config,
		SrcEmbed:  m.SrcEmbed.Replica(),
		TgtEmbed:  m.TgtEmbed.Replica(),
		Encoder:   m.Encoder.Replica().(*nn.Stack),        // a Stack's replica is a Stack
		Decoder:   nn.ReplicaOf(m.Decoder).(nn.Recurrent), // the replica of a layer is of its kind
		Attention: m.Attention.Replica(),
		Combine:   m.Combine.Replica(),
		Out:       m.Out.Replica(),
		pcg:       rand.NewPCG(0, 0),
	}
	if m.Gate != nil {
		r.Gate = m.Gate.Replica()
	}
	r.rng = rand.New(r.pcg)
	r.SetClip(m.Clip)
	return r
}

// ReseedRand seeds the model's generator (dropout masks, teacher-forcing
// draws) from two numbers, as LossGrad does for each replica at each call.
func (m *Model) ReseedRand(seed1, seed2 uint64) { m.pcg.Seed(seed1, seed2) }

// MinShare is the fewest sentence pairs a worker of LossGrad gets: below
// it, its products are too thin to pay for a goroutine.
const MinShare = 16

// LossGrad is Loss followed by Backward, shared out among workers
// goroutines (0 means GOMAXPROCS; each gets at least MinShare pairs): data
// parallelism. It returns the mean loss per target token and the number of
// target tokens, and adds the gradient into the model's Grads. Each of W
// replicas of the model (Replica: the same weights, their own gradients)
// takes a part of the batch at once; the loss is the mean over all N
// tokens, so the gradients combine weighted by the parts' token counts:
//
//	L = Σ_k NLL_k / N,    ∂L/∂θ = Σ_k (N_k / N) · ∂(NLL_k / N_k)/∂θ
//
// Each replica's generator is reseeded from the model's at every call, so
// the model's one saved state (RandState) fixes every dropout mask.
func (m *Model) LossGrad(src, tgt [][]int, workers int) (loss float64, tokens int) {
	return m.LossGradCopy(src, tgt, nil, workers)
}

// LossGradCopy is LossGrad for a model with Copy: copyIDs[b][j] is the
// target id of word j of source sentence b (see LossCopy).
func (m *Model) LossGradCopy(src, tgt, copyIDs [][]int, workers int) (loss float64, tokens int) {
	w := nn.Workers(workers, len(src), MinShare)
	if w <= 1 {
		loss = m.LossCopy(src, tgt, copyIDs)
		_, tokens = m.LastNLL()
		m.Backward()
		return loss, tokens
	}
	for len(m.replicas) < w {
		m.replicas = append(m.replicas, m.Replica())
	}
	for _, r := range m.replicas[:w] {
		r.ReseedRand(m.rng.Uint64(), m.rng.Uint64())
		r.SetClip(m.Clip)
		nn.ZeroGrads(r.Params())
	}
	nlls, counts := make([]float64, w), make([]int, w)
	nn.ShareOut(w, len(src), func(k, lo, hi int) {
		r := m.replicas[k]
		r.LossCopy(src[lo:hi], tgt[lo:hi], part(copyIDs, lo, hi))
		nlls[k], counts[k] = r.LastNLL()
		r.Backward()
	})
	var nll float64
	for k := range nlls {
		nll, tokens = nll+nlls[k], tokens+counts[k]
	}
	params := m.Params()
	for k, r := range m.replicas[:w] {
		nn.AddGrads(params, r.Params(), float64(counts[k])/float64(tokens))
	}
	return nll / float64(tokens), tokens
}

// encoder returns what runs the Encoder in training: the Encoder itself,
// or with Config.Pipeline a Pipeline over it, kept from call to call.
func (m *Model) encoder() nn.SeqLayer {
	if !m.Pipeline {
		return m.Encoder
	}
	if m.pipeline == nil || m.pipeline.Stack != m.Encoder {
		m.pipeline = nn.NewPipeline(m.Encoder)
	}
	return m.pipeline
}

// RandState returns the state of the model's generator (dropout masks,
// teacher-forcing draws), so that a checkpoint can resume training on the
// same draws.
func (m *Model) RandState() ([]byte, error) { return m.pcg.MarshalBinary() }

// SetRandState restores a state returned by RandState.
func (m *Model) SetRandState(state []byte) error {
	if err := m.pcg.UnmarshalBinary(state); err != nil {
		return fmt.Errorf("seq2seq: generator state: %w", err)
	}
	return nil
}

// nameParams gives every parameter a unique name, its block's path and its
// own name ("encoder.0.fwd.Wx", "out.W"): the keys of a checkpoint.
func (m *Model) nameParams() {
	nn.PrefixNames("src_embed", m.SrcEmbed.Params())
	nn.PrefixNames("tgt_embed", m.TgtEmbed.Params())
	nn.NameParams("encoder", m.Encoder)
	nn.NameParams("decoder", m.Decoder)
	nn.PrefixNames("attention", m.Attention.Params())
	nn.PrefixNames("combine", m.Combine.Params())
	nn.PrefixNames("out", m.Out.Params())
	if m.Gate != nil {
		nn.PrefixNames("gate", m.Gate.Params())
	}
}

// Params returns every parameter: embeddings, encoder, decoder, attention,
// Combine, Out and, with Copy, Gate.
func (m *Model) Params() []*nn.Param {
	ps := append(m.SrcEmbed.Params(), m.TgtEmbed.Params()...)
	ps = append(ps, m.Encoder.Params()...)
	ps = append(ps, m.Decoder.Params()...)
	ps = append(ps, m.Attention.Params()...)
	ps = append(ps, m.Combine.Params()...)
	ps = append(ps, m.Out.Params()...)
	if m.Gate != nil {
		ps = append(ps, m.Gate.Params()...)
	}
	return ps
}

// TimeMajor returns the ids of a batch of source sentences in time-major
// order, padded with id 0 to the longest (step t of sentence i at t·B + i),
// the number of steps and the lengths: the input of an encoder, float or
// int8. It panics on an empty batch or an empty longest sentence.
func TimeMajor(src [][]int) (ids []int, ts int, lens []int) {
	b := len(src)
	lens = make([]int, b)
	for i, s := range src {
		lens[i] = len(s)
		ts = max(ts, len(s))
	}
	if b == 0 || ts == 0 {
		panic("seq2seq: empty source batch")
	}
	ids = make([]int, ts*b)
	for i, s := range src {
		for t, id := range s {
			ids[t*b+i] = id
		}
	}
	return ids, ts, lens
}

// Loss runs the model over a batch of sentence pairs with teacher forcing
// and returns the mean negative log-likelihood per target token, EOS
// included. tgt sentences hold neither BOS nor EOS: the decoder reads
// BOS y_1 … y_m and predicts y_1 … y_m EOS. Padding is masked out of the
// loss and of the attention. With Config.Dropout and TeacherForcing < 1,
// Loss draws masks and choices from the model's generator. Backward
// computes the gradients of this loss.
func (m *Model) Loss(src, tgt [][]int) float64 { return m.LossCopy(src, tgt, nil) }

// LossCopy is Loss for a model with Copy: copyIDs[b][j] is the target id
// of word j of source sentence b — its id in the target vocabulary, an id
// from TgtVocab up for a word outside it (the same id as in tgt), or −1
// for a word no target can copy — and the loss is that of the pointer's
// mixture (see copy.go). nil copies nothing; without Copy it must be nil.
func (m *Model) LossCopy(src, tgt, copyIDs [][]int) float64 {
	if len(src) != len(tgt) || (copyIDs != nil && (len(copyIDs) != len(src) || !m.Copy)) {
		panic(nn.ErrShape)
	}
	ids, ts, lens := TimeMajor(src)
	b := len(src)
	tt := 0
	for _, y := range tgt {
		tt = max(tt, len(y)+1)
	}
	fw := m.prepare(b, tt)
	fw.ts = ts
	fw.copyIDs = copyIDs
	fw.combine.Reset()
	fw.combineT.Reset()
	x := fw.srcDrop.Forward(m.SrcEmbed.Forward(ids)) // (Ts·B)×E
	keys := m.encoder().ForwardSeq(nn.SplitSteps(x, ts, b), lens)
	fw.mem = m.Attention.Memory(keys, nil, lens)
	clear(fw.mask)
	for i, y := range tgt {
		for t := 0; t <= len(y); t++ {
			fw.targets[t*b+i] = m.EOS
			if t < len(y) {
				fw.targets[t*b+i] = y[t]
			}
			fw.mask[t*b+i] = 1
		}
	}
	feed := fw.zero // h̃_0 = 0
	for t := 0; t < tt; t++ {
		m.decoderInput(fw.in, t, tgt, feed)
		hcatTo(fw.x, fw.embDrop[t].Forward(fw.emb[t].Forward(fw.in)), feed) // [E(y_{t−1}) | h̃_{t−1}]
		var hs *mat.Dense                                                   // B×H
		if t == 0 {
			fw.dec.SetState(nil, nil)
			hs = fw.dec.ForwardSeq([]*mat.Dense{fw.x}, nil)[0]
		} else {
			hs = fw.dec.ForwardStep(fw.x)
		}
		ctx, weights := fw.attn[t].Forward(hs, fw.mem)
		if m.Copy {
			fw.weights[t] = weights
		}
		hcatTo(fw.catSteps[t], ctx, hs)
		feed = fw.htSteps[t]
		fw.combine.Mul(feed, fw.catSteps[t], m.Combine.W.Value, false, 0) // (B×H) = (B×2H)·(2H×H)
		tanhBiasRows(feed, m.Combine.B.Value)                             // h̃_t = tanh(· + bc)
	}
	fw.hd = fw.outDrop.Forward(fw.ht)
	fw.out = m.Out.ForwardTo(fw.out, fw.hd) // ((Tt·B)×V) = ((Tt·B)×H)·(H×V) + b
	logits := fw.out
	if m.Clip > 0 {
		nn.Clip(logits, LogitClip)
		fw.logits = logits
	}
	for _, v := range fw.mask {
		fw.tokens += int(v)
	}
	var loss float64
	if m.Copy {
		loss = m.copyLoss(fw, logits)
	} else {
		loss = m.loss.Forward(logits, fw.targets, fw.mask)
	}
	fw.nll = loss * float64(fw.tokens)
	m.fw = fw
	return loss
}

// decoderInput fills in with the decoder's input words at step t: BOS at
// the first step, then the reference word y_{t−1} (teacher forcing) or,
// with probability 1 − TeacherForcing, for the whole batch, the model's
// most probable word given h̃_{t−1} (feed). Rows past their sentence read
// EOS; their steps are masked out.
func (m *Model) decoderInput(in []int, t int, tgt [][]int, feed *mat.Dense) {
	if t == 0 {
		for i := range in {
			in[i] = m.BOS
		}
		return
	}
	own := m.TeacherForcing > 0 && m.TeacherForcing < 1 && m.rng.Float64() >= m.TeacherForcing
	if own {
		out := &nn.Linear{W: m.Out.W, B: m.Out.B}
		logits := out.Forward(feed) // B×V: the predictions of step t−1
		for i := range in {
			in[i] = argmax(logits.RawRowView(i))
		}
		return
	}
	for i, y := range tgt {
		in[i] = m.EOS
		if t-1 < len(y) {
			in[i] = m.inputID(y[t-1])
		}
	}
}

// inputID returns the id the decoder reads for target id y: y itself, or
// Unk for a word outside the target vocabulary (Copy's ids from TgtVocab
// up).
func (m *Model) inputID(y int) int {
	if y >= m.TgtVocab {
		return m.Unk
	}
	return y
}

// argmax returns the index of the largest element of v (the first one
// among equals).
func argmax(v []float64) int {
	k := 0
	for j, x := range v {
		if x > v[k] {
			k = j
		}
	}
	return k
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
	m.fw = nil // the caches of one Loss serve one Backward
	b, h, e := fw.b, m.Hidden, m.Embed
	var dlogits, dgate *mat.Dense
	if m.Copy {
		dlogits, dgate = m.copyLossBackward(fw)
	} else {
		dlogits = m.loss.Backward()
	}
	if fw.logits != nil {
		nn.ClipGrad(dlogits, fw.logits, LogitClip)
	}
	dhd := m.Out.Backward(dlogits) // (Tt·B)×H
	if dgate != nil {
		dhd.Add(dhd, m.Gate.Backward(dgate))
	}
	dht := fw.outDrop.Backward(dhd)
	dhtSteps := nn.SplitSteps(dht, fw.tt, b)
	wc := m.Combine.W.Value
	fw.dec.SetStateGrad(nil, nil)
	var dfeed *mat.Dense
	for t := fw.tt - 1; t >= 0; t-- {
		// ∂L/∂h̃_t: from the output layer and, by input feeding, from step t+1.
		d, ht, dpre := dhtSteps[t], fw.htSteps[t], fw.dpreSteps[t]
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
		fw.combineT.Mul(fw.dcat, dpre, wc, true, 0) // [∂L/∂c̃_t | ∂L/∂h_t]: (B×2H) = (B×H)·(H×2H)
		var dweights *mat.Dense                     // with Copy: ∂L/∂a_t from the pointer
		if m.Copy {
			dweights = fw.dweights(t)
		}
		dq := fw.attn[t].Backward(fw.dcat.Slice(0, b, 0, h).(*mat.Dense), dweights)
		fw.dh.Add(fw.dcat.Slice(0, b, h, 2*h), dq)
		dx := fw.dec.BackwardStep(fw.dh) // B×(E+H)
		fw.emb[t].Backward(fw.embDrop[t].Backward(dx.Slice(0, b, 0, e).(*mat.Dense)))
		dfeed = dx.Slice(0, b, e, e+h).(*mat.Dense)
	}
	// Combine's gradients, summed over the steps as one product:
	// ∂L/∂Wc += Σ_t [c̃_t | h_t]ᵀ·dpre_t,  ∂L/∂bc += Σ_rows dpre.
	nn.AddWeightGrad(m.Combine.W.Grad, fw.cat, fw.dpre) // (2H×H) += ((Tt·B)×2H)ᵀ·((Tt·B)×H)
	nn.AddRowSums(m.Combine.B.Grad, fw.dpre)
	dkeys, _ := m.Attention.MemoryBackward(fw.mem) // the values are the keys
	dxs := m.encoder().BackwardSeq(dkeys)
	dsrc := mat.NewDense(fw.ts*b, e, nil)
	for t, dx := range nn.SplitSteps(dsrc, fw.ts, b) {
		dx.Copy(dxs[t])
	}
	m.SrcEmbed.Backward(fw.srcDrop.Backward(dsrc))
}

// tanhRows sets dst = tanh(x) element-wise; dst may be x.
func tanhRows(dst, x *mat.Dense) {
	r, _ := x.Dims()
	for i := 0; i < r; i++ {
		seqblas.TanhTo(dst.RawRowView(i), x.RawRowView(i))
	}
}

// tanhBiasRows sets x = tanh(x + b) with the 1×n row b added to every row
// of x (B×n): the activation of a layer whose product is already in x.
func tanhBiasRows(x, b *mat.Dense) {
	r, _ := x.Dims()
	bias := b.RawRowView(0)
	for i := 0; i < r; i++ {
		row := x.RawRowView(i)
		floats.Add(row, bias)
		seqblas.TanhTo(row, row)
	}
}

// hcat returns [a | b], the rows of a and b side by side.
func hcat(a, b *mat.Dense) *mat.Dense {
	r, ca := a.Dims()
	_, cb := b.Dims()
	return hcatTo(mat.NewDense(r, ca+cb, nil), a, b)
}

// hcatTo sets dst (r×(ca+cb)) to [a | b] and returns it.
func hcatTo(dst, a, b *mat.Dense) *mat.Dense {
	r, ca := a.Dims()
	_, cb := b.Dims()
	nn.MustDims(b, r, -1)
	nn.MustDims(dst, r, ca+cb)
	for i := 0; i < r; i++ {
		row := dst.RawRowView(i)
		copy(row, a.RawRowView(i))
		copy(row[ca:], b.RawRowView(i))
	}
	return dst
}
