package forecast

import (
	"fmt"
	"math"

	"github.com/seq2go/seq2go/lib/nn"
	"github.com/seq2go/seq2go/lib/optim"
	"github.com/seq2go/seq2go/lib/training"
)

// Trainer trains a Model on lib/training's loop, which it embeds, and is
// the loop's training.Model: Adam (AdamW with Config.Decay) at Config.LR on
// the mean squared error of Config.Batch training windows a step (Windows,
// a function of the step), gradients clipped to a global norm of
// Config.Clip. Validation forecasts the validation rows and reports their
// MAE in the target's unit ("val_mae").
type Trainer struct {
	*training.Loop
	M       *Model
	Series  *Series
	Split   Split
	Windows *Windows
}

// NewTrainer returns a trainer of m on the training rows of split of s,
// validated on its validation rows.
func NewTrainer(m *Model, s *Series, split Split) (*Trainer, error) {
	w, err := NewWindows(split.Train, m.Config.Batch, m.Config.Seed)
	if err != nil {
		return nil, err
	}
	if _, err := m.Forecast(s, split.Train[:1]); err != nil { // the series has the model's columns
		return nil, err
	}
	t := &Trainer{M: m, Series: s, Split: split, Windows: w}
	opt := optim.DefaultAdam(m.Params(), m.Config.LR)
	opt.WeightDecay = m.Config.Decay
	t.Loop = training.NewLoop(t, opt)
	t.Clip.Norm = m.Config.Clip
	t.Smoothing = 0.95
	return t, nil
}

// Params returns the model's parameters (training.Model).
func (t *Trainer) Params() []*nn.Param { return t.M.Params() }

// LossGrad computes the loss of step's windows and adds its gradient
// (training.Model); tokens are windows. NewTrainer checked the series, so
// Loss cannot fail here; if it did, the NaN loss stops the loop.
func (t *Trainer) LossGrad(step int) (loss float64, tokens int) {
	rows := t.Windows.At(step)
	loss, err := t.M.Loss(t.Series, rows)
	if err != nil {
		return math.NaN(), len(rows)
	}
	t.M.Backward()
	return loss, len(rows)
}

// StepsPerEpoch is the number of batches in one pass over the training
// windows (training.Epocher).
func (t *Trainer) StepsPerEpoch() int { return t.Windows.PerEpoch() }

// Validate forecasts every validation row and reports the mean absolute
// error (training.Validator); quick and full are the same: the rows are
// few.
func (t *Trainer) Validate(full bool) training.Validation {
	if len(t.Split.Val) == 0 {
		return training.Validation{}
	}
	r, err := t.M.Score(t.Series, t.Split.Val)
	if err != nil {
		return training.Validation{}
	}
	return training.Validation{Metrics: []training.Metric{{Name: "val_mae", Value: r.MAE, Digits: 3}, {Name: "val_rmse", Value: r.RMSE, Digits: 3}},
		Full: true, On: fmt.Sprintf("%d validation %s", len(t.Split.Val), t.Series.Step.Unit())}
}

// Score forecasts rows of s and scores them against the observed values
// (filled rows not counted), as the recurrent forecaster "rnn".
func (m *Model) Score(s *Series, rows []int) (Result, error) {
	f, err := m.Forecast(s, rows)
	if err != nil {
		return Result{}, err
	}
	y, err := s.Column(m.Config.Target)
	if err != nil {
		return Result{}, err
	}
	name := fmt.Sprintf("%s %d×%d, %d members", m.Config.Cell, m.Config.Layers, m.Config.Hidden, m.Config.Members)
	return Score(name, s, y, f, rows), nil
}
