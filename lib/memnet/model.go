package memnet

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/seq2go/seq2go/lib/attention"
	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/nn"
)

// The sentence encodings and weight tyings a Config names.
const (
	BagOfWords       = "bow" // m_i = Σ_j A·x_ij
	PositionEncoding = "pe"  // m_i = Σ_j l_j ⊙ A·x_ij

	Adjacent  = "adjacent"  // A^{k+1} = C^k, B = A^1, W = C^Kᵀ
	LayerWise = "layerwise" // A^k = A, C^k = C, u^{k+1} = u^k·H + o^k
)

// Config is a memory network's architecture.
type Config struct {
	Dim      int     `json:"dim"`      // d, the embedding width: 20 for a model of one task, 50 for the joint model
	Hops     int     `json:"hops"`     // K, the number of hops
	Encoding string  `json:"encoding"` // BagOfWords or PositionEncoding
	Tying    string  `json:"tying"`    // Adjacent or LayerWise
	Temporal bool    `json:"temporal"` // add the temporal encoding T_A, T_C
	Memory   int     `json:"memory"`   // at most this many of the latest sentences are in memory
	Noise    float64 `json:"noise"`    // random noise: up to this fraction of empty memories in training
	InitStd  float64 `json:"init_std"` // weights start from N(0, InitStd²)
}

// DefaultConfig is the paper's best model of one task on the 1k data ("PE
// LS RN", Table 1): d = 20, three hops, position encoding, adjacent
// tying, temporal encoding with 10 % random noise, 50 memories, weights from
// N(0, 0.1²).
func DefaultConfig() Config {
	return Config{Dim: 20, Hops: 3, Encoding: PositionEncoding, Tying: Adjacent, Temporal: true, Memory: 50, Noise: 0.1, InitStd: 0.1}
}

// JointConfig is DefaultConfig with d = 50, the paper's width for one
// model of all 20 tasks.
func JointConfig() Config {
	c := DefaultConfig()
	c.Dim = 50
	return c
}

// Check returns an error for a configuration that cannot be built.
func (c Config) Check() error {
	switch {
	case c.Dim < 1 || c.Hops < 1 || c.Memory < 1:
		return fmt.Errorf("memnet: dim, hops and memory must be positive, have %d, %d and %d", c.Dim, c.Hops, c.Memory)
	case c.Encoding != BagOfWords && c.Encoding != PositionEncoding:
		return fmt.Errorf("memnet: unknown encoding %q (want %s or %s)", c.Encoding, BagOfWords, PositionEncoding)
	case c.Tying != Adjacent && c.Tying != LayerWise:
		return fmt.Errorf("memnet: unknown weight tying %q (want %s or %s)", c.Tying, Adjacent, LayerWise)
	case !(c.Noise >= 0 && c.Noise <= 1):
		return fmt.Errorf("memnet: noise %v outside [0, 1]", c.Noise)
	}
	return nil
}

// Model is an end-to-end memory network (see the package documentation):
// its configuration, vocabulary and weights, and the caches of the last
// batch.
//
// The weights depend on the tying. Adjacent: K+1 embeddings E_0 … E_K
// (V×d), where hop k reads its memory with A^k = E_{k−1} and its output
// with C^k = E_k, the question is embedded with B = E_0, and the answer is
// scored with W = E_Kᵀ; and K+1 temporal encodings T_0 … T_K (Memory×d)
// alongside. Layer-wise: Emb = B, A, C, W (the answer's V×d), Time = T_A,
// T_C, and H (d×d).
type Model struct {
	Config Config
	Vocab  *data.WordVocab
	Tasks  []int // the bAbI tasks it was trained on
	Emb    []*nn.Param
	Time   []*nn.Param // nil without temporal encoding
	H      *nn.Param   // layer-wise tying only
	// Linear removes the softmax from every hop: the paper's linear start,
	// the first phase of training.
	Linear bool

	query   Encoder             // question → u¹, with B
	mems    []Encoder           // the memory encodings the hops read
	slots   []slots             // their layout in memory, with their temporal encodings
	keys    []int               // hop k's keys (m_i) are mems[keys[k]]
	values  []int               // and its values (c_i) mems[values[k]]
	answer  *nn.Param           // the V×d answer matrix: E_K or W
	hops    []attention.Dot     // one per hop
	hopMem  []*attention.Memory // the memory each hop read
	weights []*mat.Dense        // and its weights, B×M
	loss    nn.SoftmaxCrossEntropy
	b       batch
	enc     []*mat.Dense // the batch's distinct sentences encoded, U×d each
	denc    []*mat.Dense
	encBuf  []*mat.Dense // enc and denc are their first U rows
	dencBuf []*mat.Dense
	mem     []*mat.Dense   // the memories, (M·B)×d each
	memStep [][]*mat.Dense // and their M steps of B×d
	dmem    []*mat.Dense
	dStep   [][]*mat.Dense
	u, o    []*mat.Dense // u^1 … u^{K+1} and o^1 … o^K, B×d each (o: the hops')
	logits  *mat.Dense   // B×V
	du      *mat.Dense   // B×d, Backward's
	prev    *mat.Dense
	shape   [3]int // B, M and U of the buffers

	pcg      *rand.PCG
	rng      *rand.Rand // random noise
	replicas []*Model
}

