package smartreply

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/seq2go/seq2go/lib/checkpoint"
	"github.com/seq2go/seq2go/lib/data"
)

// Kind is the "kind" metadata of a reply model's checkpoint.
const Kind = "seq2go/smartreply"

// describe returns the model's metadata: kind, configuration (JSON),
// both vocabularies and the response set with its clusters (JSON).
func (m *Model) describe() (map[string]string, error) {
	cfg, err := json.Marshal(m.Config)
	if err != nil {
		return nil, fmt.Errorf("smartreply: %w", err)
	}
	rs, err := json.Marshal(m.Responses)
	if err != nil {
		return nil, fmt.Errorf("smartreply: %w", err)
	}
	meta := map[string]string{"kind": Kind, "config": string(cfg), "responses": string(rs)}
	for name, v := range map[string]*data.WordVocab{"src_vocab": m.Src, "tgt_vocab": m.Tgt} {
		var b bytes.Buffer
		if _, err := v.WriteTo(&b); err != nil {
			return nil, fmt.Errorf("smartreply: %w", err)
		}
		meta[name] = b.String()
	}
	return meta, nil
}

// Save writes the model — weights, configuration, vocabularies, response
// set and clusters — to path, atomically.
func (m *Model) Save(path string) error {
	meta, err := m.describe()
	if err != nil {
		return err
	}
	return checkpoint.SaveParams(path, m.Params(), nil, meta)
}

// Open reads a model written by Save.
func Open(path string) (*Model, error) {
	f, err := checkpoint.Read(path)
	if err != nil {
		return nil, err
	}
	if err := f.Require("kind", Kind); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var cfg Config
	if err := json.Unmarshal([]byte(f.Metadata["config"]), &cfg); err != nil {
		return nil, fmt.Errorf("smartreply: %s: metadata %q: %w", path, "config", err)
	}
	var vocab [2]*data.WordVocab
	for k, name := range []string{"src_vocab", "tgt_vocab"} {
		if vocab[k], err = data.ReadWordVocab(strings.NewReader(f.Metadata[name]), path+": "+name); err != nil {
			return nil, fmt.Errorf("smartreply: %w", err)
		}
	}
	if vocab[0].Size() != cfg.Scorer.SrcVocab || vocab[1].Size() != cfg.Scorer.TgtVocab {
		return nil, fmt.Errorf("smartreply: %s: vocabularies of %d and %d words, the config says %d and %d",
			path, vocab[0].Size(), vocab[1].Size(), cfg.Scorer.SrcVocab, cfg.Scorer.TgtVocab)
	}
	m, err := newModel(cfg, vocab[0], vocab[1])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := checkpoint.LoadParams(f, m.Params()); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var rs []Response
	if err := json.Unmarshal([]byte(f.Metadata["responses"]), &rs); err != nil {
		return nil, fmt.Errorf("smartreply: %s: metadata \"responses\": %w", path, err)
	}
	for i, r := range rs {
		if r.Text == "" || r.Cluster < 0 {
			return nil, fmt.Errorf("smartreply: %s: response %d: empty text or negative cluster", path, i+1)
		}
	}
	if err := m.SetResponses(rs, false); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}
