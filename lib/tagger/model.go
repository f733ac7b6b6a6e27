package tagger

import (
	"fmt"
	"math/rand/v2"
	"unicode/utf8"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/mat"
)

// Model is a part-of-speech tagger: word embeddings and a character-level
// representation of each word, a bidirectional LSTM over the sentence,
// and a softmax per word or a CRF over the sentence (see the package
// documentation).
type Model struct {
	Config Config
	Words  *data.WordVocab // Normalize'd forms, counts from training
	Chars  *data.WordVocab // the characters of the training forms

	runeIDs map[rune]int

	wordEmb *nn.Embedding
	chars   *charNet            // nil with Char "none"
	layers  []*nn.Bidirectional // the word BiLSTM, bottom first
	heads   []*head             // one per tagset: UPOS, XPOS or both

	pcg     *rand.PCG // the state of rng: dropout and word dropout
	rng     *rand.Rand
	inDrop  *nn.Dropout
	outDrop *nn.Dropout

	replicas []*Model // LossGrad's workers, made on first use
	fw       forward  // the cache of the last forward pass
	charRep  *charCache
}

// forward is what Backward needs from the last forward pass, and the
// buffers kept from batch to batch.
type forward struct {
	steps, b int
	lengths  []int
	train    bool
	ids      []int      // T·B word ids, time-major; PadID on padding
	pos      []int      // T·B: the row of each word's form in the char batch, −1 on padding
	x        *mat.Dense // (T·B)×(E+Dc): the BiLSTM's input
	h        *mat.Dense // (T·B)×2H: its output
	dh       *mat.Dense // (T·B)×2H: the heads' gradients summed
	dx       *mat.Dense // (T·B)×(E+Dc), the BiLSTM's input gradient stacked
	drep     *mat.Dense // U×Dc, the gradient of the char representations
	words    int        // real words in the batch
	chars    charBatch
}

// charBatch is the distinct forms of a batch and their representations.
type charBatch struct {
	forms []string
	index map[string]int
	rep   *mat.Dense // U×Dc
}

// New returns a freshly initialised tagger for cfg, with the word,
// character and tag vocabularies of the training sentences train.
func New(cfg Config, train []data.Sentence) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	words, chars, tags, err := vocabularies(train, cfg.tagsets())
	if err != nil {
		return nil, err
	}
	return build(cfg, words, chars, tags)
}

// build makes a model over the given vocabularies (tags: one list per
// tagset of cfg), its weights drawn from cfg.Seed.
func build(cfg Config, words, chars *data.WordVocab, tags [][]string) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(tags) != len(cfg.tagsets()) {
		return nil, fmt.Errorf("tagger: %d tag lists for the tagsets %v", len(tags), cfg.tagsets())
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x7a66))
	m := &Model{Config: cfg, Words: words, Chars: chars}
	m.index()
	m.wordEmb = nn.NewEmbedding(rng, words.Size(), cfg.WordDim)
	nn.InitUniform(rng, m.wordEmb.W.Value, 0.1) // N(0,1) rows would drown the char features at the start
	if cfg.Char != "none" {
		m.chars = newCharNet(rng, cfg, chars.Size())
	}
	in := cfg.WordDim + cfg.charOut()
	for i := 0; i < cfg.Layers; i++ {
		m.layers = append(m.layers, nn.NewBidirectional(nn.NewLSTM(rng, in, cfg.Hidden), nn.NewLSTM(rng, in, cfg.Hidden)))
		in = 2 * cfg.Hidden
	}
	for k, ts := range cfg.tagsets() {
		m.heads = append(m.heads, newHead(rng, ts, tags[k], in, cfg.CRF))
	}
	m.pcg = rand.NewPCG(rng.Uint64(), rng.Uint64())
	m.rng = rand.New(m.pcg)
	m.dropouts()
	m.nameParams()
	return m, nil
}

