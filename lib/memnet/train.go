package memnet

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/seq2go/seq2go/lib/checkpoint"
	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/optim"
	"github.com/seq2go/seq2go/lib/training"
)

// TrainConfig is how a model is trained: the paper's recipe (section 4.2)
// by default.
type TrainConfig struct {
	Seed   uint64 `json:"seed"`   // the order of the batches
	Batch  int    `json:"batch"`  // questions a step: 32
	Epochs int    `json:"epochs"` // passes over the data after linear start: 100
	// LR is the learning rate once the softmax is in, halved every
	// HalveEvery epochs from then: 0.01 and 25.
	LR         float64 `json:"lr"`
	HalveEvery int     `json:"halve_every"`
	// LinearStart is the most epochs of linear start, the hops' softmax
	// removed, at learning rate LinearLR: it ends sooner when the
	// validation loss stops falling. 0 trains with the softmax from the
	// start.
	LinearStart int     `json:"linear_start"`
	LinearLR    float64 `json:"linear_lr"`
	Clip        float64 `json:"clip"` // the global norm gradients are clipped to: 40
}

// DefaultTrainConfig is the paper's training of a model of one task.
func DefaultTrainConfig() TrainConfig {
	return TrainConfig{Seed: 1, Batch: 32, Epochs: 100, LR: 0.01, HalveEvery: 25, LinearStart: 20, LinearLR: 0.005, Clip: 40}
}

// JointTrainConfig is the paper's training of one model of all 20 tasks:
// 60 epochs, halving every 15, at most 30 of linear start (the reference
// implementation's).
func JointTrainConfig() TrainConfig {
	c := DefaultTrainConfig()
	c.Epochs, c.HalveEvery, c.LinearStart = 60, 15, 30
	return c
}

// Check returns an error for a configuration that cannot train.
func (c TrainConfig) Check() error {
	if c.Batch < 1 || c.Epochs < 0 || c.LinearStart < 0 || c.HalveEvery < 1 || !(c.LR > 0) || !(c.LinearLR > 0) || c.Clip < 0 {
		return fmt.Errorf("memnet: training needs a batch ≥ 1, epochs ≥ 0, halving every ≥ 1 epochs and positive learning rates, have %+v", c)
	}
	return nil
}

// Trainer trains a Model on lib/training's loop, which it embeds, and is
// the loop's training.Model: SGD on the summed loss of Batch questions a
// step, drawn by a shuffle of the training questions each epoch (by the
// seed and the epoch alone, so that the step is the position in the data);
// the learning rate and linear start set by Schedule at each step;
// gradients clipped to a global norm of Clip.
//
// A run is LinearStart + Epochs epochs: linear start, then the softmax is
// put back at the first epoch whose start finds the validation loss no
// lower than at the one before (or after LinearStart epochs), and the
// learning rate goes from LR, halved every HalveEvery epochs, for the rest
// of the run.
type Trainer struct {
	*training.Loop
	M          *Model
	Train, Val []Example
	Config     TrainConfig
	// Workers is the number of goroutines a step's batch is shared out
	// among (Model.LossGrad); 0 means GOMAXPROCS.
	Workers int
	// Runs, when not nil, is the training of several models this run is
	// part of, which the checkpoints hold too.
	Runs *Runs

	// linear start: the validation loss at the start of epoch lsEpoch,
	// the last checked, and the epoch the softmax came back (−1 while
	// linear)
	lsLoss  float64
	lsEpoch int
	lsEnd   int
	batch   []Example
}

// NewTrainer returns a trainer of m on train, validated on val. It names
// m's parameters "run.<param>", as its checkpoints hold them.
func NewTrainer(m *Model, train, val []Example, cfg TrainConfig) (*Trainer, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if len(train) < cfg.Batch {
		return nil, fmt.Errorf("memnet: %d training questions, fewer than a batch of %d", len(train), cfg.Batch)
	}
	nn.PrefixNames("run", m.Params())
	m.pcg.Seed(cfg.Seed, 0x6d656d6e6574) // the random noise's draws: "memnet"
	t := &Trainer{M: m, Train: train, Val: val, Config: cfg, lsLoss: math.Inf(1), lsEnd: -1}
	if cfg.LinearStart == 0 {
		t.lsEnd = 0
	}
	m.Linear = t.lsEnd < 0
	t.Loop = training.NewLoop(t, optim.NewSGD(m.Params(), cfg.LR))
	t.Clip.Norm = cfg.Clip
	t.Smoothing = 0.98
	return t, nil
}