// New returns a model of cfg over vocab with weights drawn from rng.
func New(rng *rand.Rand, cfg Config, vocab *data.WordVocab) (*Model, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	v, d := vocab.Size(), cfg.Dim
	m := &Model{Config: cfg, Vocab: vocab}
	emb := func(name string, rows, cols int) *nn.Param {
		p := nn.NewParam(name, rows, cols)
		nn.InitNormal(rng, p.Value, cfg.InitStd)
		return p
	}
	switch cfg.Tying {
	case Adjacent:
		for k := 0; k <= cfg.Hops; k++ {
			m.Emb = append(m.Emb, emb(fmt.Sprintf("E%d", k), v, d))
			if cfg.Temporal {
				m.Time = append(m.Time, emb(fmt.Sprintf("T%d", k), cfg.Memory, d))
			}
		}
	case LayerWise:
		for _, name := range []string{"B", "A", "C", "W"} {
			m.Emb = append(m.Emb, emb(name, v, d))
		}
		if cfg.Temporal {
			m.Time = []*nn.Param{emb("TA", cfg.Memory, d), emb("TC", cfg.Memory, d)}
		}
		m.H = emb("H", d, d)
	}
	m.build(rng.Uint64(), rng.Uint64())
	return m, nil
}

// build wires the encoders and hops to the parameters and seeds the
// generator of the random noise.
func (m *Model) build(seed1, seed2 uint64) {
	cfg := m.Config
	pe := cfg.Encoding == PositionEncoding
	time := func(k int) *nn.Param {
		if m.Time == nil {
			return nil
		}
		return m.Time[k]
	}
	m.mems, m.slots, m.keys, m.values = nil, nil, nil, nil
	switch cfg.Tying {
	case Adjacent:
		m.query = Encoder{E: m.Emb[0], PE: pe}
		for k := 0; k <= cfg.Hops; k++ {
			m.mems = append(m.mems, Encoder{E: m.Emb[k], PE: pe})
			m.slots = append(m.slots, slots{T: time(k)})
		}
		for k := 0; k < cfg.Hops; k++ {
			m.keys, m.values = append(m.keys, k), append(m.values, k+1)
		}
		m.answer = m.Emb[cfg.Hops]
	case LayerWise:
		m.query = Encoder{E: m.Emb[0], PE: pe}
		m.mems = []Encoder{{E: m.Emb[1], PE: pe}, {E: m.Emb[2], PE: pe}}
		m.slots = []slots{{T: time(0)}, {T: time(1)}}
		for k := 0; k < cfg.Hops; k++ {
			m.keys, m.values = append(m.keys, 0), append(m.values, 1)
		}
		m.answer = m.Emb[3]
	}
	m.hops = make([]attention.Dot, cfg.Hops)
	m.hopMem, m.weights = make([]*attention.Memory, cfg.Hops), make([]*mat.Dense, cfg.Hops)
	m.loss = nn.SoftmaxCrossEntropy{Sum: true}
	m.pcg = rand.NewPCG(seed1, seed2)
	m.rng = rand.New(m.pcg)
}

