package smartreply

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/seq2go/seq2go/lib/checkpoint"
	"github.com/seq2go/seq2go/lib/data"
)

// Kind is the model kind recorded in a reply model's checkpoint.
const Kind = "seq2go/smartreply"

// A reply model's file is a checkpoint.State of Kind: the weights of the
// three networks, the Config as JSON, and in the metadata both
// vocabularies ("src_vocab", "tgt_vocab", data.WordVocab's text form) and
// the response set with its clusters ("responses", JSON). A training
// checkpoint (Trainer.Save) adds the training half: the optimizer, the
// step, the scorer's generator and the TrainConfig ("train", JSON).

// putModel fills s with the model: its kind, configuration, vocabularies
// and response set. The weights are the caller's (Save, the loop).
func (m *Model) putModel(s *checkpoint.State) error {
	cfg, err := json.Marshal(m.Config)
	if err != nil {
		return fmt.Errorf("smartreply: %w", err)
	}
	rs, err := json.Marshal(m.Responses)
	if err != nil {
		return fmt.Errorf("smartreply: %w", err)
	}
	s.Kind, s.Config = Kind, string(cfg)
	if s.Meta == nil {
		s.Meta = map[string]string{}
	}
	s.Meta["responses"] = string(rs)
	for name, v := range map[string]*data.WordVocab{"src_vocab": m.Src, "tgt_vocab": m.Tgt} {
		var b bytes.Buffer
		if _, err := v.WriteTo(&b); err != nil {
			return fmt.Errorf("smartreply: %w", err)
		}
		s.Meta[name] = b.String()
	}
	return nil
}

// Save writes the model — weights, configuration, vocabularies, response
// set and clusters — to path, atomically.
func (m *Model) Save(path string) error {
	s := &checkpoint.State{Weights: m.Params()}
	if err := m.putModel(s); err != nil {
		return err
	}
	if err := s.Write(path); err != nil {
		return fmt.Errorf("smartreply: %w", err)
	}
	return nil
}

// Load reads a model written by Save or by a training (Trainer.Save).
func Load(path string) (*Model, error) {
	m, _, err := Open(path)
	return m, err
}

// Open reads a file written by Save or Trainer.Save, and returns its model
// and the state read, from which a Trainer built on the model continues
// the training (TrainConfigOf, Trainer.Restore). Its errors name the file
// and what in it is wrong.
func Open(path string) (*Model, *checkpoint.State, error) {
	s, err := checkpoint.ReadState(path, Kind)
	if err != nil {
		return nil, nil, err
	}
	fail := func(err error) (*Model, *checkpoint.State, error) {
		return nil, nil, fmt.Errorf("smartreply: %s: %w", path, err)
	}
	var cfg Config
	if err := json.Unmarshal([]byte(s.Config), &cfg); err != nil {
		return fail(fmt.Errorf("metadata \"config\": %w", err))
	}
	var vocab [2]*data.WordVocab
	for k, name := range []string{"src_vocab", "tgt_vocab"} {
		if vocab[k], err = data.ReadWordVocab(strings.NewReader(s.Meta[name]), path+": "+name); err != nil {
			return nil, nil, fmt.Errorf("smartreply: %w", err)
		}
	}
	if vocab[0].Size() != cfg.Scorer.SrcVocab || vocab[1].Size() != cfg.Scorer.TgtVocab {
		return fail(fmt.Errorf("vocabularies of %d and %d words, the config says %d and %d",
			vocab[0].Size(), vocab[1].Size(), cfg.Scorer.SrcVocab, cfg.Scorer.TgtVocab))
	}
	m, err := newModel(cfg, vocab[0], vocab[1])
	if err != nil {
		return fail(err)
	}
	if err := s.LoadParams(m.Params()); err != nil {
		return fail(err)
	}
	var rs []Response
	if err := json.Unmarshal([]byte(s.Meta["responses"]), &rs); err != nil {
		return fail(fmt.Errorf("metadata \"responses\": %w", err))
	}
	for i, r := range rs {
		if r.Text == "" || r.Cluster < 0 {
			return fail(fmt.Errorf("response %d: empty text or negative cluster", i+1))
		}
	}
	if err := m.SetResponses(rs, false); err != nil {
		return fail(err)
	}
	return m, s, nil
}
