package charrnn

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/seq2go/seq2go/lib/checkpoint"
	"github.com/seq2go/seq2go/lib/data"
	"gonum.org/v1/gonum/mat"
)

// Kind is the model kind recorded in a checkpoint's metadata.
const Kind = "charrnn"

// Save writes the model, the optimizer's state and the training position to
// path as one safetensors file, atomically: a crash during Save leaves the
// previous file intact. The metadata holds the kind, the configuration (as
// JSON), the vocabulary and the training counters, so that Load and Restore
// need nothing else.
func (t *Trainer) Save(path string) error {
	m := t.Model
	cfg, err := json.Marshal(m.Config)
	if err != nil {
		return fmt.Errorf("charrnn: %w", err)
	}
	meta := map[string]string{
		"kind":        Kind,
		"config":      string(cfg),
		"vocab":       m.Vocab.String(),
		"step":        strconv.Itoa(t.Step),
		"smooth_loss": strconv.FormatFloat(t.SmoothLoss, 'g', -1, 64),
		"position":    strconv.Itoa(t.Batches.Position()),
	}
	var extra []checkpoint.Tensor
	for _, p := range t.Opt.State() {
		extra = append(extra, checkpoint.FromDense(p.Name, p.Value))
	}
	for i, l := range m.layers {
		h, c := l.State()
		if h != nil {
			extra = append(extra, checkpoint.FromDense(fmt.Sprintf("state%d.h", i), h))
		}
		if c != nil {
			extra = append(extra, checkpoint.FromDense(fmt.Sprintf("state%d.c", i), c))
		}
	}
	if err := checkpoint.SaveParams(path, m.Params(), extra, meta); err != nil {
		return fmt.Errorf("charrnn: %w", err)
	}
	return nil
}

// Load reads a model saved by Trainer.Save.
func Load(path string) (*Model, error) {
	m, _, err := Open(path)
	return m, err
}

// Open reads a checkpoint written by Trainer.Save once, and returns its
// model and the file itself, from which Trainer.Restore continues the
// training.
func Open(path string) (*Model, *checkpoint.File, error) {
	f, err := checkpoint.Read(path)
	if err != nil {
		return nil, nil, err
	}
	m, err := fromFile(path, f)
	if err != nil {
		return nil, nil, err
	}
	return m, f, nil
}

func fromFile(path string, f *checkpoint.File) (*Model, error) {
	if err := f.Require("kind", Kind); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var cfg Config
	if err := json.Unmarshal([]byte(f.Metadata["config"]), &cfg); err != nil {
		return nil, fmt.Errorf("charrnn: %s: metadata \"config\": %w", path, err)
	}
	vocab, err := data.CharVocabFromString(f.Metadata["vocab"])
	if err != nil {
		return nil, fmt.Errorf("charrnn: %s: metadata \"vocab\": %w", path, err)
	}
	m, err := New(cfg, vocab, rand.New(rand.NewPCG(0, 0))) // the weights are overwritten below
	if err != nil {
		return nil, fmt.Errorf("charrnn: %s: %w", path, err)
	}
	if err := checkpoint.LoadParams(f, m.Params()); err != nil {
		return nil, fmt.Errorf("charrnn: %s: %w", path, err)
	}
	return m, nil
}

// Restore continues a training saved by Save: it loads the optimizer state,
// the step count, the smooth loss, the position in the text and the carried
// recurrent state from f into t, whose model must have come from the same
// file (see Open).
func (t *Trainer) Restore(f *checkpoint.File) error {
	if err := f.Require("kind", Kind); err != nil {
		return err
	}
	if err := checkpoint.LoadParams(f, t.Opt.State()); err != nil {
		return fmt.Errorf("charrnn: optimizer state: %w", err)
	}
	step, err := count(f, "step")
	if err != nil {
		return fmt.Errorf("charrnn: %w", err)
	}
	pos, err := count(f, "position")
	if err != nil {
		return fmt.Errorf("charrnn: %w", err)
	}
	t.Step = step
	if err := t.Batches.SetPosition(pos); err != nil {
		return fmt.Errorf("charrnn: %w", err)
	}
	if t.SmoothLoss, err = strconv.ParseFloat(f.Metadata["smooth_loss"], 64); err != nil {
		return fmt.Errorf("charrnn: metadata \"smooth_loss\": %w", err)
	}
	for i, l := range t.Model.layers {
		h, err := stateTensor(f, fmt.Sprintf("state%d.h", i))
		if err != nil {
			return fmt.Errorf("charrnn: %w", err)
		}
		c, err := stateTensor(f, fmt.Sprintf("state%d.c", i))
		if err != nil {
			return fmt.Errorf("charrnn: %w", err)
		}
		if h != nil && h.RawMatrix().Cols != t.Model.Config.Hidden {
			return fmt.Errorf("charrnn: tensor %q has %d columns, want %d", fmt.Sprintf("state%d.h", i), h.RawMatrix().Cols, t.Model.Config.Hidden)
		}
		l.SetState(h, c)
	}
	return nil
}

// count reads a non-negative integer from the metadata.
func count(f *checkpoint.File, key string) (int, error) {
	v, err := strconv.Atoi(f.Metadata[key])
	if err != nil || v < 0 {
		return 0, fmt.Errorf("metadata %q = %q: want a count", key, f.Metadata[key])
	}
	return v, nil
}

// stateTensor returns the named matrix, or nil when the file has none.
func stateTensor(f *checkpoint.File, name string) (*mat.Dense, error) {
	tensor, ok := f.Tensor(name)
	if !ok {
		return nil, nil
	}
	return tensor.Dense()
}