// Params returns the weights: the embeddings, the temporal encodings, and H.
func (m *Model) Params() []*nn.Param {
	ps := append(append([]*nn.Param(nil), m.Emb...), m.Time...)
	if m.H != nil {
		ps = append(ps, m.H)
	}
	return ps
}

// Replica returns a model that shares m's weights (Value), with its own
// gradients, caches and generator (which LossGrad seeds at every call from
// m's, so that making replicas draws nothing from m's): a worker of
// LossGrad.
func (m *Model) Replica() *Model {
	r := &Model{Config: m.Config, Vocab: m.Vocab, Tasks: m.Tasks, Linear: m.Linear}
	for _, p := range m.Emb {
		r.Emb = append(r.Emb, p.Replica())
	}
	for _, p := range m.Time {
		r.Time = append(r.Time, p.Replica())
	}
	if m.H != nil {
		r.H = m.H.Replica()
	}
	r.build(0, 0)
	return r
}

// batch is a batch of examples laid out for the encoders: the distinct
// sentences of its memories, and the slots of the memory that they fill,
// memory i of row b being slot i·B+b (the padded layout of package nn's
// sequence batches). The empty slots of each row's memory of
// Config.Memory slots are counted, not stored (attention.Memory.Empty).
type batch struct {
	rows      int
	steps     int       // M, the most memories of a row
	sents     [][]int   // U distinct sentences
	idx       []int     // M·B: the sentence of each slot, −1 for none
	ages      []int     // M·B: the age of each slot, −1 for padding
	lengths   []int     // B: the memories of each row
	empty     []int     // B: the empty slots of each row's memory
	questions [][]int   // B
	targets   []int     // B answer ids (0 where unknown)
	mask      []float64 // B: 1 where the answer is known
	seen      map[*int]int
	perm      []int
}

// fill lays out exs. Sentences are told apart by their backing arrays:
// Examples gives equal sentences one array, so a sentence that many
// questions remember is encoded once. With rng, the ages get the paper's
// random noise: each row's n memories take n of n + z ages, z drawn from
// 0 … ⌈noise·n⌉, as if z empty memories were scattered among them (the
// paper's code: the empty memories take up ages, not places in memory).
func (b *batch) fill(exs []Example, memory int, noise float64, rng *rand.Rand) {
	b.rows, b.steps = len(exs), 1 // one step at least, empty when no row has a memory
	for _, ex := range exs {
		b.steps = max(b.steps, len(ex.Story))
	}
	n := b.steps * b.rows
	b.idx = slices.Grow(b.idx[:0], n)[:n]
	b.ages = slices.Grow(b.ages[:0], n)[:n]
	for i := range b.idx {
		b.idx[i], b.ages[i] = -1, -1
	}
	if b.seen == nil {
		b.seen = map[*int]int{}
	}
	clear(b.seen)
	b.sents = b.sents[:0]
	b.lengths, b.empty = b.lengths[:0], b.empty[:0]
	b.questions, b.targets, b.mask = b.questions[:0], b.targets[:0], b.mask[:0]
	for r, ex := range exs {
		k := len(ex.Story)
		b.lengths, b.empty = append(b.lengths, k), append(b.empty, memory-k)
		b.questions = append(b.questions, ex.Question)
		if ex.Answer >= 0 {
			b.targets, b.mask = append(b.targets, ex.Answer), append(b.mask, 1)
		} else {
			b.targets, b.mask = append(b.targets, 0), append(b.mask, 0)
		}
		var ages []int
		if rng != nil && noise > 0 && k > 0 {
			z := rng.IntN(int(math.Ceil(noise*float64(k))) + 1)
			b.perm = append(b.perm[:0], rng.Perm(k + z)[:k]...)
			slices.Sort(b.perm)
			slices.Reverse(b.perm) // the oldest memory gets the largest age
			ages = b.perm
		}
		for i, s := range ex.Story {
			age := k - 1 - i // 0: the latest sentence
			if ages != nil {
				age = ages[i]
			}
			slot := i*b.rows + r
			b.ages[slot] = min(age, memory-1)
			if len(s) == 0 {
				continue
			}
			u, ok := b.seen[&s[0]]
			if !ok {
				u = len(b.sents)
				b.seen[&s[0]] = u
				b.sents = append(b.sents, s)
			}
			b.idx[slot] = u
		}
	}
}

