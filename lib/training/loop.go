package training

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/seq2go/seq2go/lib/checkpoint"
	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/optim"
)

// Clip says how the loop clips the gradients before the optimizer's step;
// a zero field turns its clip off, and both may be set (by value first).
type Clip struct {
	// Value clips every gradient element to [−Value, Value]
	// (optim.ClipValue): min-char-rnn's ±5.
	Value float64
	// Norm rescales all the gradients together to a global L2 norm of at
	// most Norm (optim.ClipGlobalNorm; Pascanu et al. 2013).
	Norm float64
}

// Loop trains a Model with an optimizer; see the package documentation for
// what one step does. The exported fields are the loop's settings and its
// state; set the settings before Run.
type Loop struct {
	Model Model
	Opt   optim.Optimizer
	Clip  Clip
	// Smoothing is β of the smoothed loss, β·SmoothLoss + (1−β)·loss.
	Smoothing float64

	// Step is the number of steps taken, over all runs; SmoothLoss the
	// smoothed loss (0 before the first step: it then starts at the first
	// loss). Both are saved and restored with the checkpoint.
	Step       int
	SmoothLoss float64

	// ValEvery > 0 validates the model (a Validator) on its quick sample
	// every ValEvery steps, before the run's last, and reports the result
	// in that step's Progress.
	ValEvery int
	// Out, when not empty, is the checkpoint Run writes every SaveEvery
	// steps (0: never on the way) and when it stops: at its target or
	// cancelled, but never after a failed step.
	Out       string
	SaveEvery int
	// Exchange, when not nil, combines this process's gradients with
	// other processes' between LossGrad and the optimizer step (see
	// Exchanger): an all-reduce, a parameter server.
	Exchange Exchanger
	// Source, when not nil, computes each step's gradient instead of the
	// Model's LossGrad, into the Model's Params' Grads: a parameter server
	// (lib/paramserver) whose workers compute on batches of their own. The
	// Model still says what is validated, scheduled and saved.
	Source interface {
		LossGrad(step int) (loss float64, tokens int)
	}

	params []*nn.Param // Model.Params(), fetched once (by NewLoop or the first step)
}

// NewLoop returns a loop that trains m with opt, which must update
// m.Params(). Set Clip, Smoothing and the rest before Run.
func NewLoop(m Model, opt optim.Optimizer) *Loop {
	return &Loop{Model: m, Opt: opt, params: m.Params()}
}

// Run trains until Step reaches steps or ctx is done, calling report (when
// not nil) after every step.
//
// Cancelled, it writes the checkpoint (when Out is set) and returns ctx's
// error; the model holds the weights of the last whole step. A step whose
// loss or gradient is not finite is not applied: Run returns a
// *NonFiniteError and writes no checkpoint, so the last one written stays
// the last good one. An error from Exchange or from writing a checkpoint
// stops it too.
func (l *Loop) Run(ctx context.Context, steps int, report func(Progress)) error {
	start, startStep, tokens := time.Now(), l.Step, 0
	sched, _ := l.Model.(Scheduler)
	perEpoch := l.StepsPerEpoch()
	for l.Step < steps {
		if err := ctx.Err(); err != nil {
			return l.stop(err)
		}
		if sched != nil {
			sched.Schedule(l.Step, steps)
		}
		loss, n, err := l.step()
		if err != nil {
			return err
		}
		tokens += n
		p := Progress{Step: l.Step, Steps: steps, StartStep: startStep, Loss: loss, SmoothLoss: l.SmoothLoss,
			LR: l.Opt.LR(), Tokens: tokens, Elapsed: time.Since(start)}
		if perEpoch > 0 {
			p.Epoch = float64(l.Step) / float64(perEpoch)
		}
		if l.ValEvery > 0 && l.Step%l.ValEvery == 0 && l.Step < steps {
			if v := l.Validate(false); len(v.Metrics) > 0 {
				p.Validation = &v
			}
		}
		if report != nil {
			report(p)
		}
		if l.Out != "" && l.SaveEvery > 0 && l.Step%l.SaveEvery == 0 {
			if err := l.Save(l.Out); err != nil {
				return err
			}
		}
	}
	if sched != nil {
		sched.Schedule(steps, steps)
	}
	return l.stop(nil)
}