// index fills the character lookup table.
func (m *Model) index() {
	m.runeIDs = map[rune]int{}
	for id, c := range m.Chars.Words() {
		if id < data.NumSpecial {
			continue
		}
		if r, size := utf8.DecodeRuneInString(c); size == len(c) {
			m.runeIDs[r] = id
		}
	}
}

func (m *Model) dropouts() {
	m.inDrop = nn.NewDropout(m.rng, m.Config.Dropout)
	m.outDrop = nn.NewDropout(m.rng, m.Config.Dropout)
}

// nameParams gives every parameter a unique, stable name for checkpoints:
// "word.W", "charlstm.fwd.Wx", "lstm0.bwd.Wh", "upos.out.W".
func (m *Model) nameParams() {
	nn.PrefixNames("word", m.wordEmb.Params())
	if m.chars != nil {
		m.chars.name()
	}
	for i, l := range m.layers {
		nn.NameParams(fmt.Sprintf("lstm%d", i), l)
	}
	for _, h := range m.heads {
		h.name()
	}
}

// Tagsets returns the tagsets the model predicts: ["upos"], ["xpos"] or
// ["upos" "xpos"].
func (m *Model) Tagsets() []string { return m.Config.tagsets() }

// Tags returns the tags of the k-th tagset, in id order.
func (m *Model) Tags(k int) []string { return m.heads[k].tags }

// Params returns every trainable parameter, in a fixed order.
func (m *Model) Params() []*nn.Param {
	ps := m.wordEmb.Params()
	if m.chars != nil {
		ps = append(ps, m.chars.params()...)
	}
	for _, l := range m.layers {
		ps = append(ps, l.Params()...)
	}
	for _, h := range m.heads {
		ps = append(ps, h.params()...)
	}
	return ps
}

// Replica returns a model that shares m's weights and vocabularies, with
// its own caches, gradients and random generator (seed it with
// ReseedRand): a worker of LossGrad, or a tagger on another goroutine.
func (m *Model) Replica() *Model {
	r := &Model{Config: m.Config, Words: m.Words, Chars: m.Chars, runeIDs: m.runeIDs,
		wordEmb: m.wordEmb.Replica(), charRep: m.charRep}
	for _, h := range m.heads {
		r.heads = append(r.heads, h.replica())
	}
	if m.chars != nil {
		r.chars = m.chars.replica()
	}
	for _, l := range m.layers {
		r.layers = append(r.layers, l.Replica().(*nn.Bidirectional))
	}
	r.pcg = rand.NewPCG(0, 0)
	r.rng = rand.New(r.pcg)
	r.dropouts()
	return r
}

// ReseedRand seeds the model's generator (dropout masks, word dropout).
func (m *Model) ReseedRand(seed1, seed2 uint64) { m.pcg.Seed(seed1, seed2) }

// RandState returns the state of the model's generator, for a checkpoint;
// SetRandState restores it.
func (m *Model) RandState() ([]byte, error) { return m.pcg.MarshalBinary() }

// SetRandState restores a state RandState returned.
func (m *Model) SetRandState(b []byte) error { return m.pcg.UnmarshalBinary(b) }