// Loss runs the network on exs and returns the summed cross-entropy of
// their answers (examples without a known answer count nothing). With
// train set, the ages get random noise. The caches are kept for Backward.
func (m *Model) Loss(exs []Example, train bool) float64 {
	cfg := m.Config
	var rng *rand.Rand
	if train {
		rng = m.rng
	}
	m.b.fill(exs, cfg.Memory, cfg.Noise, rng)
	m.resize()
	for k := range m.mems {
		m.mems[k].Forward(m.enc[k], m.b.sents)
		m.slots[k].Forward(m.mem[k], m.enc[k], m.b.idx, m.b.ages)
	}
	m.query.Forward(m.u[0], m.b.questions)
	for k := range m.hops {
		// p_i = softmax_i(u^k·m_i), o^k = Σ_i p_i·c_i: dot attention with
		// the keys m_i and the values c_i, over all Config.Memory slots: an
		// empty one (zero) scores 0 and adds nothing to o^k.
		h := &m.hops[k]
		h.Linear = m.Linear
		m.hopMem[k] = h.Memory(m.memStep[m.keys[k]], m.memStep[m.values[k]], m.b.lengths)
		m.hopMem[k].Empty = m.b.empty
		m.o[k], m.weights[k] = h.Forward(m.u[k], m.hopMem[k])
		if m.H != nil {
			m.u[k+1].Mul(m.u[k], m.H.Value) // u^{k+1} = u^k·H + o^k
			m.u[k+1].Add(m.u[k+1], m.o[k])
		} else {
			m.u[k+1].Add(m.u[k], m.o[k]) // u^{k+1} = u^k + o^k
		}
	}
	m.logits.Mul(m.u[cfg.Hops], m.answer.Value.T()) // (B×V) = (B×d)·(d×V), W = answerᵀ
	return m.loss.Forward(m.logits, m.b.targets, m.b.mask)
}

// resize makes the buffers of a batch of B rows and M memories, keeping
// those of the last batch while the shape holds.
func (m *Model) resize() {
	B, M, U, d := m.b.rows, m.b.steps, max(len(m.b.sents), 1), m.Config.Dim
	if m.shape[0] == B && m.shape[1] == M && m.shape[2] >= U {
		for k := range m.enc {
			m.enc[k] = m.encBuf[k].Slice(0, U, 0, d).(*mat.Dense)
			m.denc[k] = m.dencBuf[k].Slice(0, U, 0, d).(*mat.Dense)
		}
		return
	}
	m.shape = [3]int{B, M, max(U, B*M/2)} // room for more sentences next time
	n := len(m.mems)
	m.encBuf, m.dencBuf = make([]*mat.Dense, n), make([]*mat.Dense, n)
	m.enc, m.denc = make([]*mat.Dense, n), make([]*mat.Dense, n)
	for k := range n {
		m.encBuf[k], m.dencBuf[k] = mat.NewDense(m.shape[2], d, nil), mat.NewDense(m.shape[2], d, nil)
		m.enc[k] = m.encBuf[k].Slice(0, U, 0, d).(*mat.Dense)
		m.denc[k] = m.dencBuf[k].Slice(0, U, 0, d).(*mat.Dense)
	}
	m.mem, m.dmem = make([]*mat.Dense, n), make([]*mat.Dense, n)
	m.memStep, m.dStep = make([][]*mat.Dense, n), make([][]*mat.Dense, n)
	for k := range n {
		m.mem[k], m.dmem[k] = mat.NewDense(M*B, d, nil), mat.NewDense(M*B, d, nil)
		m.memStep[k], m.dStep[k] = nn.SplitSteps(m.mem[k], M, B), nn.SplitSteps(m.dmem[k], M, B)
	}
	m.u, m.o = make([]*mat.Dense, m.Config.Hops+1), make([]*mat.Dense, m.Config.Hops)
	for k := range m.u {
		m.u[k] = mat.NewDense(B, d, nil)
	}
	v, _ := m.answer.Value.Dims()
	m.logits = mat.NewDense(B, v, nil)
	m.du, m.prev = mat.NewDense(B, d, nil), mat.NewDense(B, d, nil)
}

