package memnet

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/seq2go/seq2go/lib/checkpoint"
	"github.com/seq2go/seq2go/lib/data"
	"github.com/seq2go/seq2go/lib/nn"
)

// Kind is the model kind recorded in a checkpoint's metadata.
const Kind = "seq2go/memnet"

// A file of this package is a checkpoint.State of Kind that holds one or
// more models: a model per task (`seq2go train babi --all`) or one joint
// model. Model i's tensors are named "m<i>.<param>" ("m0.E0") and its
// metadata "m<i>.config" (JSON), "m<i>.vocab" (data.WordVocab's text form)
// and "m<i>.tasks" ("1,2,3"); "models" is their number. A training
// checkpoint holds the models done so far the same way, and the model in
// training under the prefix "run." (see Trainer.SaveState).

// Save writes models to path, atomically. It names their parameters
// "m<i>.<param>".
func Save(path string, models []*Model) error {
	s := &checkpoint.State{Kind: Kind, Meta: map[string]string{}}
	if err := putModels(s, models, false); err != nil {
		return err
	}
	if err := s.Write(path); err != nil {
		return fmt.Errorf("memnet: %w", err)
	}
	return nil
}

// putModels adds models to s as m0, m1, …: their weights, as s.Weights or,
// extra, as tensors of s.Extra.
func putModels(s *checkpoint.State, models []*Model, extra bool) error {
	s.Meta["models"] = strconv.Itoa(len(models))
	for i, m := range models {
		if err := putModel(s, "m"+strconv.Itoa(i), m, extra); err != nil {
			return err
		}
	}
	return nil
}

// putModel adds m to s under prefix: its configuration, vocabulary and
// tasks to the metadata (putMeta), and its weights, renamed
// "<prefix>.<param>", to s.Weights or, extra, to s.Extra.
func putModel(s *checkpoint.State, prefix string, m *Model, extra bool) error {
	if err := putMeta(s, prefix, m); err != nil {
		return err
	}
	ps := m.Params()
	nn.PrefixNames(prefix, ps)
	if !extra {
		s.Weights = append(s.Weights, ps...)
		return nil
	}
	for _, p := range ps {
		s.Extra = append(s.Extra, checkpoint.FromDense(p.Name, p.Value))
	}
	return nil
}

// putMeta adds m's configuration, vocabulary and tasks to the metadata of
// s, under prefix.
func putMeta(s *checkpoint.State, prefix string, m *Model) error {
	cfg, err := json.Marshal(m.Config)
	if err != nil {
		return fmt.Errorf("memnet: %w", err)
	}
	var vocab bytes.Buffer
	if _, err := m.Vocab.WriteTo(&vocab); err != nil {
		return fmt.Errorf("memnet: %w", err)
	}
	tasks := make([]string, len(m.Tasks))
	for k, t := range m.Tasks {
		tasks[k] = strconv.Itoa(t)
	}
	s.Meta[prefix+".config"], s.Meta[prefix+".vocab"], s.Meta[prefix+".tasks"] = string(cfg), vocab.String(), strings.Join(tasks, ",")
	return nil
}

// Load reads the models of a file that Save (or a training's checkpoint:
// the models done so far) wrote. Its errors name the file and what in it
// is wrong.
func Load(path string) ([]*Model, error) {
	s, err := checkpoint.ReadState(path, Kind)
	if err != nil {
		return nil, err
	}
	models, err := getModels(s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(models) == 0 {
		return nil, fmt.Errorf("%s: no model trained to the end yet (a checkpoint of the first model's training: continue it with --resume)", path)
	}
	return models, nil
}

// getModels reads the models m0, m1, … of s.
func getModels(s *checkpoint.State) ([]*Model, error) {
	n, err := strconv.Atoi(s.Meta["models"])
	if err != nil || n < 0 {
		return nil, fmt.Errorf("metadata \"models\" %q: want a number of models", s.Meta["models"])
	}
	models := make([]*Model, n)
	for i := range models {
		if models[i], err = getModel(s, "m"+strconv.Itoa(i)); err != nil {
			return nil, err
		}
	}
	return models, nil
}

// getModel builds the model saved under prefix in s, weights included.
func getModel(s *checkpoint.State, prefix string) (*Model, error) {
	var cfg Config
	if err := json.Unmarshal([]byte(s.Meta[prefix+".config"]), &cfg); err != nil {
		return nil, fmt.Errorf("metadata %q: %w", prefix+".config", err)
	}
	vocab, err := data.ReadWordVocab(strings.NewReader(s.Meta[prefix+".vocab"]), prefix+".vocab")
	if err != nil {
		return nil, err
	}
	m, err := New(rand.New(rand.NewPCG(0, 0)), cfg, vocab) // the weights are overwritten below
	if err != nil {
		return nil, err
	}
	nn.PrefixNames(prefix, m.Params())
	if err := s.LoadParams(m.Params()); err != nil {
		return nil, err
	}
	if t := s.Meta[prefix+".tasks"]; t != "" {
		for _, f := range strings.Split(t, ",") {
			task, err := strconv.Atoi(f)
			if err != nil || task < 1 || task > NumTasks {
				return nil, fmt.Errorf("metadata %q %q: want task numbers 1 … %d", prefix+".tasks", t, NumTasks)
			}
			m.Tasks = append(m.Tasks, task)
		}
	}
	return m, nil
}

// ForTask returns the model of models that answers task: the one trained
// on it alone, else one trained on it among others (a joint model); nil if
// none.
func ForTask(models []*Model, task int) *Model {
	var joint *Model
	for _, m := range models {
		for _, t := range m.Tasks {
			if t != task {
				continue
			}
			if len(m.Tasks) == 1 {
				return m
			}
			if joint == nil {
				joint = m
			}
		}
	}
	return joint
}