// forwardPass runs the network over a batch of examples and leaves each
// head's logits ((T·B)×K, row t·B+b) in the head. With train, rare words
// are dropped to <unk> and dropout is on.
func (m *Model) forwardPass(exs []Example, train bool) {
	fw := &m.fw
	b := len(exs)
	steps := 0
	fw.lengths = fw.lengths[:0]
	for _, e := range exs {
		steps = max(steps, e.Len())
		fw.lengths = append(fw.lengths, e.Len())
	}
	if steps == 0 {
		panic("tagger: a batch of empty sentences")
	}
	fw.steps, fw.b, fw.train = steps, b, train
	n := steps * b
	fw.ids = resizeInts(fw.ids, n)
	fw.pos = resizeInts(fw.pos, n)
	fw.words = 0
	alpha := m.Config.WordDropout
	for i, e := range exs {
		fw.words += e.Len()
		for t := 0; t < steps; t++ {
			id := data.PadID
			if t < e.Len() {
				id = e.Words[t]
				if train && alpha > 0 && id != data.UnkID {
					c := float64(m.Words.Count(m.Words.Word(id)))
					if m.rng.Float64() < alpha/(alpha+c) {
						id = data.UnkID
					}
				}
			}
			fw.ids[t*b+i] = id
		}
	}
	// The rows of the word embeddings: through the layer when training
	// (its Backward reads the ids), straight from the table otherwise.
	table := m.wordEmb.W.Value
	var xw *mat.Dense
	if train {
		xw = m.wordEmb.Forward(fw.ids) // (T·B)×E
	}
	e, dc := m.Config.WordDim, m.Config.charOut()
	fw.x = nn.Ensure(fw.x, n, e+dc)
	var rep *mat.Dense
	if dc > 0 {
		rep = m.charForward(exs, train)
	}
	for r := 0; r < n; r++ {
		row := fw.x.RawRowView(r)
		if train {
			copy(row[:e], xw.RawRowView(r))
		} else {
			copy(row[:e], table.RawRowView(fw.ids[r]))
		}
		if dc == 0 {
			continue
		}
		if p := fw.pos[r]; p >= 0 {
			copy(row[e:], rep.RawRowView(p))
		} else {
			clear(row[e:])
		}
	}
	x := fw.x
	if train && m.Config.Dropout > 0 {
		x = m.inDrop.Forward(x)
	}
	hs := nn.SplitSteps(x, steps, b)
	for _, l := range m.layers {
		hs = l.ForwardSeq(hs, fw.lengths)
	}
	fw.h = nn.Ensure(fw.h, n, 2*m.Config.Hidden)
	for t, h := range hs {
		for i := 0; i < b; i++ {
			copy(fw.h.RawRowView(t*b+i), h.RawRowView(i))
		}
	}
	h := fw.h
	if train && m.Config.Dropout > 0 {
		h = m.outDrop.Forward(h)
	}
	for _, hd := range m.heads {
		hd.logits = hd.out.ForwardTo(hd.logits, h)
	}
}

// charForward computes the character representation of each distinct form
// of the batch (U×Dc) and sets fw.pos. A model with a cache (Cache) reads
// the forms it holds from there and runs the network only on the others,
// which is only right when it will not train on the batch.
func (m *Model) charForward(exs []Example, train bool) *mat.Dense {
	fw := &m.fw
	cb := &fw.chars
	cb.forms = cb.forms[:0]
	if cb.index == nil {
		cb.index = map[string]int{}
	}
	clear(cb.index)
	b := fw.b
	for i := range fw.pos {
		fw.pos[i] = -1
	}
	for i, e := range exs {
		for t, f := range e.Forms {
			u, ok := cb.index[f]
			if !ok {
				u = len(cb.forms)
				cb.index[f] = u
				cb.forms = append(cb.forms, f)
			}
			fw.pos[t*b+i] = u
		}
	}
	if !train && m.charRep != nil {
		cb.rep = m.charRep.lookup(m, cb.forms, cb.rep)
		return cb.rep
	}
	cb.rep = m.charNet(cb.forms, cb.rep)
	return cb.rep
}

// charNet runs the character network over forms and returns their
// representations (U×Dc) in dst, reused when it has the shape.
func (m *Model) charNet(forms []string, dst *mat.Dense) *mat.Dense {
	return m.chars.forward(forms, m.charIDs, dst)
}

// Loss runs the model over a batch of tagged examples, in training mode
// (word dropout and dropout on), and returns the mean negative
// log-likelihood per word: of each word's tag under the softmax, or of the
// sentence's tag sequence under the CRF, divided by the number of words;
// with two tagsets, the sum of the two.
func (m *Model) Loss(exs []Example) float64 {
	m.forwardPass(exs, true)
	loss := 0.0
	for k, h := range m.heads {
		loss += h.lossOf(k, exs, m.fw.lengths, m.fw.steps)
	}
	return loss
}