// Backward adds the gradients of the last Loss into the parameters' Grad.
func (m *Model) Backward() {
	cfg := m.Config
	dlogits := m.loss.Backward()
	// ∂L/∂answer += ∂L/∂logitsᵀ·u^{K+1}: (V×d) += (V×B)·(B×d)
	nn.AddWeightGrad(m.answer.Grad, dlogits, m.u[cfg.Hops])
	du, prev := m.du, m.prev
	du.Mul(dlogits, m.answer.Value) // (B×d) = (B×V)·(V×d)
	for _, g := range m.dmem {
		g.Zero()
	}
	for k := cfg.Hops - 1; k >= 0; k-- {
		if m.H != nil {
			prev.Mul(du, m.H.Value.T())            // ∂L/∂u^k = ∂L/∂u^{k+1}·Hᵀ + …
			nn.AddWeightGrad(m.H.Grad, m.u[k], du) // ∂L/∂H += u^kᵀ·∂L/∂u^{k+1}
		} else {
			prev.Copy(du) // ∂L/∂u^k = ∂L/∂u^{k+1} + …
		}
		// … + the attention's share, with ∂L/∂o^k = ∂L/∂u^{k+1}
		prev.Add(prev, m.hops[k].Backward(du, nil))
		dkeys, dvalues := m.hops[k].MemoryBackward(m.hopMem[k])
		addSlots(m.dStep[m.keys[k]], dkeys)
		addSlots(m.dStep[m.values[k]], dvalues)
		du, prev = prev, du
	}
	m.query.Backward(du)
	for k := range m.mems {
		m.denc[k].Zero()
		m.slots[k].Backward(m.dmem[k], m.denc[k])
		m.mems[k].Backward(m.denc[k])
	}
}

// addSlots adds the slots src into dst, slot by slot.
func addSlots(dst, src []*mat.Dense) {
	for i, s := range src {
		dst[i].Add(dst[i], s)
	}
}

// MinShare is the fewest questions a worker of LossGrad gets: below it a
// goroutine costs more than it saves.
const MinShare = 8

// LossGrad is Loss (with random noise) followed by Backward, shared out
// among workers goroutines (0 means GOMAXPROCS), each with a model replica
// and a share of exs: data parallelism. It returns the mean loss per
// question and the number of questions with a known answer; the gradients
// it adds are those of the summed loss, as in the paper ("the cost is not
// averaged over a batch"), which is what its learning rate of 0.01 and
// clipping at 40 were chosen for.
func (m *Model) LossGrad(exs []Example, workers int) (loss float64, n int) {
	w := nn.Workers(workers, len(exs), MinShare)
	if w <= 1 {
		loss = m.Loss(exs, true)
		m.Backward()
		return loss / max(count(m.b.mask), 1), int(count(m.b.mask))
	}
	for len(m.replicas) < w {
		m.replicas = append(m.replicas, m.Replica())
	}
	for _, r := range m.replicas[:w] {
		r.pcg.Seed(m.rng.Uint64(), m.rng.Uint64())
		r.Linear = m.Linear
		nn.ZeroGrads(r.Params())
	}
	losses, counts := make([]float64, w), make([]float64, w)
	nn.ShareOut(w, len(exs), func(k, lo, hi int) {
		r := m.replicas[k]
		losses[k] = r.Loss(exs[lo:hi], true)
		counts[k] = count(r.b.mask)
		r.Backward()
	})
	var total, c float64
	params := m.Params()
	for k, r := range m.replicas[:w] {
		total, c = total+losses[k], c+counts[k]
		nn.AddGrads(params, r.Params(), 1)
	}
	return total / max(c, 1), int(c)
}

func count(mask []float64) float64 {
	s := 0.0
	for _, x := range mask {
		s += x
	}
	return s
}
