package charrnn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/nn"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// Config describes a model and how it is trained.
type Config struct {
	Arch   string  // "rnn" (min-char-rnn) or "lstm"
	Hidden int     // H, the width of every recurrent layer
	Layers int     // number of stacked recurrent layers
	Embed  int     // E, the embedding width (lstm only; rnn reads one-hot vectors)
	Seq    int     // T, characters per chunk
	Batch  int     // B, lanes read side by side
	LR     float64 // learning rate
	Clip   float64 // rnn: element-wise clip; lstm: global-norm clip
	Smooth float64 // factor of the smooth loss's moving average
	// Pipeline runs the recurrent layers each on a goroutine of its own,
	// pipelined over the chunk's steps (nn.Pipeline): GNMT's model
	// parallelism. The numbers are those of the plain stack.
	Pipeline bool `json:",omitempty"`
}

// MinCharRNN is min-char-rnn's configuration.
func MinCharRNN() Config {
	return Config{Arch: "rnn", Hidden: 100, Layers: 1, Seq: 25, Batch: 1, LR: 0.1, Clip: 5, Smooth: 0.999}
}

// DefaultLSTM is the configuration of the batched LSTM model: 2 layers of 256.
func DefaultLSTM() Config {
	return Config{Arch: "lstm", Hidden: 256, Layers: 2, Embed: 64, Seq: 100, Batch: 32, LR: 2e-3, Clip: 5, Smooth: 0.98}
}

// Validate reports the first field that is out of range.
func (c Config) Validate() error {
	switch {
	case c.Arch != "rnn" && c.Arch != "lstm":
		return fmt.Errorf("charrnn: arch %q: want rnn or lstm", c.Arch)
	case c.Hidden < 1:
		return fmt.Errorf("charrnn: hidden %d: want at least 1", c.Hidden)
	case c.Layers < 1 || c.Layers > 3:
		return fmt.Errorf("charrnn: layers %d: want 1, 2 or 3", c.Layers)
	case c.Arch == "lstm" && c.Embed < 1:
		return fmt.Errorf("charrnn: embed %d: want at least 1", c.Embed)
	case c.Seq < 1:
		return fmt.Errorf("charrnn: seq %d: want at least 1", c.Seq)
	case c.Batch < 1:
		return fmt.Errorf("charrnn: batch %d: want at least 1", c.Batch)
	case !(c.LR > 0):
		return fmt.Errorf("charrnn: lr %v: want a positive number", c.LR)
	case c.Clip < 0 || math.IsNaN(c.Clip):
		return fmt.Errorf("charrnn: clip %v: want 0 (none) or a positive number", c.Clip)
	case !(c.Smooth >= 0 && c.Smooth < 1):
		return fmt.Errorf("charrnn: smooth %v: want a number in [0, 1)", c.Smooth)
	case c.Pipeline && c.Layers < 2:
		return fmt.Errorf("charrnn: pipeline: a pipeline needs at least 2 layers, not %d", c.Layers)
	}
	return nil
}

// Model is a character language model: input layer, recurrent layers,
// output layer, over a character vocabulary.
type Model struct {
	Config Config
	Vocab  *data.CharVocab

	embed  *nn.Embedding // lstm only
	layers []nn.Recurrent
	stack  nn.SeqLayer // the layers as one: an nn.Stack, or with Config.Pipeline an nn.Pipeline over it
	out    *nn.Linear
	loss   nn.SoftmaxCrossEntropy
	hidden *mat.Dense // (T·B)×H, the top layer's outputs of the last forward
	steps  int        // T of the last forward

	// Buffers reused from chunk to chunk, so that a training step
	// allocates little beyond what the layers return.
	onehot  *mat.Dense // (T·B)×V, rnn's inputs
	flat    []int      // the targets, time-major
	xs      blocks     // the steps of the first layer's input
	hsteps  blocks     // the steps of hidden
	dsteps  blocks     // the steps of ∂L/∂hidden
	dx      *mat.Dense // (T·B)×E, ∂L/∂(embedding output), lstm only
	dxsteps blocks     // the steps of dx

	// replicas share the weights for LossGrad, each with the carried
	// state of its own lanes; lanes[k] is the first lane of replicas[k]
	// (and lanes[len(replicas)] = B).
	replicas []*Model
	lanes    []int
}

// blocks are the T views (each B×w) of the time steps of a (T·B)×w matrix,
// made once and pointed at each new matrix with SetRawMatrix rather than
// sliced anew: slicing them was most of min-char-rnn's 118 allocations per
// training step.
type blocks []*mat.Dense