// Backward backpropagates the last Loss through the network, adding every
// parameter's gradient.
func (m *Model) Backward() {
	fw := &m.fw
	if !fw.train {
		panic("tagger: Backward without Loss")
	}
	steps, b := fw.steps, fw.b
	fw.dh = nn.Ensure(fw.dh, steps*b, 2*m.Config.Hidden)
	for k, h := range m.heads {
		d := h.backward(steps, b)
		if k == 0 {
			fw.dh.Copy(d)
		} else {
			fw.dh.Add(fw.dh, d)
		}
	}
	dh := fw.dh
	if m.Config.Dropout > 0 {
		dh = m.outDrop.Backward(dh)
	}
	ds := nn.SplitSteps(dh, steps, b)
	for k := len(m.layers) - 1; k >= 0; k-- {
		ds = m.layers[k].BackwardSeq(ds)
	}
	_, w := fw.x.Dims()
	fw.dx = nn.Ensure(fw.dx, steps*b, w) // every row is written below
	dx := fw.dx
	for t, d := range ds {
		for i := 0; i < b; i++ {
			copy(dx.RawRowView(t*b+i), d.RawRowView(i))
		}
	}
	if m.Config.Dropout > 0 {
		dx = m.inDrop.Backward(dx)
	}
	e := m.Config.WordDim
	m.wordEmb.Backward(dx.Slice(0, steps*b, 0, e).(*mat.Dense))
	if dc := m.Config.charOut(); dc > 0 {
		cb := &fw.chars
		fw.drep = nn.Ensure(fw.drep, len(cb.forms), dc)
		fw.drep.Zero()
		drep := fw.drep
		for r, p := range fw.pos {
			if p >= 0 {
				g := drep.RawRowView(p)
				for j, v := range dx.RawRowView(r)[e:] {
					g[j] += v
				}
			}
		}
		m.chars.backward(drep)
	}
}

// MinShare is the fewest sentences a worker of LossGrad gets: below it, its
// products are too thin to pay for a goroutine.
const MinShare = 8

// LossGrad is Loss followed by Backward, shared out among workers
// goroutines (0 means GOMAXPROCS; each gets at least MinShare sentences):
// data parallelism. It returns the mean loss per word and the number of
// words, and adds the gradient into the model's Grads. Each of W replicas
// (the same weights, their own gradients) takes a part of the batch; the
// loss is the mean over all N words, so the parts' gradients combine
// weighted by their word counts N_k:
//
//	L = Σ_k N_k·L_k / N,    ∂L/∂θ = Σ_k (N_k / N)·∂L_k/∂θ
//
// Each replica's generator is reseeded from the model's at every call, so
// the model's one generator state (RandState) fixes every dropout mask.
func (m *Model) LossGrad(exs []Example, workers int) (loss float64, words int) {
	w := nn.Workers(workers, len(exs), MinShare)
	if w <= 1 {
		loss = m.Loss(exs)
		m.Backward()
		return loss, m.fw.words
	}
	for len(m.replicas) < w {
		m.replicas = append(m.replicas, m.Replica())
	}
	for _, r := range m.replicas[:w] {
		r.ReseedRand(m.rng.Uint64(), m.rng.Uint64())
		nn.ZeroGrads(r.Params())
	}
	losses, counts := make([]float64, w), make([]int, w)
	nn.ShareOut(w, len(exs), func(k, lo, hi int) {
		r := m.replicas[k]
		losses[k] = r.Loss(exs[lo:hi])
		counts[k] = r.fw.words
		r.Backward()
	})
	for _, c := range counts {
		words += c
	}
	params := m.Params()
	for k, r := range m.replicas[:w] {
		share := float64(counts[k]) / float64(words)
		loss += share * losses[k]
		nn.AddGrads(params, r.Params(), share)
	}
	return loss, words
}

func resizeInts(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n)
	}
	return s[:n]
}
