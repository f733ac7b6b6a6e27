package charrnn

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"

	"github.com/seq2go/seq2go/lib/checkpoint"
	"github.com/seq2go/seq2go/lib/data"
	"gonum.org/v1/gonum/mat"
)

// Kind is the model kind recorded in a checkpoint's metadata.
const Kind = "charrnn"

// SaveState adds the model and its place in the text to a checkpoint
// (training.Checkpointer; Trainer.Save writes it): the kind, the
// configuration as JSON, the vocabulary, the position in the stream and
// each layer's carried state ("state0.h", "state0.c", ...), so that Open
// and Restore need nothing else.
func (t *Trainer) SaveState(s *checkpoint.State) error {
	m := t.Model
	cfg, err := json.Marshal(m.Config)
	if err != nil {
		return fmt.Errorf("charrnn: %w", err)
	}
	s.Kind, s.Config = Kind, string(cfg)
	s.Meta = map[string]string{"vocab": m.Vocab.String()}
	s.Position = t.Batches.Position()
	if t.sharded() {
		return nil // the carried state of its own lanes alone: none (see Shard)
	}
	for i := range m.layers {
		h, c := m.carried(i) // all B lanes, the replicas' included
		if h != nil {
			s.Extra = append(s.Extra, checkpoint.FromDense(fmt.Sprintf("state%d.h", i), h))
		}
		if c != nil {
			s.Extra = append(s.Extra, checkpoint.FromDense(fmt.Sprintf("state%d.c", i), c))
		}
	}
	return nil
}

// Load reads a model saved by Trainer.Save.
func Load(path string) (*Model, error) {
	m, _, err := Open(path)
	return m, err
}

// Open reads a checkpoint written by Trainer.Save once, and returns its
// model and the state read, from which Trainer.Restore continues the
// training.
func Open(path string) (*Model, *checkpoint.State, error) {
	s, err := checkpoint.ReadState(path, Kind)
	if err != nil {
		return nil, nil, err
	}
	var cfg Config
	if err := json.Unmarshal([]byte(s.Config), &cfg); err != nil {
		return nil, nil, fmt.Errorf("charrnn: %s: metadata \"config\": %w", path, err)
	}
	vocab, err := data.CharVocabFromString(s.Meta["vocab"])
	if err != nil {
		return nil, nil, fmt.Errorf("charrnn: %s: metadata \"vocab\": %w", path, err)
	}
	m, err := New(cfg, vocab, rand.New(rand.NewPCG(0, 0))) // the weights are overwritten below
	if err != nil {
		return nil, nil, fmt.Errorf("charrnn: %s: %w", path, err)
	}
	if err := s.LoadParams(m.Params()); err != nil {
		return nil, nil, fmt.Errorf("charrnn: %s: %w", path, err)
	}
	return m, s, nil
}

// RestoreState puts the position in the text and the carried recurrent
// state back (training.Checkpointer; Trainer.Restore calls it), from a
// state whose model t's came from (see Open).
func (t *Trainer) RestoreState(s *checkpoint.State) error {
	if err := t.Batches.SetPosition(s.Position); err != nil {
		return fmt.Errorf("charrnn: %w", err)
	}
	for i, l := range t.Model.layers {
		h, err := stateTensor(s, fmt.Sprintf("state%d.h", i), t.Model.Config.Hidden)
		if err != nil {
			return err
		}
		c, err := stateTensor(s, fmt.Sprintf("state%d.c", i), t.Model.Config.Hidden)
		if err != nil {
			return err
		}
		l.SetState(h, c)
	}
	if len(t.Model.replicas) > 0 {
		t.Model.shareState()
	}
	return nil
}

// stateTensor returns the named carried state, which must have hidden
// columns, or nil when the file has none.
func stateTensor(s *checkpoint.State, name string, hidden int) (*mat.Dense, error) {
	tensor, ok := s.Tensor(name)
	if !ok {
		return nil, nil
	}
	d, err := tensor.Dense()
	if err != nil {
		return nil, fmt.Errorf("charrnn: %w", err)
	}
	if c := d.RawMatrix().Cols; c != hidden {
		return nil, fmt.Errorf("charrnn: tensor %q has %d columns, want %d", name, c, hidden)
	}
	return d, nil
}
