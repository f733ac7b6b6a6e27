package charrnn

import (
	"fmt"
	"math"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/optim"
	"github.com/seq2go/seq2go/lib/training"
)

// Trainer trains a Model on a stream of character ids on lib/training's
// loop, which it embeds: Run, TrainStep, Save, Restore, Step and SmoothLoss
// are the loop's. The Trainer is the loop's training.Model — it reads the
// next chunk of the stream for each step (LossGrad) — and adds what a
// checkpoint needs beyond the loop's state: the position in the stream and
// the recurrent state carried from chunk to chunk.
type Trainer struct {
	*training.Loop
	Model   *Model
	Batches *data.StreamBatcher
	Val     []int // validation stream
	// Workers shares each batch among this many goroutines, one model
	// replica each (Model.LossGrad); 0 means GOMAXPROCS.
	Workers int
	// QuickVal is about how many characters of Val the quick validation
	// during a run reads (Validate(false)); 0 reads all of them. See
	// Validate.
	QuickVal int

	lo, hi int // the lanes of every chunk LossGrad computes, after Shard (hi 0: all)
}

// QuickVal is the default size of the quick validation: about 10,000
// characters, a tenth of tinyshakespeare's validation text.
const QuickVal = 10000

// NewTrainer returns a trainer of m over the train and val streams, with the
// optimizer, clip and smoothed loss of m's architecture: for rnn, Adagrad
// (ε = 1e-8 inside the root, as min-char-rnn), gradients clipped by value,
// and the smoothed loss starting at min-char-rnn's −log(1/V)·T; for lstm,
// Adam, a global-norm clip and the smoothed loss starting at log V.
func NewTrainer(m *Model, train, val []int) (*Trainer, error) {
	b, err := data.NewStreamBatcher(train, m.Config.Batch, m.Config.Seq)
	if err != nil {
		return nil, fmt.Errorf("charrnn: training text: %w", err)
	}
	t := &Trainer{Model: m, Batches: b, Val: val, QuickVal: QuickVal}
	cfg := m.Config
	if cfg.Arch == "rnn" {
		t.Loop = training.NewLoop(t, optim.NewAdagrad(m.Params(), cfg.LR, 1e-8))
		t.Clip.Value = cfg.Clip
		// min-char-rnn: smooth_loss = -np.log(1.0/vocab_size)*seq_length
		t.SmoothLoss = math.Log(float64(m.Vocab.Size())) * float64(cfg.Seq)
	} else {
		t.Loop = training.NewLoop(t, optim.DefaultAdam(m.Params(), cfg.LR))
		t.Clip.Norm = cfg.Clip
		t.SmoothLoss = math.Log(float64(m.Vocab.Size()))
	}
	t.Smoothing = cfg.Smooth
	return t, nil
}

// Params returns the model's parameters (training.Model).
func (t *Trainer) Params() []*nn.Param { return t.Model.Params() }

// LossGrad trains on the next chunk of the stream (training.Model): its
// loss and gradient, shared among Workers replicas. A new pass over the text
// starts from a blank recurrent state.
func (t *Trainer) LossGrad(step int) (loss float64, tokens int) {
	m := t.Model
	if t.Batches.Position()%t.Batches.BatchesPerEpoch() == 0 {
		m.ResetState()
	}
	inputs, targets := t.Batches.Next()
	inputs, targets = t.shardLanes(inputs), t.shardLanes(targets)
	return m.LossGrad(inputs, targets, t.Workers), m.Config.Seq * len(inputs[0])
}

// StepsPerEpoch is the number of chunks in one pass over the training text
// (training.Epocher).
func (t *Trainer) StepsPerEpoch() int { return t.Batches.BatchesPerEpoch() }

// ValLoss returns the model's loss on the whole validation stream in nats
// per character (see StreamLoss). It does not disturb training: it runs on
// a replica.
func (t *Trainer) ValLoss() float64 {
	return t.Model.StreamLoss(t.Val)
}

// Validate returns the validation loss in nats per character
// (training.Validator), "val_loss". The full validation reads the whole
// validation stream, in up to 32 lanes side by side (StreamLoss). The quick
// one reads the first chunks of each of those lanes, about QuickVal
// characters in all: a fixed sample, the same at every step, spread over the
// whole text in 32 stretches. On tinyshakespeare's 111,540 validation
// characters that is 10,400 for min-char-rnn — a tenth of the time, which
// was two thirds of a default run's.
func (t *Trainer) Validate(full bool) training.Validation {
	if len(t.Val) == 0 {
		return training.Validation{}
	}
	chunks := 0
	if !full && t.QuickVal > 0 {
		lanes := evalLanesFor(len(t.Val), t.Model.Config.Seq)
		chunks = max(1, (t.QuickVal+lanes*t.Model.Config.Seq-1)/(lanes*t.Model.Config.Seq))
	}
	loss, read, all := t.Model.streamLoss(t.Val, chunks)
	v := training.Validation{Metrics: []training.Metric{{Name: "val_loss", Value: loss, Digits: 4}}, Full: read == all}
	v.On = fmt.Sprintf("%d characters", len(t.Val))
	if !v.Full {
		v.On = fmt.Sprintf("a sample of %d of %d characters", read, len(t.Val))
	}
	return v
}

// evalLanes is the number of lanes StreamLoss reads side by side: more
// lanes make the products wider and evaluation faster, and with the state
// carried along each lane the loss hardly depends on their number.
const evalLanes = 32

// evalLanesFor is the number of lanes StreamLoss reads n ids in: up to
// evalLanes, each lane at least 4 chunks of seq so that few characters are
// read without context.
func evalLanesFor(n, seq int) int {
	return max(1, min(evalLanes, n/(4*(seq+1))))
}

// StreamLoss returns the model's mean loss in nats per character over ids,
// read in up to 32 lanes of T-step chunks (fewer for a short stream), with the
// state carried from chunk to chunk. A stream too short for one chunk gives
// NaN.
func (m *Model) StreamLoss(ids []int) float64 {
	loss, _, _ := m.streamLoss(ids, 0)
	return loss
}

// streamLoss is StreamLoss over the first chunks chunks of each lane (all
// of them when chunks is 0); it returns the loss, the number of characters
// read and the number a whole pass reads.
func (m *Model) streamLoss(ids []int, chunks int) (loss float64, read, all int) {
	cfg := m.Config
	batch := evalLanesFor(len(ids), cfg.Seq)
	b, err := data.NewStreamBatcher(ids, batch, cfg.Seq)
	if err != nil {
		return math.NaN(), 0, 0
	}
	n := b.BatchesPerEpoch()
	perChunk := batch * cfg.Seq
	if chunks > 0 && chunks < n {
		n, all = chunks, n*perChunk
	} else {
		all = n * perChunk
	}
	r := m.replica()
	total := 0.0
	for i := 0; i < n; i++ {
		inputs, targets := b.Next()
		loss := r.Loss(inputs, targets)
		if cfg.Arch == "rnn" {
			loss /= float64(perChunk) // summed per chunk → per character
		}
		total += loss
	}
	return total / float64(n), n * perChunk, all
}
