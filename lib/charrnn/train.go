package charrnn

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/optim"
	"github.com/seq2go/seq2go/lib/training"
)

// Trainer trains a Model on a stream of character ids and keeps everything
// needed to stop and resume: the optimizer's state, the position in the
// stream, the step count and the smooth loss.
type Trainer struct {
	Model      *Model
	Opt        optim.Optimizer
	Batches    *data.StreamBatcher
	Val        []int   // validation stream
	Step       int     // steps taken
	SmoothLoss float64 // moving average of the training loss (Config.Smooth)
	// Workers shares each batch among this many goroutines, one model
	// replica each (Model.LossGrad); 0 means GOMAXPROCS.
	Workers int

	params []*nn.Param // Model.Params(), for the clip, fetched once
}

// NewTrainer returns a trainer of m over the train and val streams, with the
// optimizer of m's architecture: Adagrad (ε = 1e-8 inside the root, as
// min-char-rnn) for rnn, Adam for lstm.
func NewTrainer(m *Model, train, val []int) (*Trainer, error) {
	b, err := data.NewStreamBatcher(train, m.Config.Batch, m.Config.Seq)
	if err != nil {
		return nil, fmt.Errorf("charrnn: training text: %w", err)
	}
	t := &Trainer{Model: m, Batches: b, Val: val}
	if m.Config.Arch == "rnn" {
		t.Opt = optim.NewAdagrad(m.Params(), m.Config.LR, 1e-8)
		// min-char-rnn: smooth_loss = -np.log(1.0/vocab_size)*seq_length
		t.SmoothLoss = math.Log(float64(m.Vocab.Size())) * float64(m.Config.Seq)
	} else {
		t.Opt = optim.DefaultAdam(m.Params(), m.Config.LR)
		t.SmoothLoss = math.Log(float64(m.Vocab.Size()))
	}
	return t, nil
}

// TrainStep trains on the next chunk and returns its loss: forward,
// backward, clip, update.
func (t *Trainer) TrainStep() float64 {
	m := t.Model
	if t.Batches.Position()%t.Batches.BatchesPerEpoch() == 0 {
		m.ResetState() // a new pass over the text starts from a blank state
	}
	inputs, targets := t.Batches.Next()
	loss := m.LossGrad(inputs, targets, t.Workers)
	if c := m.Config.Clip; c > 0 {
		if t.params == nil {
			t.params = m.Params()
		}
		if m.Config.Arch == "rnn" {
			optim.ClipValue(t.params, c)
		} else {
			optim.ClipGlobalNorm(t.params, c)
		}
	}
	t.Opt.Step()
	t.Opt.ZeroGrad()
	t.Step++
	s := m.Config.Smooth
	t.SmoothLoss = s*t.SmoothLoss + (1-s)*loss
	return loss
}

// Run trains until Step reaches steps or ctx is done, calling report (when
// not nil) after every step. It returns ctx's error when it was interrupted;
// the model then holds the weights of the last completed step.
func (t *Trainer) Run(ctx context.Context, steps int, report func(training.Progress)) error {
	start := time.Now()
	tokens := 0
	for t.Step < steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		loss := t.TrainStep()
		tokens += t.Model.Config.Seq * t.Model.Config.Batch
		if report != nil {
			report(training.Progress{Step: t.Step, Steps: steps, Loss: loss, SmoothLoss: t.SmoothLoss,
				Tokens: tokens, Elapsed: time.Since(start)})
		}
	}
	return nil
}

// ValLoss returns the model's loss on the validation stream in nats per
// character, reading it once in chunks of the training shape with the state
// carried along. It does not disturb training: it runs on a replica.
func (t *Trainer) ValLoss() float64 {
	return t.Model.StreamLoss(t.Val)
}

// evalLanes is the number of lanes StreamLoss reads side by side: more
// lanes make the products wider and evaluation faster, and with the state
// carried along each lane the loss hardly depends on their number.
const evalLanes = 32

// StreamLoss returns the model's mean loss in nats per character over ids,
// read in up to 32 lanes of T-step chunks (fewer for a short stream), with the
// state carried from chunk to chunk. A stream too short for one chunk gives
// NaN.
func (m *Model) StreamLoss(ids []int) float64 {
	cfg := m.Config
	// Each lane gets at least 4 chunks, so that few characters are read
	// without context.
	batch := max(1, min(evalLanes, len(ids)/(4*(cfg.Seq+1))))
	b, err := data.NewStreamBatcher(ids, batch, cfg.Seq)
	if err != nil {
		return math.NaN()
	}
	r := m.replica()
	total := 0.0
	for i := 0; i < b.BatchesPerEpoch(); i++ {
		inputs, targets := b.Next()
		loss := r.Loss(inputs, targets)
		if cfg.Arch == "rnn" {
			loss /= float64(cfg.Seq * batch) // summed per chunk → per character
		}
		total += loss
	}
	return total / float64(b.BatchesPerEpoch())
}
