package charrnn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/nn"
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
	out    *nn.Linear
	loss   nn.SoftmaxCrossEntropy
	hidden *mat.Dense // (T·B)×H, the top layer's outputs of the last forward
	steps  int        // T of the last forward
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
			m.layers = append(m.layers, nn.NewRNN(rng, in, cfg.Hidden))
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
	m.nameParams()
	return m, nil
}

// nameParams gives every parameter a unique, stable name for checkpoints.
func (m *Model) nameParams() {
	if m.embed != nil {
		m.embed.W.Name = "embed.W"
	}
	for i, l := range m.layers {
		for _, p := range l.Params() {
			p.Name = fmt.Sprintf("%s%d.%s", m.Config.Arch, i, baseName(p.Name))
		}
	}
	m.out.W.Name, m.out.B.Name = "out.W", "out.b"
}

// baseName strips an earlier prefix, so naming is idempotent.
func baseName(name string) string {
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '.' {
			return name[i+1:]
		}
	}
	return name
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
		switch l := l.(type) {
		case *nn.RNN:
			r.layers = append(r.layers, l.Replica())
		case *nn.LSTM:
			r.layers = append(r.layers, l.Replica())
		default:
			panic(fmt.Sprintf("charrnn: no replica for layer type %T", l))
		}
	}
	r.loss.Sum = m.loss.Sum
	return r
}

// ResetState sets every layer's carried state to zero.
func (m *Model) ResetState() {
	for _, l := range m.layers {
		l.SetState(nil, nil)
	}
}

// inputs returns the first layer's input for time-major ids (T×B):
// embedding rows for lstm, one-hot rows for rnn.
func (m *Model) inputs(ids [][]int) []*mat.Dense {
	xs := make([]*mat.Dense, len(ids))
	if m.embed != nil {
		flat := make([]int, 0, len(ids)*len(ids[0]))
		for _, step := range ids {
			flat = append(flat, step...)
		}
		all := m.embed.Forward(flat)
		b := len(ids[0])
		for t := range ids {
			xs[t] = all.Slice(t*b, (t+1)*b, 0, m.Config.Embed).(*mat.Dense)
		}
		return xs
	}
	v := m.Vocab.Size()
	for t, step := range ids {
		x := mat.NewDense(len(step), v, nil)
		for b, id := range step {
			x.Set(b, id, 1)
		}
		xs[t] = x
	}
	return xs
}

// forward runs the model over time-major ids (T×B), carrying each layer's
// state on from the last call, and returns the logits ((T·B)×V, row t·B+b).
func (m *Model) forward(ids [][]int) *mat.Dense {
	hs := m.inputs(ids)
	for _, l := range m.layers {
		l.SetState(l.State()) // start where the last chunk ended
		hs = l.ForwardSeq(hs, nil)
	}
	t, b := len(ids), len(ids[0])
	m.steps = t
	if m.hidden == nil || m.hidden.RawMatrix().Rows != t*b {
		m.hidden = mat.NewDense(t*b, m.Config.Hidden, nil)
	}
	for i, h := range hs {
		m.hidden.Slice(i*b, (i+1)*b, 0, m.Config.Hidden).(*mat.Dense).Copy(h)
	}
	return m.out.Forward(m.hidden)
}

// Loss runs the model over a chunk and returns its loss against targets
// (both T×B, time-major): the chunk's summed loss for rnn, nats per
// character for lstm.
func (m *Model) Loss(inputs, targets [][]int) float64 {
	logits := m.forward(inputs)
	flat := make([]int, 0, len(targets)*len(targets[0]))
	for _, step := range targets {
		flat = append(flat, step...)
	}
	return m.loss.Forward(logits, flat, nil)
}

// Backward backpropagates the last Loss through the chunk, accumulating
// every parameter's gradient.
func (m *Model) Backward() {
	dh := m.out.Backward(m.loss.Backward()) // (T·B)×H
	b := dh.RawMatrix().Rows / m.steps
	ds := make([]*mat.Dense, m.steps)
	for t := range ds {
		ds[t] = dh.Slice(t*b, (t+1)*b, 0, m.Config.Hidden).(*mat.Dense)
	}
	for i := len(m.layers) - 1; i >= 0; i-- {
		ds = m.layers[i].BackwardSeq(ds)
	}
	if m.embed != nil {
		dx := mat.NewDense(m.steps*b, m.Config.Embed, nil)
		for t, d := range ds {
			dx.Slice(t*b, (t+1)*b, 0, m.Config.Embed).(*mat.Dense).Copy(d)
		}
		m.embed.Backward(dx)
	}
}