// Params returns the model's parameters (training.Model).
func (t *Trainer) Params() []*nn.Param { return t.M.Params() }

// StepsPerEpoch is the number of whole batches in the training questions
// (training.Epocher); the last, partial one of a shuffle is left out.
func (t *Trainer) StepsPerEpoch() int { return len(t.Train) / t.Config.Batch }

// Steps is the length of a run: LinearStart + Epochs epochs.
func (t *Trainer) Steps() int { return (t.Config.LinearStart + t.Config.Epochs) * t.StepsPerEpoch() }

// LossGrad computes the loss of step's batch and adds the gradient of its
// sum (training.Model); tokens are questions.
func (t *Trainer) LossGrad(step int) (loss float64, tokens int) {
	n := t.StepsPerEpoch()
	epoch, b := step/n, step%n
	perm := rand.New(rand.NewPCG(t.Config.Seed, uint64(epoch)+1)).Perm(len(t.Train))
	t.batch = t.batch[:0]
	for _, i := range perm[b*t.Config.Batch : (b+1)*t.Config.Batch] {
		t.batch = append(t.batch, t.Train[i])
	}
	return t.M.LossGrad(t.batch, t.Workers)
}

// Schedule sets linear start and the learning rate before step
// (training.Scheduler).
func (t *Trainer) Schedule(step, steps int) {
	n := t.StepsPerEpoch()
	epoch := step / n
	if t.lsEnd < 0 && step%n == 0 && epoch > t.lsEpoch {
		loss := t.M.Evaluate(t.Val).MeanLoss()
		if loss >= t.lsLoss || epoch >= t.Config.LinearStart {
			t.lsEnd = epoch
		}
		t.lsLoss, t.lsEpoch = loss, epoch
	}
	t.M.Linear = t.lsEnd < 0
	lr := t.Config.LinearLR
	if !t.M.Linear {
		lr = t.Config.LR * math.Pow(0.5, float64((epoch-t.lsEnd+1)/t.Config.HalveEvery))
	}
	t.Opt.SetLR(lr)
}

// Validate scores the model on the validation questions
// (training.Validator): "val_err", the percentage answered wrongly, and
// "val_loss", the mean cross-entropy. Both the quick and the full one read
// them all: they are few.
func (t *Trainer) Validate(full bool) training.Validation {
	if len(t.Val) == 0 {
		return training.Validation{}
	}
	s := t.M.Evaluate(t.Val)
	return training.Validation{
		Metrics: []training.Metric{{Name: "val_err", Value: 100 * s.ErrorRate(), Digits: 1}, {Name: "val_loss", Value: s.MeanLoss(), Digits: 4}},
		Full:    true, On: fmt.Sprintf("%d questions", s.Questions),
	}
}

// Runs is where a training of several models stands, the models done and
// the runs of the one in training (`seq2go train babi --all --repeats N`):
// a Trainer's checkpoints hold it when the Trainer has one.
type Runs struct {
	Done []*Model // the models done, each the best of its runs
	// Best is the best run so far of the model in training, by
	// validation error (then loss), and BestScore its score; nil before
	// its first run ends.
	Best      *Model
	BestScore Score
	Run       int // the run in training of the model in training, from 0
	// Plan is what the caller needs to go on after a resume, as it
	// likes (JSON, say): what the models are, how many runs each.
	Plan string
}

// Better reports whether score s beats the best run so far: a lower
// validation error, or the same with a lower loss.
func (r *Runs) Better(s Score) bool {
	if r.Best == nil {
		return true
	}
	a, b := s.ErrorRate(), r.BestScore.ErrorRate()
	return a < b || (a == b && s.MeanLoss() < r.BestScore.MeanLoss())
}

// trainState is the JSON of a training checkpoint's "config": how the
// model in training is trained.
type trainState struct {
	Train TrainConfig `json:"train"`
}