// stop ends a run that was not failed: it writes the final checkpoint
// when Out is set and returns err, or the error of the save.
func (l *Loop) stop(err error) error {
	if l.Out == "" {
		return err
	}
	if serr := l.Save(l.Out); serr != nil {
		return serr
	}
	return err
}

// TrainStep takes one step (see the package documentation) and returns its
// loss; a *NonFiniteError, or Exchange's error, leaves the weights as they
// were.
func (l *Loop) TrainStep() (float64, error) {
	loss, _, err := l.step()
	return loss, err
}

// step takes one step and returns its loss and tokens.
func (l *Loop) step() (loss float64, tokens int, err error) {
	if l.params == nil {
		l.params = l.Model.Params()
	}
	l.Opt.ZeroGrad()
	if l.Source != nil {
		loss, tokens = l.Source.LossGrad(l.Step)
	} else {
		loss, tokens = l.Model.LossGrad(l.Step)
	}
	if l.Exchange != nil {
		if loss, tokens, err = l.Exchange.Exchange(l.params, l.Step, loss, tokens); err != nil {
			return loss, tokens, fmt.Errorf("training: step %d: exchanging gradients: %w", l.Step+1, err)
		}
	}
	if err := checkStep(l.Step+1, loss, l.params); err != nil {
		return loss, tokens, err
	}
	if c := l.Clip.Value; c > 0 {
		optim.ClipValue(l.params, c)
	}
	if c := l.Clip.Norm; c > 0 {
		optim.ClipGlobalNorm(l.params, c)
	}
	l.Opt.Step()
	l.Step++
	if l.SmoothLoss == 0 {
		l.SmoothLoss = loss
	}
	b := l.Smoothing
	l.SmoothLoss = b*l.SmoothLoss + (1-b)*loss
	return loss, tokens, nil
}

// Validate scores the model on its held-out data (see Validator): quick or
// full. A model that is no Validator gives a Validation without Metrics.
func (l *Loop) Validate(full bool) Validation {
	if v, ok := l.Model.(Validator); ok {
		return v.Validate(full)
	}
	return Validation{}
}

// StepsPerEpoch is the model's number of steps in one pass over its data
// (see Epocher), or 0 when it does not say.
func (l *Loop) StepsPerEpoch() int {
	if e, ok := l.Model.(Epocher); ok {
		return e.StepsPerEpoch()
	}
	return 0
}

// EpochSteps returns the step at which epochs passes over the data end, or
// an error when the model does not say how long a pass is.
func (l *Loop) EpochSteps(epochs float64) (int, error) {
	n := l.StepsPerEpoch()
	if n <= 0 {
		return 0, errors.New("training: the model does not say how many steps an epoch has")
	}
	return int(epochs * float64(n)), nil
}

// Save writes the training state to path, atomically: the weights, the
// optimizer's state, Step, SmoothLoss, and what the model adds (see
// Checkpointer). Weights that are not finite are refused and the file at
// path is left as it was.
func (l *Loop) Save(path string) error {
	c, ok := l.Model.(Checkpointer)
	if !ok {
		return fmt.Errorf("training: a %T cannot be saved: it has no SaveState method", l.Model)
	}
	s := &checkpoint.State{Weights: l.Model.Params(), Trained: true, Optimizer: l.Opt.State(), Step: l.Step, SmoothLoss: l.SmoothLoss}
	if err := c.SaveState(s); err != nil {
		return err
	}
	return s.Write(path)
}

// Restore continues the training saved in s (read by checkpoint.ReadState
// from a file that Save wrote): the optimizer's state, Step, SmoothLoss and
// the model's own state. The model must have been built from the same file,
// weights included.
func (l *Loop) Restore(s *checkpoint.State) error {
	c, ok := l.Model.(Checkpointer)
	if !ok {
		return fmt.Errorf("training: a %T cannot be restored: it has no RestoreState method", l.Model)
	}
	if err := s.LoadOptimizer(l.Opt.State()); err != nil {
		return err
	}
	if err := c.RestoreState(s); err != nil {
		return err
	}
	l.Step, l.SmoothLoss = s.Step, s.SmoothLoss
	return nil
}
