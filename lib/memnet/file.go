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

// Save writes models to path as one safetensors file, atomically: a model
// per task (`seq2go train babi --all`) or one joint model. Model i's
// tensors are named "m<i>.<param>" ("m0.E0"; Save renames the parameters
// so), and the metadata holds, for
// each, its configuration ("m0.config", JSON), vocabulary ("m0.vocab",
// data.WordVocab's text form) and tasks ("m0.tasks": "1,2,3").
func Save(path string, models []*Model) error {
	meta := map[string]string{"kind": Kind, "models": strconv.Itoa(len(models))}
	var params []*nn.Param
	for i, m := range models {
		prefix := "m" + strconv.Itoa(i) + "."
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
		meta[prefix+"config"], meta[prefix+"vocab"], meta[prefix+"tasks"] = string(cfg), vocab.String(), strings.Join(tasks, ",")
		ps := m.Params()
		nn.PrefixNames("m"+strconv.Itoa(i), ps)
		params = append(params, ps...)
	}
	if err := checkpoint.SaveParams(path, params, nil, meta); err != nil {
		return fmt.Errorf("memnet: %w", err)
	}
	return nil
}

// Load reads the models saved by Save. Its errors name the file and what
// in it is wrong.
func Load(path string) ([]*Model, error) {
	f, err := checkpoint.Read(path)
	if err != nil {
		return nil, err
	}
	if err := f.Require("kind", Kind); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	n, err := strconv.Atoi(f.Metadata["models"])
	if err != nil || n < 1 {
		return nil, fmt.Errorf("%s: metadata \"models\" %q: want a number of models ≥ 1", path, f.Metadata["models"])
	}
	models := make([]*Model, n)
	for i := range models {
		prefix := "m" + strconv.Itoa(i) + "."
		var cfg Config
		if err := json.Unmarshal([]byte(f.Metadata[prefix+"config"]), &cfg); err != nil {
			return nil, fmt.Errorf("%s: metadata %q: %w", path, prefix+"config", err)
		}
		vocab, err := data.ReadWordVocab(strings.NewReader(f.Metadata[prefix+"vocab"]), path+": "+prefix+"vocab")
		if err != nil {
			return nil, err
		}
		m, err := New(rand.New(rand.NewPCG(0, 0)), cfg, vocab)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		nn.PrefixNames("m"+strconv.Itoa(i), m.Params())
		if err := checkpoint.LoadParams(f, m.Params()); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if s := f.Metadata[prefix+"tasks"]; s != "" {
			for _, t := range strings.Split(s, ",") {
				task, err := strconv.Atoi(t)
				if err != nil || task < 1 || task > NumTasks {
					return nil, fmt.Errorf("%s: metadata %q %q: want task numbers 1 … %d", path, prefix+"tasks", s, NumTasks)
				}
				m.Tasks = append(m.Tasks, task)
			}
		}
		models[i] = m
	}
	return models, nil
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