// SaveState adds the model in training and its trainer's state to a
// checkpoint (training.Checkpointer; the loop's Save writes it): the
// model under the prefix "run.", the training configuration, where linear
// start stands, the random noise's generator, and the Runs when the
// Trainer has them (the models done as m0, m1, …, the best run so far as
// "best.").
func (t *Trainer) SaveState(s *checkpoint.State) error {
	cfg, err := json.Marshal(trainState{Train: t.Config})
	if err != nil {
		return fmt.Errorf("memnet: %w", err)
	}
	s.Kind, s.Config = Kind, string(cfg)
	s.Meta = map[string]string{
		"ls_loss":  strconv.FormatFloat(t.lsLoss, 'g', -1, 64),
		"ls_epoch": strconv.Itoa(t.lsEpoch),
		"ls_end":   strconv.Itoa(t.lsEnd),
	}
	if err := putMeta(s, "run", t.M); err != nil { // its weights are the loop's, named "run.<param>"
		return err
	}
	if s.Rand, err = t.M.pcg.MarshalBinary(); err != nil {
		return fmt.Errorf("memnet: %w", err)
	}
	r := t.Runs
	if r == nil {
		r = &Runs{}
	}
	s.Meta["run"], s.Meta["plan"] = strconv.Itoa(r.Run), r.Plan
	if err := putModels(s, r.Done, true); err != nil {
		return err
	}
	if r.Best != nil {
		s.Meta["best.errors"], s.Meta["best.questions"] = strconv.Itoa(r.BestScore.Errors), strconv.Itoa(r.BestScore.Questions)
		s.Meta["best.loss"] = strconv.FormatFloat(r.BestScore.Loss, 'g', -1, 64)
		return putModel(s, "best", r.Best, true)
	}
	return nil
}

// RestoreState puts where linear start stands and the random noise's
// generator back (training.Checkpointer; the loop's Restore calls it),
// from a state that t's model came from (see OpenTraining).
func (t *Trainer) RestoreState(s *checkpoint.State) error {
	loss, err := strconv.ParseFloat(s.Meta["ls_loss"], 64)
	if err != nil {
		return fmt.Errorf("memnet: metadata \"ls_loss\" %q: want a number", s.Meta["ls_loss"])
	}
	end, err := strconv.Atoi(s.Meta["ls_end"])
	if err != nil || end < -1 {
		return fmt.Errorf("memnet: metadata \"ls_end\" %q: want an epoch or -1", s.Meta["ls_end"])
	}
	epoch, err := strconv.Atoi(s.Meta["ls_epoch"])
	if err != nil || epoch < 0 {
		return fmt.Errorf("memnet: metadata \"ls_epoch\" %q: want an epoch", s.Meta["ls_epoch"])
	}
	if err := t.M.pcg.UnmarshalBinary(s.Rand); err != nil {
		return fmt.Errorf("memnet: the random noise's generator: %w", err)
	}
	t.lsLoss, t.lsEpoch, t.lsEnd = loss, epoch, end
	t.M.Linear = end < 0
	return nil
}

// OpenTraining reads a training checkpoint that a Trainer saved: the model
// in training, weights included, its training configuration, the Runs,
// and the state read, from which the Trainer's Restore continues.
func OpenTraining(path string) (*Model, TrainConfig, *Runs, *checkpoint.State, error) {
	fail := func(err error) (*Model, TrainConfig, *Runs, *checkpoint.State, error) {
		return nil, TrainConfig{}, nil, nil, fmt.Errorf("memnet: %s: %w", path, err)
	}
	s, err := checkpoint.ReadState(path, Kind)
	if err != nil {
		return nil, TrainConfig{}, nil, nil, err
	}
	if !s.Trained {
		return fail(fmt.Errorf("a model without its training state: it cannot be resumed"))
	}
	var st trainState
	if err := json.Unmarshal([]byte(s.Config), &st); err != nil {
		return fail(fmt.Errorf("metadata \"config\": %w", err))
	}
	if err := st.Train.Check(); err != nil {
		return fail(err)
	}
	m, err := getModel(s, "run")
	if err != nil {
		return fail(err)
	}
	r := &Runs{Plan: s.Meta["plan"]}
	if r.Run, err = strconv.Atoi(s.Meta["run"]); err != nil || r.Run < 0 {
		return fail(fmt.Errorf("metadata \"run\" %q: want a count", s.Meta["run"]))
	}
	if r.Done, err = getModels(s); err != nil {
		return fail(err)
	}
	if _, ok := s.Meta["best.config"]; ok {
		if r.Best, err = getModel(s, "best"); err != nil {
			return fail(err)
		}
		e, err1 := strconv.Atoi(s.Meta["best.errors"])
		q, err2 := strconv.Atoi(s.Meta["best.questions"])
		l, err3 := strconv.ParseFloat(s.Meta["best.loss"], 64)
		if err1 != nil || err2 != nil || err3 != nil {
			return fail(fmt.Errorf("metadata \"best.errors\", \"best.questions\" or \"best.loss\": want numbers"))
		}
		r.BestScore = Score{Questions: q, Errors: e, Loss: l}
	}
	return m, st.Train, r, s, nil
}
