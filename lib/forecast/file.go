package forecast

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"

	"github.com/seq2go/seq2go/lib/checkpoint"
)

// Kind is the model kind recorded in a checkpoint's metadata.
const Kind = "forecast"

// A file of this package is a checkpoint.State of Kind: the members'
// weights, the configuration (JSON) and the standardisation ("scale":
// JSON of Mean, Std, DMean, DStd). A training checkpoint adds the
// optimizer and the step; the windows are a function of the step and the
// model draws nothing, so that is all a resumed training needs.

// scale is the standardisation a model learnt from its training rows.
type scale struct {
	Mean, Std   []float64
	DMean, DStd float64
}

// putModel fills s with m.
func (m *Model) putModel(s *checkpoint.State) error {
	cfg, err := json.Marshal(m.Config)
	if err != nil {
		return fmt.Errorf("forecast: %w", err)
	}
	sc, err := json.Marshal(scale{m.Mean, m.Std, m.DMean, m.DStd})
	if err != nil {
		return fmt.Errorf("forecast: %w", err)
	}
	s.Kind, s.Config, s.Weights = Kind, string(cfg), m.Params()
	s.Meta = map[string]string{"scale": string(sc)}
	return nil
}

// Save writes the model alone to path, atomically.
func (m *Model) Save(path string) error {
	var s checkpoint.State
	if err := m.putModel(&s); err != nil {
		return err
	}
	if err := s.Write(path); err != nil {
		return fmt.Errorf("forecast: %w", err)
	}
	return nil
}

// SaveState adds the model to a training checkpoint (training.Checkpointer).
func (t *Trainer) SaveState(s *checkpoint.State) error { return t.M.putModel(s) }

// RestoreState has nothing to put back (training.Checkpointer): the loop
// restores the optimizer and the step, and the windows follow the step.
func (t *Trainer) RestoreState(*checkpoint.State) error { return nil }

// Load reads a model that Save or a training (Trainer.Save) wrote.
func Load(path string) (*Model, error) {
	m, _, err := Open(path)
	return m, err
}

// Open reads a forecaster's checkpoint once and returns its model and the
// state read, from which Trainer.Restore continues a training.
func Open(path string) (*Model, *checkpoint.State, error) {
	s, err := checkpoint.ReadState(path, Kind)
	if err != nil {
		return nil, nil, err
	}
	fail := func(err error) (*Model, *checkpoint.State, error) {
		return nil, nil, fmt.Errorf("forecast: %s: %w", path, err)
	}
	m := &Model{}
	if err := json.Unmarshal([]byte(s.Config), &m.Config); err != nil {
		return fail(fmt.Errorf("metadata \"config\": %w", err))
	}
	if err := m.Config.Validate(); err != nil {
		return fail(err)
	}
	var sc scale
	if err := json.Unmarshal([]byte(s.Meta["scale"]), &sc); err != nil {
		return fail(fmt.Errorf("metadata \"scale\": %w", err))
	}
	if len(sc.Mean) != len(m.Config.Inputs) || len(sc.Std) != len(m.Config.Inputs) {
		return fail(fmt.Errorf("metadata \"scale\": %d means and %d deviations for %d inputs", len(sc.Mean), len(sc.Std), len(m.Config.Inputs)))
	}
	m.Mean, m.Std, m.DMean, m.DStd = sc.Mean, sc.Std, sc.DMean, sc.DStd
	m.build(rand.New(rand.NewPCG(0, 0))) // the weights are overwritten below
	if err := s.LoadParams(m.Params()); err != nil {
		return fail(err)
	}
	return m, s, nil
}