// of points the views at the T blocks of rows of m, (T·B)×w, and returns
// them.
func (bs *blocks) of(m *mat.Dense, steps int) []*mat.Dense {
	if len(*bs) != steps {
		*bs = make(blocks, steps)
		for t := range *bs {
			(*bs)[t] = new(mat.Dense)
		}
	}
	a := m.RawMatrix()
	b := a.Rows / steps
	for t, v := range *bs {
		lo := t * b * a.Stride
		v.SetRawMatrix(blas64.General{Rows: b, Cols: a.Cols, Stride: a.Stride, Data: a.Data[lo : lo+(b-1)*a.Stride+a.Cols]})
	}
	return *bs
}

// New returns a freshly initialised model for cfg over vocab.
func New(cfg Config, vocab *data.CharVocab, rng *rand.Rand) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if vocab == nil || vocab.Size() < 2 {
		return nil, fmt.Errorf("charrnn: the vocabulary needs at least 2 characters")
	}
	v := vocab.Size()
	m := &Model{Config: cfg, Vocab: vocab}
	in := v
	if cfg.Arch == "lstm" {
		m.embed = nn.NewEmbedding(rng, v, cfg.Embed)
		in = cfg.Embed
	}
	for i := 0; i < cfg.Layers; i++ {
		if cfg.Arch == "rnn" {
			l := nn.NewRNN(rng, in, cfg.Hidden)
			l.NoInputGrad = i == 0 // the one-hot characters need no gradient
			m.layers = append(m.layers, l)
		} else {
			m.layers = append(m.layers, nn.NewLSTM(rng, in, cfg.Hidden))
		}
		in = cfg.Hidden
	}
	m.out = nn.NewLinear(rng, cfg.Hidden, v)
	if cfg.Arch == "rnn" {
		// min-char-rnn: every weight ~ N(0,1)·0.01, biases zero.
		for _, p := range m.Params() {
			if p.Value.RawMatrix().Rows > 1 {
				nn.InitNormal(rng, p.Value, 0.01)
			} else {
				p.Value.Zero()
			}
		}
	}
	m.loss.Sum = cfg.Arch == "rnn"
	m.stackLayers()
	m.nameParams()
	return m, nil
}

// stackLayers sets m.stack over m.layers.
func (m *Model) stackLayers() {
	s := nn.NewStack()
	for _, l := range m.layers {
		s.Layers = append(s.Layers, l)
	}
	m.stack = s
	if m.Config.Pipeline {
		m.stack = nn.NewPipeline(s)
	}
}

// nameParams gives every parameter a unique, stable name for checkpoints:
// "embed.W", "lstm0.Wx", "out.b".
func (m *Model) nameParams() {
	if m.embed != nil {
		nn.PrefixNames("embed", m.embed.Params())
	}
	for i, l := range m.layers {
		nn.PrefixNames(fmt.Sprintf("%s%d", m.Config.Arch, i), l.Params())
	}
	nn.PrefixNames("out", m.out.Params())
}

// Params returns every trainable parameter, in a fixed order.
func (m *Model) Params() []*nn.Param {
	var ps []*nn.Param
	if m.embed != nil {
		ps = append(ps, m.embed.Params()...)
	}
	for _, l := range m.layers {
		ps = append(ps, l.Params()...)
	}
	return append(ps, m.out.Params()...)
}

// replica returns a model that shares m's weights but has its own caches,
// gradients and recurrent state: used for sampling and evaluation, so that
// neither disturbs a training in progress.
func (m *Model) replica() *Model {
	r := &Model{Config: m.Config, Vocab: m.Vocab, out: m.out.Replica()}
	if m.embed != nil {
		r.embed = m.embed.Replica()
	}
	for _, l := range m.layers {
		r.layers = append(r.layers, nn.ReplicaOf(l).(nn.Recurrent)) // the replica of a layer is of its kind
	}
	r.stackLayers()
	r.loss.Sum = m.loss.Sum
	return r
}

// ResetState sets every layer's carried state to zero, the replicas' of
// LossGrad included.
func (m *Model) ResetState() {
	for _, l := range m.layers {
		l.SetState(nil, nil)
	}
	for _, r := range m.replicas {
		r.ResetState()
	}
}

// MinLanes is the fewest lanes LossGrad gives a replica: with fewer, the
// replica's products are too short for its goroutine to pay.
const MinLanes = 8

