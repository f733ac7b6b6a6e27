package training

import (
	"fmt"
	"strings"

	"github.com/seq2go/seq2go/lib/checkpoint"
	"github.com/seq2go/seq2go/lib/nn"
)

// Model is what a Loop trains.
//
// Params returns the trainable parameters in a fixed order, each with a
// Name unique in the model (the names key the checkpoint). The loop calls it
// once, in NewLoop.
//
// LossGrad computes the loss of the batch of step — the number of steps
// taken so far, 0 for the first — and adds its gradient into every Param's
// Grad, which the loop has zeroed. It returns the loss and the number of
// tokens the batch held (characters, target words: what Progress's speed
// counts). Which batch a step reads is the model's business: a pure function
// of step (lib/translate shuffles each epoch by seed and epoch) or the next
// one of a reader whose position the model saves (lib/charrnn's stream). It
// may share the batch among goroutines and model replicas (data
// parallelism) as long as the gradients it leaves are those of the whole
// batch.
type Model interface {
	Params() []*nn.Param
	LossGrad(step int) (loss float64, tokens int)
}

// Validator is a Model that can score itself on held-out data. Validate
// with full false is the quick check the loop runs every ValEvery steps — a
// fixed sample, the same every time, so that the numbers compare along the
// run; with full true it reads all of the held-out data, as at the end of a
// run. The Validation says which it was. A model whose held-out set is
// empty returns a Validation without Metrics.
type Validator interface {
	Validate(full bool) Validation
}

// Epocher is a Model that knows how many steps make one pass over its
// training data: the loop then reports the epoch (Progress.Epoch) and can
// turn a number of epochs into steps (Loop.EpochSteps).
type Epocher interface {
	StepsPerEpoch() int
}

// Scheduler is a Model with settings that follow the run's progress: a
// learning-rate schedule, a clip annealed over the run (lib/translate's
// quantization-aware training). The loop calls Schedule(step, steps) before
// every step, step being the steps taken and steps the run's target, and
// Schedule(steps, steps) when the run reaches its target.
type Scheduler interface {
	Schedule(step, steps int)
}

// Checkpointer is a Model whose training can be saved and resumed.
//
// SaveState fills in what the loop cannot know: s.Kind, s.Config and s.Meta
// (what the model is: its configuration as JSON, its vocabularies), and its
// own training state — s.Position in its data, s.Rand (its random
// generator), s.Extra (tensors such as a recurrent state carried from batch
// to batch). The loop has already put in the weights, the optimizer's state,
// the step and the smoothed loss.
//
// RestoreState reads the model's own training state back from a state read
// by checkpoint.ReadState. The weights are not its concern: the model was
// built from the same file, weights included, before its loop was made
// (lib/charrnn's Open, lib/translate's Open).
type Checkpointer interface {
	SaveState(s *checkpoint.State) error
	RestoreState(s *checkpoint.State) error
}

// Exchanger combines the gradients of several training processes, between
// LossGrad and the optimizer step (see Loop.Exchange). Exchange receives the
// model's parameters, whose Grads hold this process's gradient of step's
// batch, and this process's loss and token count; it leaves in the Grads
// the gradient the optimizer should apply and returns the loss and token
// count the loop should check, smooth and report. A synchronous all-reduce
// (MPI) averages the Grads and the losses over the processes; an
// asynchronous parameter server pushes the Grads and pulls fresh weights
// into the Values (the loop's optimizer then does nothing, or is the
// server's). An error stops the run.
type Exchanger interface {
	Exchange(params []*nn.Param, step int, loss float64, tokens int) (float64, int, error)
}

// Sharder is a Model that can compute its part of every batch alone, for
// data parallelism across processes (lib/mpi): after Shard(k, n), LossGrad
// reads the same batch as before but computes the loss and gradient of
// part k of n of it only — examples [k·B/n, (k+1)·B/n), nn.ShareOut's
// split, so that n processes of one worker split a batch as one process of
// n workers does — and returns that part's mean loss and its tokens. The n
// parts' gradients, weighted by their tokens (lib/mpi's AllReduce), are the
// whole batch's.
type Sharder interface {
	Shard(k, n int) error
}

// Forker is a Model that can make the workers of asynchronous data
// parallelism (lib/paramserver): Fork(k, n) returns worker k of n, a Model
// with weights of its own (a copy of the model's, which the parameter
// server overwrites before each batch) and gradients of its own, that
// reads batches of its own — the model's steps k, k+n, k+2n, … when its
// batches are a function of the step — and whose LossGrad runs on its own
// goroutine alongside the other workers'. The argument of the worker's
// LossGrad is its own count of batches, 0, 1, 2, ….
type Forker interface {
	Fork(k, n int) Model
}

// Metric is one number a validation measured.
type Metric struct {
	Name   string  // a key without spaces: "val_loss", "dev_bleu"
	Value  float64 //
	Digits int     // decimals when printed
}

// String formats m as name=value.
func (m Metric) String() string { return fmt.Sprintf("%s=%.*f", m.Name, m.Digits, m.Value) }

// Validation is what a validation measured, and on what.
type Validation struct {
	Metrics []Metric // the first is the main one
	Full    bool     // all of the held-out data, or a quick sample of it
	On      string   // what was read: "111540 characters", "a sample of 10400 of 111540 characters"
}

// Value returns the metric with the given name, and whether there is one.
func (v Validation) Value(name string) (float64, bool) {
	for _, m := range v.Metrics {
		if m.Name == name {
			return m.Value, true
		}
	}
	return 0, false
}

// Fields formats the metrics as name=value pairs separated by spaces, as in
// a command's final line: "val_loss=2.2610".
func (v Validation) Fields() string {
	s := make([]string, len(v.Metrics))
	for i, m := range v.Metrics {
		s[i] = m.String()
	}
	return strings.Join(s, " ")
}

// String formats the metrics and what they were measured on:
// "val_loss=2.2610 (a sample of 10400 of 111540 characters)".
func (v Validation) String() string {
	if v.On == "" {
		return v.Fields()
	}
	return v.Fields() + " (" + v.On + ")"
}