// LossGrad is Loss followed by Backward, with the chunk's B lanes shared
// out among up to workers replicas of the model (GOMAXPROCS when workers ≤
// 0, at least MinLanes lanes each): data parallelism. Each replica runs on
// its own goroutine with the model's weights and its own caches,
// gradients and carried state, the state of its lanes; their gradients,
// weighted by their share of the loss, are added into the model's. The
// loss and the gradients are those of Loss and Backward up to the order of
// the sums. Keep workers fixed during a training: each replica carries the
// state of its own lanes, which a different split would not find.
func (m *Model) LossGrad(inputs, targets [][]int, workers int) float64 {
	b := len(inputs[0])
	w := workers
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	w = min(w, b/MinLanes)
	if w <= 1 {
		loss := m.Loss(inputs, targets)
		m.Backward()
		return loss
	}
	if len(m.replicas) != w || m.lanes[w] != b {
		m.gatherState() // the lanes' carried state moves to the new split (state.go)
		m.replicas, m.lanes = make([]*Model, w), make([]int, w+1)
		for k := range m.replicas {
			m.replicas[k] = m.replica()
			m.lanes[k+1] = (k + 1) * b / w
		}
		m.shareState()
	}
	losses := make([]float64, w)
	var wg sync.WaitGroup
	for k, r := range m.replicas {
		lo, hi := m.lanes[k], m.lanes[k+1]
		nn.ZeroGrads(r.Params())
		wg.Add(1)
		go func() {
			defer wg.Done()
			losses[k] = r.Loss(lanes(inputs, lo, hi), lanes(targets, lo, hi))
			r.Backward()
		}()
	}
	wg.Wait()
	loss, params := 0.0, m.Params()
	for k, r := range m.replicas {
		// A mean loss (lstm) is the lanes' mean: each replica's mean
		// weighs its share of the lanes. A summed one (rnn) adds up.
		share := 1.0
		if !m.loss.Sum {
			share = float64(m.lanes[k+1]-m.lanes[k]) / float64(b)
		}
		loss += share * losses[k]
		nn.AddGrads(params, r.Params(), share)
	}
	return loss
}

// lanes returns lanes lo…hi−1 of time-major ids (T×B) as T×(hi−lo) views.
func lanes(ids [][]int, lo, hi int) [][]int {
	out := make([][]int, len(ids))
	for t, step := range ids {
		out[t] = step[lo:hi]
	}
	return out
}

// inputs returns the first layer's input for time-major ids (T×B):
// embedding rows for lstm, one-hot rows for rnn. The matrices belong to m
// and are overwritten by the next call.
func (m *Model) inputs(ids [][]int) []*mat.Dense {
	t, b := len(ids), len(ids[0])
	if m.embed != nil {
		return m.xs.of(m.embed.Forward(m.flatten(ids)), t)
	}
	v := m.Vocab.Size()
	m.onehot = nn.Ensure(m.onehot, t*b, v)
	m.onehot.Zero()
	for i, step := range ids {
		for j, id := range step {
			m.onehot.Set(i*b+j, id, 1)
		}
	}
	return m.xs.of(m.onehot, t)
}

// flatten returns time-major ids (T×B) as one list, row t·B+b; the list
// belongs to m and is overwritten by the next call.
func (m *Model) flatten(ids [][]int) []int {
	m.flat = m.flat[:0]
	for _, step := range ids {
		m.flat = append(m.flat, step...)
	}
	return m.flat
}

// forward runs the model over time-major ids (T×B), carrying each layer's
// state on from the last call, and returns the logits ((T·B)×V, row t·B+b).
func (m *Model) forward(ids [][]int) *mat.Dense {
	for _, l := range m.layers {
		l.SetState(l.State()) // start where the last chunk ended
	}
	hs := m.stack.ForwardSeq(m.inputs(ids), nil)
	t, b := len(ids), len(ids[0])
	m.steps = t
	m.hidden = nn.Ensure(m.hidden, t*b, m.Config.Hidden)
	for i, h := range m.hsteps.of(m.hidden, t) {
		h.Copy(hs[i])
	}
	return m.out.Forward(m.hidden)
}

// Loss runs the model over a chunk and returns its loss against targets
// (both T×B, time-major): the chunk's summed loss for rnn, nats per
// character for lstm.
func (m *Model) Loss(inputs, targets [][]int) float64 {
	logits := m.forward(inputs)
	return m.loss.Forward(logits, m.flatten(targets), nil)
}

// Backward backpropagates the last Loss through the chunk, accumulating
// every parameter's gradient.
func (m *Model) Backward() {
	dh := m.out.Backward(m.loss.Backward())             // (T·B)×H
	ds := m.stack.BackwardSeq(m.dsteps.of(dh, m.steps)) // nil from rnn's first layer (NoInputGrad)
	if m.embed != nil {
		rows := dh.RawMatrix().Rows
		m.dx = nn.Ensure(m.dx, rows, m.Config.Embed)
		for t, d := range m.dxsteps.of(m.dx, m.steps) {
			d.Copy(ds[t])
		}
		m.embed.Backward(m.dx)
	}
}
